import * as fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { exclusively, expectAccessible, freshBce, knownToKbo, ready, signedInAgent, signInAs } from './helpers';
import { confirmedAccount } from './mail';

test('a code by post to the registered seat makes a verified representative', async ({ page, request, browser }, testInfo) => {
  test.setTimeout(120_000);
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const name = `Atelier ${stamp}`;
  const email = `siege-${stamp}@example.be`;
  await confirmedAccount(request, email, 'Sofia', 'Martin');
  await signInAs(page, testInfo, email);
  const bce = freshBce();
  knownToKbo(bce, name);
  for (const [fn, form] of [
    ['organisation_start', { kind: 'entreprise', bce, terms: 'on' }],
    ['organisation_details', { name, confirmed_kind: 'entreprise', vat_subject: 'yes' }],
    ['organisation_create', { function: 'gérante' }],
  ] as const) {
    expect((await page.request.post(`/api/${fn}`, { form: { ...form }, maxRedirects: 0 })).status()).toBeLessThan(400);
  }
  const me = await (await page.request.post('/api/current_user')).json();
  const orgId = String(me.organisations[0].id);

  const { context: agentContext, page: agent } = await signedInAgent(browser, request, testInfo, `courrier-${stamp}@schaerbeek.be`);
  const code = await exclusively('letters', async () => {
    // She asks for a code: it goes to the seat the register knows.
    await page.goto(`/organisations/${orgId}/verification`);
    await ready(page, testInfo);
    const post = page.getByRole('region', { name: 'Ou recevoir un code par la poste' });
    await expect(post).toContainText('Chaussée de Louvain 100, 1030 Schaerbeek');
    await post.getByRole('button', { name: 'Recevoir un code par la poste' }).click();
    await expect(page.getByText('Un code vous sera envoyé par la poste')).toBeVisible();

    // The back office prints the letters.
    await agent.goto('/backoffice/letters');
    await ready(agent, testInfo);
    await expect(agent.getByRole('cell', { name })).toBeVisible();
    await expectAccessible(agent, testInfo);
    const [download] = await Promise.all([
      agent.waitForEvent('download'),
      agent.getByRole('button', { name: 'Produire les lettres (PDF)' }).click(),
    ]);
    const pdf = fs.readFileSync(await download.path()).toString('latin1');
    const after = pdf.slice(pdf.indexOf(`(${name}) Tj`));
    return after.match(/\(([A-Z2-9]{4}-[A-Z2-9]{4})\) Tj/)![1];
  });
  await agentContext.close();

  // A wrong code is said and counted; the right one verifies.
  await page.goto(`/organisations/${orgId}/verification`);
  await ready(page, testInfo);
  await expect(page.getByText('La lettre est partie vers Chaussée de Louvain 100, 1030 Schaerbeek')).toBeVisible();
  await page.getByLabel('Code reçu par la poste').fill('AAAA-AAAA');
  await page.getByRole('button', { name: 'Valider le code' }).click();
  await expect(page.getByRole('alert')).toContainText('Ce code ne correspond pas.');
  await page.getByLabel('Code reçu par la poste').fill(code.toLowerCase());
  await page.getByRole('button', { name: 'Valider le code' }).click();
  await expect(page.getByText('Le code est le bon : vous êtes désormais représentant vérifié')).toBeVisible();
  await expect(page.getByText('Représentant vérifié', { exact: true })).toBeVisible();
  await expectAccessible(page, testInfo);
});
