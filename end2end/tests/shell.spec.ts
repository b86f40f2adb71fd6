import { expect, test } from '@playwright/test';
import { expectAccessible, ready } from './helpers';

test('the home page explains the espace and switches to Dutch with the header switch', async ({ page }, testInfo) => {
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  await ready(page, testInfo);

  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Votre espace personnel');
  await expect(page.getByRole('main').getByRole('link', { name: 'Se connecter' })).toHaveAttribute('href', '/login');
  await expect(page.getByRole('main').getByRole('link', { name: 'Créer un compte' })).toHaveAttribute('href', '/register');
  await expectAccessible(page, testInfo);

  // A marker that survives only if the page is not reloaded.
  await page.evaluate(() => ((window as any).__sameDocument = true));

  const switcher = page.getByRole('group', { name: 'Langue du site' });
  await expect(switcher.getByRole('button', { name: /^FR/ })).toHaveAttribute('aria-current', 'true');
  await switcher.getByRole('button', { name: /^NL/ }).click();

  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Uw persoonlijke ruimte');
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
  await expect(page.getByRole('main').getByRole('link', { name: 'Aanmelden' })).toBeVisible();
  await expect(page.getByRole('banner').getByRole('link', { name: 'Aanmelden' })).toBeVisible();
  await expect(page).toHaveURL('/');
  await expect(
    page.getByRole('group', { name: 'Taal van de website' }).getByRole('button', { name: /^NL/ }),
  ).toHaveAttribute('aria-current', 'true');

  // The form posted and the server sent the page back in Dutch (the header is rendered on
  // the server, with or without JavaScript).
  const sameDocument = await page.evaluate(() => (window as any).__sameDocument === true);
  expect(sameDocument).toBe(false);
  await expectAccessible(page, testInfo);

  // The choice is remembered: a fresh load is in Dutch, whatever the browser prefers.
  await page.goto('/help');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hulp');
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
});

test('the footer leads to help, terms and accessibility', async ({ page }, testInfo) => {
  await page.goto('/');
  await ready(page, testInfo);
  const footer = page.getByRole('contentinfo');

  await footer.getByRole('link', { name: 'Aide' }).click();
  await expect(page).toHaveURL('/help');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Aide');
  await expect(page.getByRole('heading', { name: "Qu'est-ce qu'un espace personnel ?" })).toBeVisible();
  await expect(page).toHaveTitle('Aide — Espace personnel');
  await expectAccessible(page, testInfo);

  await footer.getByRole('link', { name: "Conditions générales d'accès" }).click();
  await expect(page).toHaveURL('/terms');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Conditions générales d'accès");
  await expectAccessible(page, testInfo);

  await footer.getByRole('link', { name: 'Accessibilité' }).click();
  await expect(page).toHaveURL('/accessibility');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Déclaration d'accessibilité");
  // Whom to tell of an obstacle, and where to turn after: named, with how to reach them.
  await expect(page.getByText('par téléphone au 02 244 75 11')).toBeVisible();
  await expect(page.getByText('Ombuds Bruxelles, le service de médiation bruxellois')).toBeVisible();
  await expectAccessible(page, testInfo);
});

test('an unknown address shows a real not-found page', async ({ page }, testInfo) => {
  const response = await page.goto('/cette-page-n-existe-pas');
  expect(response?.status()).toBe(404);
  await ready(page, testInfo);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page introuvable');
  await expectAccessible(page, testInfo);
  await page.getByRole('link', { name: "Retour à l'accueil" }).click();
  await expect(page).toHaveURL('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Votre espace personnel');
});

test('the skip link moves to the main content', async ({ page }, testInfo) => {
  await page.goto('/');
  await ready(page, testInfo);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Aller au contenu principal' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main$/);
});

test('the keyboard: the skip link moves the focus, a refused form opens on its error summary, whose links lead to the fields', async ({ page }, testInfo) => {
  await page.goto('/register');
  await ready(page, testInfo);
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Aller au contenu principal' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();

  // Sent empty: the page comes back with the focus on the list of errors.
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  const summary = page.locator('.error-summary');
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Prénom : Ce champ est obligatoire.');
  await summary.getByRole('link').filter({ hasText: 'e-mail' }).first().click();
  await expect(page.locator('#email')).toBeFocused();
});
