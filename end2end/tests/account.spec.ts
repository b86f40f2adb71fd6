import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, ready } from './helpers';
import { confirmedAccount, linkFromMail, PASSWORD } from './mail';

const NEW_PASSWORD = 'trois tortues traversent la chaussée';

/** Signs in and waits for the server's answer to this very try (the alert of the previous
 * try may still be on the page, so waiting for its text alone would race the next try). */
async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  const answered = page.waitForResponse(
    (response) => response.url().endsWith('/api/login') && response.request().method() === 'POST',
  );
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await answered;
}

test('forgotten password, then mes informations and sécurité in mon compte', async ({ page, request }, testInfo) => {
  test.setTimeout(120_000);
  const email = `lucas-${testInfo.project.name}-${Date.now()}@example.be`;
  await confirmedAccount(request, email);

  await page.goto('/login');
  await ready(page, testInfo);
  await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
  await expect(page).toHaveURL('/forgot-password');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mot de passe oublié');
  await ready(page, testInfo);
  await expectAccessible(page, testInfo);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByRole('button', { name: 'Recevoir un lien' }).click();
  await expect(page.getByRole('status')).toContainText('Si un compte existe pour cette adresse');

  const link = await linkFromMail(email, '/reset-password?token=');
  await page.goto(link.replace(/^https?:\/\/[^/]+/, ''));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Choisir un nouveau mot de passe');
  await ready(page, testInfo);
  await expectAccessible(page, testInfo);
  await page.getByLabel('Nouveau mot de passe').fill(NEW_PASSWORD);
  await page.getByLabel('Confirmez le mot de passe').fill('something else entirely');
  await page.getByRole('button', { name: 'Enregistrer le nouveau mot de passe' }).click();
  await expect(page.getByRole('alert')).toContainText('Les deux mots de passe ne sont pas identiques.');
  await ready(page, testInfo);
  await page.getByLabel('Nouveau mot de passe').fill(NEW_PASSWORD);
  await page.getByLabel('Confirmez le mot de passe').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Enregistrer le nouveau mot de passe' }).click();
  await expect(page).toHaveURL('/login?reset=1');
  await expect(page.getByRole('status')).toContainText('Votre mot de passe a été modifié');

  // The link worked once.
  await page.goto(link.replace(/^https?:\/\/[^/]+/, ''));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ce lien ne fonctionne plus');
  await expect(page.getByText('déjà été utilisé')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Demander un nouveau lien' })).toHaveAttribute('href', '/forgot-password');

  await page.goto('/login');
  await ready(page, testInfo);
  await signIn(page, email, NEW_PASSWORD);
  await expect(page).toHaveURL('/dashboard');

  // The name at the top right opens "mon compte" and "se déconnecter".
  const banner = page.getByRole('banner');
  await ready(page, testInfo);
  await banner.getByText('Lucas Dubois').click();
  await banner.getByRole('link', { name: 'mon compte' }).click();
  await expect(page).toHaveURL('/account');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Mes informations');
  await expect(page.getByRole('navigation', { name: 'Menu de mon compte' }).getByRole('link', { name: 'Mes informations' })).toHaveAttribute('aria-current', 'page');
  await ready(page, testInfo);
  await expectAccessible(page, testInfo);

  await page.getByLabel('Téléphone fixe (facultatif)').fill('0470 12 34 56');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('alert')).toContainText("C'est un numéro de GSM");
  await expectAccessible(page, testInfo);
  await ready(page, testInfo);
  await page.getByLabel('Téléphone fixe (facultatif)').fill('02 244 75 11');
  await page.getByLabel('GSM (facultatif)').fill('+32 470 12 34 56');
  await page.getByLabel('Rue').fill('Place Colignon');
  await page.getByLabel('Numéro').fill('1');
  await page.getByLabel('Code postal').fill('1030');
  await page.getByLabel('Commune').fill('Schaerbeek');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page).toHaveURL('/account/profile?saved=1');
  await expect(page.getByRole('status')).toContainText('Vos informations sont enregistrées.');
  await expect(page.getByLabel('GSM (facultatif)')).toHaveValue('0470 12 34 56');
  await expect(page.getByLabel('Code postal')).toHaveValue('1030');

  await ready(page, testInfo);
  await page.getByRole('navigation', { name: 'Menu de mon compte' }).getByRole('link', { name: 'Sécurité' }).click();
  await expect(page).toHaveURL('/account/security');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sécurité');
  await expect(page.getByText('Cette session')).toBeVisible();
  const history = page.getByRole('table');
  await expect(history).toContainText('Mot de passe réinitialisé');
  await expect(history).toContainText('Informations du profil modifiées');
  await ready(page, testInfo);
  await expectAccessible(page, testInfo);

  // Préférences, the third item: the green button under the menu saves.
  const menu = page.getByRole('navigation', { name: 'Menu de mon compte' });
  await expect(menu.getByRole('listitem').nth(2)).toHaveText('Préférences');
  await menu.getByRole('link', { name: 'Préférences' }).click();
  await expect(page).toHaveURL('/account/preferences');
  await expect(page.getByLabel('Mon profil personnel (mon espace citoyen)')).toBeChecked();
  await ready(page, testInfo);
  // A choice per kind of event: both, by default.
  const messages = page.getByRole('group', { name: "Message au sujet d'une demande" });
  const status = page.getByRole('group', { name: "Changement de statut d'une demande" });
  await expect(messages.getByLabel('Par e-mail et dans mon espace personnel')).toBeChecked();
  await messages.getByLabel('Uniquement dans mon espace personnel').check();
  await status.getByLabel('Uniquement par e-mail').check();
  await menu.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page).toHaveURL('/account/preferences?saved=1');
  await expect(page.getByRole('status')).toContainText('Vos préférences sont enregistrées.');
  await expect(messages.getByLabel('Uniquement dans mon espace personnel')).toBeChecked();
  await expect(status.getByLabel('Uniquement par e-mail')).toBeChecked();
  await expect(page.getByRole('group', { name: "Documents demandés par l'administration" }).getByLabel('Par e-mail et dans mon espace personnel')).toBeChecked();
  await expectAccessible(page, testInfo);
  await ready(page, testInfo);
  await menu.getByRole('link', { name: 'Sécurité' }).click();
  await expect(page).toHaveURL('/account/security');
  await ready(page, testInfo);

  await page.getByLabel('Mot de passe actuel').fill('not my password at all');
  await page.getByLabel('Nouveau mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Confirmez le nouveau mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Modifier le mot de passe' }).click();
  await expect(page.getByRole('alert')).toContainText('Le mot de passe actuel est incorrect.');

  await ready(page, testInfo);
  await banner.getByText('Lucas Dubois').click();
  await banner.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL('/');
  await page.goto('/account/security');
  await expect(page).toHaveURL('/login?next=%2Faccount%2Fsecurity');
});

test('too many wrong passwords: sign-in waits, and says for how long', async ({ page, request }, testInfo) => {
  const email = `limit-${testInfo.project.name}-${Date.now()}@example.be`;
  await confirmedAccount(request, email);
  await page.goto('/login');
  await ready(page, testInfo);
  for (let i = 0; i < 5; i++) {
    await signIn(page, email, `wrong password number ${i}`);
    await expect(page.getByRole('alert')).toContainText('Adresse e-mail ou mot de passe incorrect.');
    await ready(page, testInfo);
  }
  await signIn(page, email, PASSWORD);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Trop de tentatives de connexion');
  await expect(alert).toContainText('Réessayez dans 1 min.');
  await expect(page).not.toHaveURL('/dashboard');
  await expectAccessible(page, testInfo);
});
