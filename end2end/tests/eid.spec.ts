import { expect, test } from '@playwright/test';
import { expectAccessible, freshNrn, identifyAtProvider, makeAgent, personAtProvider, signedInAgent, ready, signInAs } from './helpers';
import { confirmedAccount } from './mail';

const ISSUER = () => process.env.E2E_OIDC_ISSUER!;

test('an eID-level procedure: identify at the provider, come back to the form as it was, send; the back office sees eID', async ({ page, request, browser }, testInfo) => {
  test.setTimeout(120_000);
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const email = `sophie-${stamp}@example.be`;
  const sub = `sophie-${stamp}`;
  await confirmedAccount(request, email, 'Sophie', 'Lamber');
  await personAtProvider(request, sub, freshNrn(), 'Sophie', 'Lambert');
  await signInAs(page, testInfo, email);

  await page.goto('/procedures/composition-menage');
  await ready(page, testInfo);
  await expect(page.getByText('il vous est demandé de vous identifier avec votre carte d\'identité')).toBeVisible();
  await expectAccessible(page, testInfo);
  await page.getByLabel('Usage du certificat').selectOption('banque');
  await page.getByLabel('Langue du certificat').selectOption('nl');
  await page.getByLabel("Mode d'envoi").selectOption('courrier');
  await page.getByRole('button', { name: 'Continuer' }).click();
  // "Vérifiez votre demande" says the card is asked when sending.
  await expect(page).toHaveURL('/procedures/composition-menage/check');
  await expect(page.getByText("Cette démarche demande que vous vous identifiiez avec votre carte d'identité (eID). En cliquant")).toBeVisible();
  await expectAccessible(page, testInfo);
  await page.getByRole('button', { name: 'Envoyer la demande' }).click();

  // At the provider (the federal authentication service in production).
  await identifyAtProvider(page, sub);

  // Back on the very same check page, with what was chosen.
  await expect(page).toHaveURL('/procedures/composition-menage/check');
  await expect(page.getByRole('status')).toContainText('Vous êtes identifié par eID.');
  const mode = page.locator('.summary-row').filter({ hasText: "Mode d'envoi" });
  await expect(mode.locator('.summary-value')).toHaveText(/courrier/i);
  await page.getByRole('button', { name: 'Envoyer la demande' }).click();
  await expect(page).toHaveURL(/\/requests\/\d{4}-\d{6}\?submitted=1$/);
  const reference = new URL(page.url()).pathname.split('/')[2];
  await expect(page.getByText('Demandeur identifié par eID')).toBeVisible();

  // The citizen profile now carries the register's names, which cannot be edited.
  await page.goto('/account/profile');
  await ready(page, testInfo);
  await expect(page.getByText('Identité vérifiée par carte d\'identité (eID)')).toBeVisible();
  await expect(page.getByLabel('Prénom')).toHaveValue('Sophie');
  await expect(page.getByLabel('Nom', { exact: true })).toHaveValue('Lambert');
  await expect(page.getByLabel('Prénom')).toHaveAttribute('readonly', '');

  // The agent sees how the requester was identified.
  const { context: agentContext, page: agent } = await signedInAgent(browser, request, testInfo, `agent-eid-${stamp}@schaerbeek.be`);
  await agent.goto(`/backoffice/requests/${reference}`);
  await ready(agent, testInfo);
  await expect(agent.getByText('Demandeur identifié par eID')).toBeVisible();
  await expect(agent.getByText('urn:be:fedict:iam:fas:Level500')).toBeVisible();
  await agentContext.close();
});

test('cancelled at the provider: a clear message, nothing changed, the way back', async ({ page, request }, testInfo) => {
  test.setTimeout(90_000);
  const email = `annule-${testInfo.project.name}-${Date.now()}@example.be`;
  await confirmedAccount(request, email);
  await signInAs(page, testInfo, email);
  await page.goto('/procedures/composition-menage');
  await ready(page, testInfo);
  await page.getByRole('button', { name: "M'identifier avec ma carte d'identité" }).click();
  await expect(page).toHaveURL(new RegExp(`^${ISSUER()}/oauth2/authorize\\?`));
  await page.getByRole('button', { name: 'Deny' }).click();
  await expect(page).toHaveURL(/\/identification\?problem=denied/);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Identification par carte d'identité");
  await expect(page.getByRole('alert')).toContainText("Vous avez annulé l'identification. Rien n'a été modifié.");
  await expectAccessible(page, testInfo);
  await page.getByRole('link', { name: 'Retour' }).click();
  await expect(page).toHaveURL('/procedures/composition-menage');
  await expect(page.getByRole('button', { name: "M'identifier avec ma carte d'identité" })).toBeVisible();
});

test('the back office asks an agent to identify with eID once per session', async ({ page, request }, testInfo) => {
  test.setTimeout(90_000);
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const email = `guichet-${stamp}@schaerbeek.be`;
  const sub = `guichet-${stamp}`;
  await confirmedAccount(request, email, 'Lea', 'Guichet');
  makeAgent(email);
  await personAtProvider(request, sub, freshNrn(), 'Léa', 'Guichetière');
  await signInAs(page, testInfo, email);

  // Nothing of the back office before the identification: its pages say why, with the way.
  await page.goto('/backoffice/verifications');
  await ready(page, testInfo);
  const notice = page.locator('#backoffice-eid');
  await expect(notice).toContainText('une fois par session');
  await expect(page.locator('p.lead')).toHaveCount(0);
  await expectAccessible(page, testInfo);
  await notice.getByRole('button', { name: "M'identifier avec ma carte d'identité" }).click();
  await identifyAtProvider(page, sub);

  // Back on the page asked for; the rest of the back office opens without asking again.
  await expect(page).toHaveURL('/backoffice/verifications');
  await ready(page, testInfo);
  await expect(notice).toHaveCount(0);
  await expect(page.locator('p.lead')).toBeVisible();
  await page.goto('/backoffice');
  await ready(page, testInfo);
  await expect(notice).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Filtrer' })).toBeVisible();
});
