import { expect, test } from '@playwright/test';
import { expectAccessible, freshBce, ready, signedInAgent, signInAs } from './helpers';
import { confirmedAccount } from './mail';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

test('a profile held by the wrong people is reported, suspended, then handed to its verified representative', async ({ page, request, browser }, testInfo) => {
  test.setTimeout(120_000);
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const name = `Imprimerie ${stamp}`;
  const bce = freshBce();

  // Someone else holds the profile.
  const holderEmail = `tenant-${stamp}@example.be`;
  await confirmedAccount(request, holderEmail, 'Paul', 'Tenant');
  const holderContext = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    javaScriptEnabled: testInfo.project.use.javaScriptEnabled,
    locale: 'fr-BE',
  });
  const holder = await holderContext.newPage();
  await signInAs(holder, testInfo, holderEmail);
  for (const [fn, form] of [
    ['organisation_start', { kind: 'entreprise', bce, terms: 'on' }],
    ['organisation_details', { name, confirmed_kind: 'entreprise', vat_subject: 'yes' }],
    ['organisation_create', { function: 'gérant' }],
  ] as const) {
    expect((await holder.request.post(`/api/${fn}`, { form: { ...form }, maxRedirects: 0 })).status()).toBeLessThan(400);
  }

  // The real manager reports it from "Mes organisations".
  const email = `gerante-${stamp}@example.be`;
  await confirmedAccount(request, email, 'Inès', 'Lambert');
  await signInAs(page, testInfo, email);
  await page.goto('/account/organisations');
  await ready(page, testInfo);
  await page.getByRole('link', { name: "Signaler un profil d'organisation tenu par les mauvaises personnes" }).click();
  await expect(page).toHaveURL('/organisations/report');
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Signaler un profil d'organisation");

  // Without the proof: refused, and what she typed is still there.
  await page.getByLabel('Numéro BCE').fill(bce);
  await page.getByLabel("Votre fonction dans l'organisation").fill('gérante');
  await page.getByLabel('Ce qui se passe').fill("Un ancien associé a créé le profil et ne répond plus.");
  await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
  await expect(page.getByRole('alert')).toContainText('Ce document est obligatoire.');
  await expect(page.getByRole('alert')).toContainText('Choisissez le type de preuve.');
  await expect(page.getByLabel('Ce qui se passe')).toHaveValue("Un ancien associé a créé le profil et ne répond plus.");
  await expect(page.getByLabel("Votre fonction dans l'organisation")).toHaveValue('gérante');

  await page.getByLabel('Publication au Moniteur belge').check();
  await page.getByLabel('Document').setInputFiles({ name: 'moniteur.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
  await expect(page).toHaveURL('/organisations/report?sent=1');
  await expect(page.getByText("Votre signalement a été envoyé à l'administration communale.")).toBeVisible();
  const mine = page.getByRole('region', { name: 'Mes signalements' });
  await expect(mine).toContainText(name);
  await expect(mine).toContainText("Envoyé — en attente d'examen");
  await expectAccessible(page, testInfo);

  // An agent sees it beside the holder, suspends the profile, then hands it over.
  const { context: agentContext, page: agent } = await signedInAgent(browser, request, testInfo, `arbitre-${stamp}@schaerbeek.be`);
  await agent.goto('/backoffice');
  await ready(agent, testInfo);
  await agent.getByRole('link', { name: 'Signalements' }).click();
  await expect(agent).toHaveURL('/backoffice/disputes');
  await ready(agent, testInfo);
  const card = () => agent.locator('li.card').filter({ has: agent.getByRole('heading', { level: 2, name }) });
  await expect(card()).toContainText('Inès Lambert');
  await expect(card()).toContainText('Paul Tenant');
  await expect(card().getByRole('link', { name: 'moniteur.pdf' })).toBeVisible();
  await expectAccessible(agent, testInfo);
  await card().getByRole('button', { name: 'Suspendre le profil' }).click();
  await expect(agent.getByText('Le profil est suspendu.')).toBeVisible();
  await expect(card()).toContainText("Profil suspendu — en cours d'examen");

  // The holder can no longer act for it, and is told why.
  await holder.goto('/account/organisations');
  await ready(holder, testInfo);
  await expect(holder.getByText("Profil suspendu par l'administration communale")).toBeVisible();
  await holder.goto('/notifications');
  await ready(holder, testInfo);
  await expect(holder.getByText(`Le profil de ${name}`).first()).toContainText('est suspendu');

  await card().getByLabel('Motif (obligatoire pour classer)').fill('Publication au Moniteur belge vérifiée.');
  await card().getByRole('button', { name: 'Confier le profil à la personne qui signale' }).click();
  await expect(agent.getByText('Le profil a été confié à la personne qui signale.')).toBeVisible();
  await expect(card()).toHaveCount(0);
  await agentContext.close();

  // She holds it now, as its verified administrator; he has lost it.
  await page.goto('/notifications');
  await ready(page, testInfo);
  await expect(page.getByText(`Le profil de ${name}`).first()).toContainText('vous a été confié');
  await page.goto('/account/organisations');
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
  await holder.goto('/account/organisations');
  await ready(holder, testInfo);
  await expect(holder.getByRole('heading', { level: 2, name })).toHaveCount(0);
  await holderContext.close();
});
