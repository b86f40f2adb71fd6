import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, freshBce, hydrated, signedInAgent, ready, signInAs } from './helpers';
import { confirmedAccount } from './mail';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010802000000', 'hex');

async function fillAddress(page: Page, legend: string, street: string) {
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel('Rue').fill(street);
  await group.getByLabel('Numéro').fill('12');
  await group.getByLabel('Code postal').fill('1030');
  await group.getByLabel('Commune').fill('Schaerbeek');
}

/** Continues to "Vérifiez votre demande", sends from there; returns the new request's reference. */
async function send(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page).toHaveURL(/\/procedures\/[a-z-]+\/check$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Vérifiez votre demande');
  await page.getByRole('button', { name: 'Envoyer la demande' }).click();
  await expect(page).toHaveURL(/\/requests\/\d{4}-\d{6}\?submitted=1$/);
  await expect(page.getByRole('status')).toContainText('Votre demande a bien été envoyée.');
  return new URL(page.url()).pathname.split('/')[2];
}

function today(days = 0): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

test('file as a citizen and as an entreprise; the agent asks for a document, gets it, accepts', async ({ page, request, browser }, testInfo) => {
  test.setTimeout(180_000);
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const email = `demarche-${stamp}@example.be`;
  await confirmedAccount(request, email, 'Anna', 'Lambert');
  await signInAs(page, testInfo, email);

  // As a citizen: the catalogue offers the citizen's procedures.
  await page.getByRole('link', { name: 'Introduire une démarche' }).click();
  await expect(page).toHaveURL('/procedures');
  await ready(page, testInfo);
  await expect(page.getByRole('link', { name: "Autorisation d'enseigne" })).toHaveCount(0);
  await page.getByRole('link', { name: "Déclaration de changement d'adresse" }).click();
  await expect(page).toHaveURL('/procedures/changement-adresse');
  await ready(page, testInfo);
  await expectAccessible(page, testInfo);
  // Sent empty: every missing answer is named, nothing is filed.
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page.getByRole('alert')).toContainText('Nouvelle adresse : Ce champ est obligatoire.');
  await expect(page.getByRole('alert')).toContainText('Contrat de bail ou acte de propriété : Ce document est obligatoire.');
  await expect(page).toHaveURL(/\/procedures\/changement-adresse/);
  // A file of a type the slot does not take: refused with what it takes (in the browser
  // before anything is sent, or by the server without JavaScript).
  await page.getByLabel('Contrat de bail ou acte de propriété').setInputFiles({ name: 'bail.txt', mimeType: 'text/plain', buffer: Buffer.from('pas un PDF') });
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page.getByRole('alert')).toContainText("Ce fichier n'est pas d'un format accepté : PDF, JPEG, PNG seulement");
  // The file input itself says it, with its rules, to whoever reaches it.
  await expect(page.getByLabel('Contrat de bail ou acte de propriété')).toHaveAccessibleDescription(/10 Mo.*PDF, JPEG, PNG seulement/);
  await expect(page).toHaveURL(/\/procedures\/changement-adresse/);
  await fillAddress(page, 'Nouvelle adresse', 'Avenue Louis Bertrand');
  await page.getByLabel("Date d'emménagement").fill(today(-2));
  await page.getByLabel('Nombre de personnes qui déménagent').fill('2');
  await page.getByLabel('Contrat de bail ou acte de propriété').setInputFiles({ name: 'bail.pdf', mimeType: 'application/pdf', buffer: PDF });
  const citizenRef = await send(page);
  // The receipt of what she just did is in the centre, but the bell counts only what awaits her.
  await expect(page.getByRole('link', { name: /^Notifications/ })).toHaveAccessibleName('Notifications : aucune non lue');
  // The confirmation: her reference, what happens next and by when, and a receipt to keep.
  const panel = page.locator('.panel-confirmation');
  await expect(panel).toContainText('Votre référence');
  await expect(panel.locator('.panel-reference')).toHaveText(citizenRef);
  await expect(page.getByRole('region', { name: 'Ce qui va se passer' })).toContainText('Le Service Population examine votre demande et vous répond au plus tard le');
  await expectAccessible(page, testInfo);
  const receiptLink = page.getByRole('link', { name: "Télécharger l'accusé de réception (PDF)" });
  const receipt = await page.request.get((await receiptLink.getAttribute('href'))!);
  expect(receipt.status()).toBe(200);
  expect(receipt.headers()['content-type']).toBe('application/pdf');
  expect((await receipt.body()).subarray(0, 5).toString()).toBe('%PDF-');
  await expect(page.getByText('Avenue Louis Bertrand 12, 1030 Schaerbeek')).toBeVisible();
  await expect(page.getByRole('link', { name: 'bail.pdf' })).toBeVisible();

  // As an entreprise of hers.
  const bce = freshBce();
  for (const [fn, form] of [
    ['organisation_start', { kind: 'entreprise', bce, terms: 'on' }],
    ['organisation_details', { name: `Librairie ${stamp}`, confirmed_kind: 'entreprise', vat_subject: 'yes' }],
    ['organisation_create', { function: 'gérante' }],
  ] as const) {
    expect((await page.request.post(`/api/${fn}`, { form: { ...form }, maxRedirects: 0 })).status()).toBeLessThan(400);
  }
  const orgs = await (await page.request.post('/api/current_user')).json();
  const orgId = String(orgs.organisations[0].id);
  expect((await page.request.post('/api/switch_profile', { form: { organisation: orgId }, maxRedirects: 0 })).status()).toBeLessThan(400);

  // Her creator's word is not enough for a permit: she is a declared representative until
  // an agent accepts a proof of her mandate.
  await page.goto('/procedures/autorisation-enseigne');
  await ready(page, testInfo);
  await expect(page.locator('#representative-needed')).toContainText('Cette démarche demande un représentant vérifié');
  const sendButton = page.getByRole('button', { name: 'Continuer' });
  await expect(sendButton).toBeDisabled();
  // …and looks it: faded, no pointer (not the blue of a button that works).
  await expect(sendButton).toHaveCSS('background-color', 'rgb(231, 232, 233)');
  await expect(sendButton).toHaveCSS('cursor', 'not-allowed');
  await page.locator('#representative-needed').getByRole('link', { name: 'Envoyer une preuve de mandat' }).click();
  await expect(page).toHaveURL(`/organisations/${orgId}/verification`);
  await ready(page, testInfo);
  await expect(page.getByText('Représentant déclaré — en attente de vérification')).toBeVisible();
  await expectAccessible(page, testInfo);
  // Sent without a file: said, nothing kept.
  await page.getByLabel('Statuts').check();
  await page.getByRole('button', { name: 'Envoyer la preuve' }).click();
  await expect(page.getByRole('alert')).toContainText('Ce document est obligatoire.');
  await page.getByLabel('Publication au Moniteur belge').check();
  await page.getByLabel('Document').setInputFiles({ name: 'moniteur.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: 'Envoyer la preuve' }).click();
  await expect(page).toHaveURL(`/organisations/${orgId}/verification?sent=1`);
  await expect(page.getByText('Votre preuve de mandat a été envoyée.')).toBeVisible();
  await expect(page.getByText("Votre preuve de mandat est en cours d'examen")).toBeVisible();

  // An agent reviews it in "Vérifications": a refusal needs a reason, then accepts.
  const { context: agentContext, page: agent } = await signedInAgent(browser, request, testInfo, `agent-${stamp}@schaerbeek.be`);
  await agent.goto('/backoffice');
  await ready(agent, testInfo);
  await agent.getByRole('link', { name: 'Vérifications' }).click();
  await expect(agent).toHaveURL('/backoffice/verifications');
  await ready(agent, testInfo);
  const card = agent.getByRole('listitem').filter({ hasText: `Librairie ${stamp}` });
  await expect(card).toContainText('Publication au Moniteur belge');
  await expect(card.getByRole('link', { name: 'moniteur.pdf' })).toBeVisible();
  await expectAccessible(agent, testInfo);
  await card.getByRole('button', { name: 'Refuser' }).click();
  await expect(agent.getByRole('alert')).toContainText('Indiquez le motif du refus');
  await agent.getByRole('listitem').filter({ hasText: `Librairie ${stamp}` }).getByRole('button', { name: 'Accepter' }).click();
  await expect(agent.getByText('La preuve a été acceptée')).toBeVisible();
  await page.goto(`/organisations/${orgId}/verification`);
  await ready(page, testInfo);
  await expect(page.getByText('Représentant vérifié', { exact: true })).toBeVisible();
  await page.goto('/notifications');
  await ready(page, testInfo);
  await expect(page.getByText(`Vous êtes désormais représentant vérifié de Librairie ${stamp}.`)).toBeVisible();

  await page.goto('/procedures');
  await ready(page, testInfo);
  await expect(page.getByRole('link', { name: "Déclaration de changement d'adresse" })).toHaveCount(0);
  await page.getByRole('link', { name: "Autorisation d'enseigne" }).click();
  await ready(page, testInfo);
  await page.getByLabel("Nom de l'établissement").fill('Librairie du Parc');
  await fillAddress(page, "Adresse de l'établissement", 'Chaussée de Haecht');
  await page.getByLabel("Type d'enseigne").selectOption('parallele');
  await page.getByLabel('Dimensions').fill('2 m × 0,5 m');
  await page.getByRole('group', { name: "L'enseigne sera-t-elle éclairée ?" }).getByLabel('Non').check();
  await page.getByLabel("Photomontage de la façade avec l'enseigne").setInputFiles({ name: 'facade.png', mimeType: 'image/png', buffer: PNG });
  const companyRef = await send(page);

  // Each on its own dashboard only.
  await page.goto('/dashboard');
  await ready(page, testInfo);
  await expect(page.getByRole('link', { name: companyRef })).toBeVisible();
  await expect(page.getByRole('link', { name: citizenRef })).toHaveCount(0);
  await expectAccessible(page, testInfo);
  expect((await page.request.post('/api/switch_profile', { form: { organisation: '' }, maxRedirects: 0 })).status()).toBeLessThan(400);
  await page.goto('/dashboard');
  await ready(page, testInfo);
  await expect(page.getByRole('link', { name: citizenRef })).toBeVisible();
  await expect(page.getByRole('link', { name: companyRef })).toHaveCount(0);

  // A link to the company's request (its e-mail, a notification) switches to the company
  // and says so, instead of "not found"; then back to the citizen profile.
  await page.goto(`/requests/${companyRef}`);
  await ready(page, testInfo);
  await expect(page.getByRole('status')).toContainText(`Cette demande a été introduite au nom de Librairie ${stamp} : vous agissez maintenant pour ce profil.`);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(companyRef);
  // The page was asked again after the switch: its banner already shows the company.
  await expect(page).toHaveURL(`/requests/${companyRef}?switched=1`);
  await expect(page.locator('.profile-button-active')).toContainText(`Librairie ${stamp}`);
  await page.goto('/dashboard');
  await ready(page, testInfo);
  await expect(page.getByRole('link', { name: companyRef })).toBeVisible();
  await expect(page.getByRole('banner')).toContainText(`Librairie ${stamp}`);
  expect((await page.request.post('/api/switch_profile', { form: { organisation: '' }, maxRedirects: 0 })).status()).toBeLessThan(400);

  // The agent asks for a document.
  await agent.goto('/backoffice');
  await ready(agent, testInfo);
  await agent.getByRole('link', { name: citizenRef }).click();
  await expect(agent).toHaveURL(`/backoffice/requests/${citizenRef}`);
  await ready(agent, testInfo);
  const changed = agent.getByText('Le statut a été modifié et le demandeur en a été informé.');
  await agent.getByLabel('Nouveau statut').selectOption('in_treatment');
  await agent.getByRole('button', { name: 'Changer le statut' }).click();
  await expect(changed).toBeVisible();
  // A refused change says only that: the earlier green notice goes away.
  await agent.getByLabel('Nouveau statut').selectOption('documents_requested');
  await agent.getByRole('button', { name: 'Changer le statut' }).click();
  await expect(agent.getByRole('alert')).toBeVisible();
  await expect(changed).toHaveCount(0);
  await agent.getByLabel('Nouveau statut').selectOption('documents_requested');
  // A long unbroken word in it (a pasted address) must wrap, not widen the requester's page.
  const pasted = `https://exemple.be/${'a'.repeat(400)}`;
  await agent.getByLabel('Note').fill(`Une copie recto verso de votre carte d'identité. ${pasted}`);
  await agent.getByRole('button', { name: 'Changer le statut' }).click();
  await expect(agent.getByText('Le statut a été modifié et le demandeur en a été informé.')).toBeVisible();

  // The requester finds it at the top of her dashboard, with the way to do it.
  await page.goto('/dashboard');
  await ready(page, testInfo);
  const toDo = page.getByRole('region', { name: 'À faire' });
  await expect(toDo).toContainText(`L'administration demande des documents pour votre demande ${citizenRef}`);
  await expectAccessible(page, testInfo);
  await toDo.getByRole('link', { name: 'Envoyer les documents' }).click();

  // The requester answers.
  await expect(page).toHaveURL(`/requests/${citizenRef}`);
  await ready(page, testInfo);
  const asked = page.getByRole('region', { name: "Documents demandés par l'administration" });
  await expect(asked).toContainText("Une copie recto verso de votre carte d'identité.");
  await expect(asked).toContainText(pasted);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await asked.getByLabel('Documents à envoyer').setInputFiles({ name: 'carte.png', mimeType: 'image/png', buffer: PNG });
  await asked.getByRole('button', { name: 'Envoyer les documents' }).click();
  await expect(page.getByText('Vos documents ont été envoyés.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'carte.png' })).toBeVisible();

  // The agent accepts.
  await agent.goto(`/backoffice/requests/${citizenRef}`);
  await ready(agent, testInfo);
  await agent.getByLabel('Nouveau statut').selectOption('accepted');
  await agent.getByRole('button', { name: 'Changer le statut' }).click();
  await expect(agent.getByText('Le statut a été modifié et le demandeur en a été informé.')).toBeVisible();
  await page.goto(`/requests/${citizenRef}`);
  await ready(page, testInfo);
  await expect(page.locator('dd .status')).toHaveText('Acceptée');
  // Where it stands, as a line of steps: the decision is the current one.
  const progress = page.getByRole('list', { name: 'Avancement : étape 3 sur 4' });
  await expect(progress.locator('[aria-current="step"]')).toHaveText('Acceptée');
  // She sees that the Population service read her file, not who.
  const reads = page.getByRole('region', { name: "Consultations par l'administration" });
  await expect(reads).toContainText('Consultée par le Service Population le');
  await expect(reads).not.toContainText('Marc');
  await expectAccessible(page, testInfo);
  await agentContext.close();
});

test('on a shared browser, the next account never sees what the previous one typed', async ({ page, request, context }, testInfo) => {
  test.skip(!hydrated(testInfo), 'the copy of what is typed is kept by the page script');
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const first = `premiere-${stamp}@example.be`;
  const second = `suivante-${stamp}@example.be`;
  await confirmedAccount(request, first, 'Anna', 'Lambert');
  await confirmedAccount(request, second, 'Paul', 'Peeters');
  await signInAs(page, testInfo, first);
  await page.goto('/procedures/changement-adresse');
  await ready(page, testInfo);
  await page.getByLabel('Nombre de personnes qui déménagent').fill('7');
  const kept = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('espace.procedure.')));
  await expect.poll(kept).toHaveLength(1);
  // Kept for her account: a reload gives it back.
  await page.reload();
  await ready(page, testInfo);
  await expect(page.getByLabel('Nombre de personnes qui déménagent')).toHaveValue('7');

  // Her session ends without "Se déconnecter" (expired, cookies cleared); someone else signs in.
  await context.clearCookies();
  await signInAs(page, testInfo, second);
  await page.goto('/procedures/changement-adresse');
  await ready(page, testInfo);
  await expect(page.getByLabel('Nombre de personnes qui déménagent')).toHaveValue('');
  await expect.poll(kept).toHaveLength(0);
});
