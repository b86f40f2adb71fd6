import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { expectAccessible, freshBce, hydrated, ready } from './helpers';
import { confirmedAccount, PASSWORD } from './mail';

const words = {
  fr: {
    email: 'Adresse e-mail', password: 'Mot de passe', signIn: 'Se connecter',
    citizen: 'mon espace citoyen', citizenButton: 'Citoyen', entreprise: 'Entreprises',
    create: 'Créer un profil entreprise', bce: 'Numéro BCE',
    terms: "J'accepte les conditions générales d'accès", next: 'Suivant',
    checkDigits: "Ce numéro BCE n'existe pas", termsRequired: "Vous devez accepter les conditions générales d'accès.",
    name: "Nom de l'entreprise ou de l'association", kindEntreprise: 'Entreprise', yes: 'Oui',
    fn: 'Fonction', createButton: 'Créer', mobile: 'GSM (facultatif)', save: 'Enregistrer',
    created: 'Le profil a été créé avec succès.', actingFor: 'Vous agissez pour : ',
    already: "Vous disposez déjà d'un accès à cet espace professionnel", choose: 'Agir pour ce profil',
    dashboard: 'Tableau de bord',
  },
  nl: {
    email: 'E-mailadres', password: 'Wachtwoord', signIn: 'Aanmelden',
    citizen: 'mijn burgerruimte', citizenButton: 'Burger', entreprise: 'Ondernemingen',
    create: 'Een ondernemingsprofiel aanmaken', bce: 'KBO-nummer',
    terms: 'Ik aanvaard de algemene toegangsvoorwaarden', next: 'Volgende',
    checkDigits: 'Dit KBO-nummer bestaat niet', termsRequired: 'U moet de algemene toegangsvoorwaarden aanvaarden.',
    name: 'Naam van de onderneming of vereniging', kindEntreprise: 'Onderneming', yes: 'Ja',
    fn: 'Functie', createButton: 'Aanmaken', mobile: 'Gsm (facultatief)', save: 'Opslaan',
    created: 'Het profiel werd met succes aangemaakt.', actingFor: 'U treedt op voor: ',
    already: 'U hebt al toegang tot deze professionele ruimte', choose: 'Voor dit profiel optreden',
    dashboard: 'Dashboard',
  },
};

async function openEntrepriseMenu(page: Page, testInfo: TestInfo, w: (typeof words)['fr']) {
  const banner = page.getByRole('banner');
  await ready(page, testInfo);
  await banner.getByRole('button', { name: w.entreprise, exact: true }).click();
  if (hydrated(testInfo)) {
    // The menu-button pattern: the menu opens under the button, its first item focused.
    await expect(banner.getByRole('button', { name: w.entreprise, exact: true })).toHaveAttribute('aria-expanded', 'true');
    await expect(banner.getByRole('menu')).toBeVisible();
  } else {
    await expect(page).toHaveURL(/\/profiles\/entreprise\??$/);
  }
}

for (const lang of ['fr', 'nl'] as const) {
  test(`create an entreprise through the four steps, see it in the banner, switch (${lang})`, async ({ page, request, context }, testInfo) => {
    test.setTimeout(150_000);
    const w = words[lang];
    const email = `orga-${lang}-${testInfo.project.name}-${Date.now()}@example.be`;
    await confirmedAccount(request, email, 'Marie', 'Dupont', lang);
    await context.addCookies([{ name: 'lang', value: lang, url: testInfo.project.use.baseURL ?? 'http://127.0.0.1:3100' }]);

    await page.goto('/login');
    await ready(page, testInfo);
    await page.getByLabel(w.email).fill(email);
    await page.getByLabel(w.password, { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: w.signIn }).click();
    await expect(page).toHaveURL('/dashboard');
    const banner = page.getByRole('banner');
    await expect(banner.getByRole('link', { name: w.citizen })).toBeVisible();

    // "Lorsque vous cliquez dessus, les profils … apparaissent ainsi que la possibilité d'en créer un."
    await openEntrepriseMenu(page, testInfo, w);
    await page.getByRole(hydrated(testInfo) ? 'menuitem' : 'link', { name: w.create }).click();
    await expect(page).toHaveURL('/organisations/new?kind=entreprise');
    await ready(page, testInfo);
    await expectAccessible(page, testInfo);

    // Step 1: a number with wrong check digits and the box unticked.
    await page.getByLabel(w.bce).fill('0123.456.789');
    await page.getByRole('button', { name: w.next }).click();
    const summary = page.getByRole('alert');
    await expect(summary).toContainText(w.checkDigits);
    await expect(summary).toContainText(w.termsRequired);
    await ready(page, testInfo);
    // What was typed is still there, with or without JavaScript.
    await expect(page.getByLabel(w.bce)).toHaveValue('0123.456.789');
    const bce = freshBce();
    await page.getByLabel(w.bce).fill(bce);
    await page.getByLabel(w.terms).check();
    await page.getByRole('button', { name: w.next }).click();

    // Step 2: name, type confirmed, VAT.
    await expect(page).toHaveURL('/organisations/new/details');
    await ready(page, testInfo);
    await expectAccessible(page, testInfo);
    const orgName = `Boulangerie Dupont ${lang.toUpperCase()} ${testInfo.project.name}`;
    await page.getByLabel(w.name).fill(orgName);
    await expect(page.getByLabel(w.kindEntreprise, { exact: true })).toBeChecked();
    await page.getByLabel(w.yes, { exact: true }).check();
    await page.getByRole('button', { name: w.next }).click();

    // Step 3: the function, then "Créer".
    await expect(page).toHaveURL('/organisations/new/function');
    await ready(page, testInfo);
    await expectAccessible(page, testInfo);
    await page.getByLabel(w.fn, { exact: true }).fill('gérante');
    await page.getByRole('button', { name: w.createButton, exact: true }).click();

    // Step 4: the contact details; saving shows the green notice, on the same page.
    await expect(page).toHaveURL(/\/organisations\/\d+\/contact\?new=1$/);
    await ready(page, testInfo);
    await expectAccessible(page, testInfo);
    // A wrong number first: refused, and what was typed stays.
    await page.getByLabel(w.mobile).fill('0470 12');
    await page.getByRole('button', { name: w.save }).click();
    await expect(page.getByRole('alert')).toBeVisible();
    await expect(page.getByLabel(w.mobile)).toHaveValue('0470 12');
    await page.getByLabel(w.mobile).fill('0470 12 34 56');
    await page.getByRole('button', { name: w.save }).click();
    await expect(page).toHaveURL(/\/organisations\/\d+\/contact\?created=1$/);
    await expect(page.getByRole('status')).toContainText(w.created);
    await expect(page.getByLabel(w.mobile)).toHaveValue('0470 12 34 56');
    // "Dans la barre bleue du banner supérieur apparaît le nom de votre entreprise": the
    // session acts for the new profile at once.
    await expect(banner.getByRole('link', { name: orgName })).toBeVisible();

    // The banner now lists it under the entreprise icon, with its number.
    await openEntrepriseMenu(page, testInfo, w);
    const entry = page.getByRole(hydrated(testInfo) ? 'menuitem' : 'button', { name: new RegExp(orgName) });
    if (hydrated(testInfo)) {
      await expect(entry).toContainText(bce);
      await expectAccessible(page, testInfo);
      await entry.click();
    } else {
      await expect(page.getByRole('main').getByText(bce)).toBeVisible();
      await page.getByRole('button', { name: w.choose }).click();
    }
    await expect(page).toHaveURL('/dashboard');
    await expect(page.getByRole('main').getByText(`${w.actingFor}${orgName}`)).toBeVisible();
    await expect(banner.getByRole('link', { name: orgName })).toBeVisible();

    // Back to "mon espace citoyen".
    await ready(page, testInfo);
    await banner.getByRole('button', { name: w.citizenButton, exact: true }).click();
    await expect(page).toHaveURL('/dashboard');
    await expect(page.getByRole('main').getByText(`${w.actingFor}${w.citizen}`)).toBeVisible();
    await expect(banner.getByRole('link', { name: w.citizen })).toBeVisible();

    // "Mes organisations" in mon compte lists it with the function.
    await page.goto('/account/organisations');
    await expect(page.getByRole('heading', { level: 2, name: orgName })).toBeVisible();
    await expect(page.getByRole('main')).toContainText('gérante');
    await expectAccessible(page, testInfo);

    // The same number again: "Vous disposez déjà d'un accès à cet espace professionnel".
    await page.goto('/organisations/new?kind=entreprise');
    await ready(page, testInfo);
    await page.getByLabel(w.bce).fill(bce.replace(/\./g, ''));
    await page.getByLabel(w.terms).check();
    await page.getByRole('button', { name: w.next }).click();
    await expect(page.getByRole('alert')).toContainText(w.already);
  });
}

test('the profile menu follows the keyboard', async ({ page, request }, testInfo) => {
  test.skip(!hydrated(testInfo), 'the menu-button pattern needs JavaScript; without it the icon is a link to a page');
  const email = `keys-${Date.now()}@example.be`;
  await confirmedAccount(request, email);
  await page.goto('/login');
  await ready(page, testInfo);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL('/dashboard');
  await ready(page, testInfo);
  const button = page.getByRole('button', { name: 'Associations', exact: true });
  await button.focus();
  await page.keyboard.press('ArrowDown');
  await expect(button).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('menuitem', { name: 'Créer un profil association' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(button).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByRole('menu')).toBeHidden();
  await expect(button).toBeFocused();
});

test('a reload before "Suivant" keeps what was typed in the wizard', async ({ page, request }, testInfo) => {
  test.skip(!hydrated(testInfo), 'the browser keeps the typing only when JavaScript runs; without it each step is kept once sent');
  const email = `reload-${Date.now()}@example.be`;
  await confirmedAccount(request, email);
  await page.goto('/login');
  await ready(page, testInfo);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL('/dashboard');
  await page.goto('/organisations/new?kind=association');
  await ready(page, testInfo);
  await page.getByLabel('Numéro BCE').fill('0423.120.136');
  await page.reload();
  await ready(page, testInfo);
  await expect(page.getByLabel('Numéro BCE')).toHaveValue('0423.120.136');
  // Signing out forgets it.
  await page.getByRole('banner').getByText('Lucas Dubois').click();
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL('/');
  const kept = await page.evaluate(() => window.localStorage.getItem('espace.wizard.bce'));
  expect(kept).toBeNull();
});
