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

  // What was typed is still there, with or without JavaScript; only passwords are typed again.
  await expect(page.getByLabel('Adresse e-mail')).toHaveValue(email);
  await expect(page.getByLabel('Prénom')).toHaveValue('Amélie');
  await expect(page.getByLabel('Nom', { exact: true })).toHaveValue('Peeters');
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
  // Signed out, a page of the espace asks to sign in, then comes back to that page.
  await page.goto('/notifications');
  await expect(page).toHaveURL('/login?next=%2Fnotifications');
  await ready(page, testInfo);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL('/notifications');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Notifications');
});

test('an address not confirmed yet opens only its confirmation page, then a new link opens everything', async ({ page, request }, testInfo) => {
  test.setTimeout(120_000);
  const email = `pas-encore-${testInfo.project.name}-${Date.now()}@example.be`;
  const registered = await request.post('/api/register', {
    form: {
      'form[email]': email,
      'form[first_name]': 'Noah',
      'form[last_name]': 'Lambert',
      'form[language]': 'fr',
      'form[password]': PASSWORD,
      'form[password_confirm]': PASSWORD,
      'form[terms]': 'on',
    },
    maxRedirects: 0,
  });
  expect(registered.status()).toBeLessThan(400);
  const first = await linkFromMail(email, '/verify-email?token=');

  // Signing in lands on the confirmation page, which says what is possible until then.
  await page.goto('/login');
  await ready(page, testInfo);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL('/register/check-email');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Confirmez votre adresse e-mail');
  await expect(page.getByText(`Confirmez d'abord votre adresse ${email}`)).toBeVisible();
  await expect(page.getByRole('link', { name: "Changer d'adresse e-mail" })).toHaveAttribute('href', '/account/security');
  await expect(page.getByRole('link', { name: 'Supprimer mon compte' })).toHaveAttribute('href', '/account/data');
  await ready(page, testInfo);
  await expectAccessible(page, testInfo);

  // Any other page of the espace leads back here.
  await page.goto('/organisations/new');
  await expect(page).toHaveURL('/register/check-email');
  await ready(page, testInfo);

  // A new link replaces the first one.
  await page.getByRole('button', { name: "Renvoyer l'e-mail de confirmation" }).click();
  await expect(page).toHaveURL('/register/check-email?resent=1');
  await expect(page.getByRole('status')).toContainText('Un nouvel e-mail de confirmation vous a été envoyé.');
  let second = first;
  await expect
    .poll(async () => (second = await linkFromMail(email, '/verify-email?token=')), { timeout: 15_000 })
    .not.toBe(first);

  await page.goto(second.replace(/^https?:\/\/[^/]+/, ''));
  await ready(page, testInfo);
  await page.getByRole('button', { name: 'Confirmer mon adresse e-mail' }).click();
  await expect(page).toHaveURL('/dashboard');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tableau de bord');
});
