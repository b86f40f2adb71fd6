import * as fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { expectAccessible, freshBce, hydrated, ready, signInAs } from './helpers';
import { confirmedAccount, PASSWORD } from './mail';

test('an access request rings the bell, and the centre marks it read', async ({ page, request }, testInfo) => {
  test.setTimeout(120_000);
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const adminEmail = `bell-admin-${stamp}@example.be`;
  const askerEmail = `bell-asker-${stamp}@example.be`;
  const bce = freshBce();
  const organisation = `ASBL Cloche ${stamp}`;
  await confirmedAccount(request, adminEmail, 'Marie', 'Dupont');
  await signInAs(page, testInfo, adminEmail);
  // The organisation, through the same server functions the wizard calls.
  for (const [fn, form] of [
    ['organisation_start', { kind: 'association', bce, terms: 'on' }],
    ['organisation_details', { name: organisation, confirmed_kind: 'association', vat_subject: 'no' }],
    ['organisation_create', { function: 'présidente' }],
  ] as const) {
    const r = await page.request.post(`/api/${fn}`, { form: { ...form }, maxRedirects: 0 });
    expect(r.status()).toBeLessThan(400);
  }
  await page.goto('/dashboard');
  await ready(page, testInfo);
  const bell = page.getByRole('link', { name: /^Notifications/ });
  await expect(bell).toHaveAccessibleName('Notifications : aucune non lue');

  // Someone else asks for access (another browser, so to speak).
  await confirmedAccount(request, askerEmail, 'Paul', 'Janssens');
  expect((await request.post('/api/login', { form: { email: askerEmail, password: PASSWORD }, maxRedirects: 0 })).status()).toBeLessThan(400);
  expect((await request.post('/api/organisation_start', { form: { kind: 'association', bce, terms: 'on' }, maxRedirects: 0 })).status()).toBeLessThan(400);
  expect((await request.post('/api/organisation_request_access', { form: { function: 'trésorier' }, maxRedirects: 0 })).status()).toBeLessThan(400);

  if (hydrated(testInfo)) {
    // The open page learns it by itself (it asks every 30 seconds).
    await expect(bell).toHaveAccessibleName('Notifications : 1 non lue', { timeout: 40_000 });
  } else {
    await page.reload();
    await expect(bell).toHaveAccessibleName('Notifications : 1 non lue');
  }
  await bell.click();
  await expect(page).toHaveURL('/notifications');
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
  await expect(page.getByText('Vous avez 1 notification non lue.')).toBeVisible();
  const item = page.getByRole('listitem').filter({ hasText: 'Paul Janssens demande' });
  await expect(item).toContainText(`Paul Janssens demande l’accès au profil ${organisation} en tant que « trésorier ».`);
  await expect(item).toContainText(`Concerne : ${organisation} (${bce})`);
  await expectAccessible(page, testInfo);

  await item.getByRole('button', { name: 'Marquer comme lue' }).click();
  await expect(page.getByText('Vous n’avez aucune notification non lue.')).toBeVisible();
  await expect(item.getByRole('button', { name: 'Marquer comme lue' })).toHaveCount(0);
  await expect(bell).toHaveAccessibleName('Notifications : aucune non lue');

  // The notification leads to its subject: the representatives, with the request pending.
  await ready(page, testInfo);
  await item.getByRole('link').click();
  await expect(page).toHaveURL(/\/organisations\/\d+\/members$/);
  await expect(page.getByText('trésorier').first()).toBeVisible();
});

test('mes données: download a copy, then delete the account', async ({ page, request }, testInfo) => {
  const email = `data-${testInfo.project.name}-${Date.now()}@example.be`;
  await confirmedAccount(request, email, 'Lucas', 'Dubois');
  await signInAs(page, testInfo, email);
  await page.goto('/account/data');
  await ready(page, testInfo);
  const menu = page.getByRole('navigation', { name: 'Menu de mon compte' });
  await expect(menu.getByRole('link', { name: 'Mes données' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByText(`${email}, créé le`)).toBeVisible();
  await expectAccessible(page, testInfo);

  const downloading = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Télécharger mes données', exact: true }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('espace-personnel-mes-donnees.json');
  const copy = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
  expect(copy.account.email).toBe(email);
  expect(copy.citizen_profile.last_name).toBe('Dubois');
  // The same with the documents sent, as a ZIP.
  const zipping = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Télécharger mes données et mes documents (ZIP)' }).click();
  const zip = await zipping;
  expect(zip.suggestedFilename()).toBe('espace-personnel-mes-donnees.zip');
  const bytes = fs.readFileSync((await zip.path())!);
  expect(bytes.subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
  expect(bytes.includes(Buffer.from('mes-donnees.json'))).toBe(true);

  // Without the box ticked: refused, and nothing happens.
  await page.getByLabel('Votre mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click();
  await expect(page.getByRole('alert')).toContainText('Cochez la case pour confirmer');
  await ready(page, testInfo);

  await page.getByLabel('Votre mot de passe').fill(PASSWORD);
  await page.getByLabel('Je comprends que la suppression de mon compte est définitive.').check();
  await page.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click();
  await expect(page).toHaveURL('/?account_deleted=1');
  await expect(page.getByRole('status')).toContainText('Votre compte a été supprimé.');
  await page.goto('/account/data');
  await expect(page).toHaveURL(/^[^?]*\/login\?next=%2Faccount%2Fdata/);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toContainText('Adresse e-mail ou mot de passe incorrect.');
});
