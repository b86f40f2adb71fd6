import { expect, test } from '@playwright/test';
import { expectAccessible, ready } from './helpers';
import { linkFromMail } from './mail';

const PASSWORD = 'vélo rouge sous la pluie de mars';

test('register, confirm the address, sign in, see the dashboard, sign out', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const email = `amelie-${testInfo.project.name}-${Date.now()}@example.be`;

  await page.goto('/');
  await ready(page, testInfo);
  await page.getByRole('link', { name: 'Créer un compte' }).click();
  await expect(page).toHaveURL('/register');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Créer un compte');
  await ready(page, testInfo);
  await expectAccessible(page, testInfo);

  // A first try without the box ticked and with a weak password: the errors are listed.
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Prénom').fill('Amélie');
  await page.getByLabel('Nom', { exact: true }).fill('Peeters');
  await page.getByLabel('Mot de passe', { exact: true }).fill('password1234');
  await page.getByLabel('Confirmez le mot de passe').fill('password1234');
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  const summary = page.getByRole('alert');
  await expect(summary).toContainText('Le formulaire contient des erreurs');
  await expect(summary).toContainText('Ce mot de passe est trop facile à deviner.');
  await expect(summary).toContainText("Vous devez accepter les conditions générales d'accès.");
  await expectAccessible(page, testInfo);

  // Without JavaScript the page was reloaded: fill again what it could not keep.
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Prénom').fill('Amélie');
  await page.getByLabel('Nom', { exact: true }).fill('Peeters');
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirmez le mot de passe').fill(PASSWORD);
  await page.getByLabel("J'accepte les conditions générales d'accès").check();
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page).toHaveURL('/register/check-email');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Consultez votre boîte e-mail');
  await expectAccessible(page, testInfo);

  // The link of the e-mail, then the confirmation button.
  const link = await linkFromMail(email, '/verify-email?token=');
  await page.goto(link.replace(/^https?:\/\/[^/]+/, ''));
  await ready(page, testInfo);
  await expectAccessible(page, testInfo);
  await page.getByRole('button', { name: 'Confirmer mon adresse e-mail' }).click();
  await expect(page).toHaveURL('/login?verified=1');
  await expect(page.getByRole('status')).toContainText('Votre adresse e-mail est confirmée.');
  await ready(page, testInfo);

  // A wrong password first.
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill('not the password at all');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toContainText('Adresse e-mail ou mot de passe incorrect.');
  await expectAccessible(page, testInfo);

  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL('/dashboard');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord');
  await expect(page.getByText("Vous n'avez encore introduit aucune démarche.")).toBeVisible();
  await expect(page.getByRole('banner').getByRole('link', { name: 'mon espace citoyen' })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText('Amélie Peeters');
  await expectAccessible(page, testInfo);

  await page.getByRole('banner').getByText('Amélie Peeters').click();
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('banner').getByRole('link', { name: 'Se connecter' })).toBeVisible();
  await page.goto('/dashboard');
  await expect(page).toHaveURL('/login');
});
