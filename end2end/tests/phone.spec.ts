import { expect, test } from '@playwright/test';
import { expectAccessible, freshBce, ready, signInAs } from './helpers';
import { confirmedAccount } from './mail';

test.use({ viewport: { width: 360, height: 740 } });

test('on a phone the banner takes two rows and says whom the person acts for; switching from it', async ({ page, request }, testInfo) => {
  test.setTimeout(90_000);
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const email = `phone-${stamp}@example.be`;
  await confirmedAccount(request, email, 'Marie-Christine', 'Vandenberghe-Dupont');
  await signInAs(page, testInfo, email);
  await page.goto('/dashboard');
  await ready(page, testInfo);
  const banner = page.getByRole('banner');
  // Two rows: the brand and the languages, then the profile, the bell and the person.
  // (Three rows, as before, took 186 px; six, 340.)
  expect((await banner.boundingBox())!.height).toBeLessThanOrEqual(150);
  const actingFor = banner.locator('summary.acting-for-summary');
  await expect(actingFor).toBeVisible();
  await expect(actingFor).toHaveText(/^\s*Vous agissez pour :\s*mon espace citoyen\s*$/);
  await expect(banner.getByRole('link', { name: 'Notifications : aucune non lue' })).toBeVisible();
  // The row of blue buttons is for wide screens.
  await expect(banner.getByRole('button', { name: 'Associations', exact: true })).toBeHidden();
  await actingFor.click();
  await expect(banner.getByRole('button', { name: 'mon espace citoyen' })).toHaveAttribute('aria-current', 'true');
  await expect(banner.getByRole('link', { name: 'Créer un profil association' })).toBeVisible();
  await expectAccessible(page, testInfo);

  // With an association: switch to it from the same menu; the whole name is there.
  const name = `Les Amis du Parc Josaphat de Schaerbeek ${stamp}`;
  for (const [fn, form] of [
    ['organisation_start', { kind: 'association', bce: freshBce(), terms: 'on' }],
    ['organisation_details', { name, confirmed_kind: 'association', vat_subject: 'no' }],
    ['organisation_create', { function: 'présidente' }],
  ] as const) {
    expect((await page.request.post(`/api/${fn}`, { form: { ...form }, maxRedirects: 0 })).status()).toBeLessThan(400);
  }
  // Right after creation the session acts for the new profile.
  await page.goto('/dashboard');
  await ready(page, testInfo);
  await expect(actingFor).toHaveText(new RegExp(`Vous agissez pour :\\s*${name}`));
  await actingFor.click();
  await banner.getByRole('button', { name: 'mon espace citoyen' }).click();
  await expect(page).toHaveURL('/dashboard');
  await expect(actingFor).toHaveText(/Vous agissez pour :\s*mon espace citoyen/);
  await actingFor.click();
  await banner.getByRole('button', { name: new RegExp(name) }).click();
  await expect(actingFor).toHaveText(new RegExp(`Vous agissez pour :\\s*${name}`));
});

test('on a phone the préférences save button comes after the choices', async ({ page, request }, testInfo) => {
  const email = `phone-prefs-${testInfo.project.name}-${Date.now()}@example.be`;
  await confirmedAccount(request, email);
  await signInAs(page, testInfo, email);
  await page.goto('/account/preferences');
  await ready(page, testInfo);
  // One save button shows: after the last choice, not above the form with the menu.
  const save = page.getByRole('button', { name: 'Enregistrer' });
  await expect(save).toHaveCount(1);
  const last = await page.getByRole('group', { name: /Accès aux profils/ }).boundingBox();
  expect((await save.boundingBox())!.y).toBeGreaterThan(last!.y + last!.height - 1);
  await page.getByRole('group', { name: "Message au sujet d'une demande" }).getByLabel('Uniquement par e-mail').check();
  await save.click();
  await expect(page).toHaveURL('/account/preferences?saved=1');
  await expect(page.getByRole('group', { name: "Message au sujet d'une demande" }).getByLabel('Uniquement par e-mail')).toBeChecked();
  await expectAccessible(page, testInfo);
});
