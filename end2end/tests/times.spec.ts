import { expect, test } from '@playwright/test';
import { expectAccessible, ready, signInAs } from './helpers';
import { confirmedAccount } from './mail';

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

test('a room booking whose end is not after its start is refused, then filed once it is', async ({ page, request }, testInfo) => {
  test.setTimeout(90_000);
  const email = `salle-${testInfo.project.name}-${Date.now()}@example.be`;
  await confirmedAccount(request, email, 'Nora', 'Haddad');
  await signInAs(page, testInfo, email);
  await page.goto('/procedures/reservation-salle');
  await ready(page, testInfo);
  await expect(page.getByLabel('Heure de début')).toHaveAttribute('type', 'time');
  await page.getByLabel('Salle', { exact: true }).selectOption('salle-lumiere');
  await page.getByLabel('Date souhaitée').fill(inDays(30));
  await page.getByLabel('Heure de début').fill('20:00');
  await page.getByLabel('Heure de fin').fill('18:00');
  await page.getByLabel('Nombre de personnes').fill('40');
  await page.getByLabel('Objet de la réservation').fill("Assemblée générale de l'association");
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page.getByRole('alert')).toContainText("Heure de fin : L'heure de fin doit être après l'heure de début.");
  await expect(page).toHaveURL(/\/procedures\/reservation-salle/);
  await expectAccessible(page, testInfo);

  await page.getByLabel('Heure de fin').fill('23:00');
  await page.getByRole('button', { name: 'Continuer' }).click();

  // "Vérifiez votre demande": every answer, each with its way back to the form.
  await expect(page).toHaveURL('/procedures/reservation-salle/check');
  await ready(page, testInfo);
  const row = (label: string) => page.locator('.summary-row').filter({ has: page.getByText(label, { exact: true }) });
  await expect(row('Salle').locator('.summary-value')).toHaveText("Salle Lumière (jusqu'à 80 personnes)");
  await expect(row('Heure de début').locator('.summary-value')).toHaveText('20:00');
  await expect(row('Heure de fin').locator('.summary-value')).toHaveText('23:00');
  await expect(row("Attestation d'assurance en responsabilité civile").locator('.summary-value')).toHaveText('Aucun fichier');
  await expectAccessible(page, testInfo);
  await page.getByRole('link', { name: 'Modifier Nombre de personnes' }).click();
  await expect(page).toHaveURL('/procedures/reservation-salle#participants');
  await ready(page, testInfo);
  await expect(page.getByLabel('Nombre de personnes')).toHaveValue('40');
  await expect(page.getByLabel('Heure de fin')).toHaveValue('23:00');
  await page.getByLabel('Nombre de personnes').fill('45');
  await page.getByRole('button', { name: 'Continuer' }).click();
  await expect(page).toHaveURL('/procedures/reservation-salle/check');
  await expect(row('Nombre de personnes').locator('.summary-value')).toHaveText('45');
  await page.getByRole('button', { name: 'Envoyer la demande' }).click();
  await expect(page).toHaveURL(/\/requests\/\d{4}-\d{6}\?submitted=1$/);
  const reference = new URL(page.url()).pathname.split('/')[2];
  await expect(page.getByText('20:00')).toBeVisible();
  await expect(page.getByText('23:00')).toBeVisible();

  // The dashboard says what it is about: the hall and the day.
  await page.goto('/dashboard');
  await ready(page, testInfo);
  const line = page.getByRole('row').filter({ hasText: reference });
  const [y, m, d] = inDays(30).split('-');
  await expect(line.getByRole('cell').nth(2)).toHaveText(`Salle Lumière (jusqu'à 80 personnes) — ${d}/${m}/${y}`);
  await expect(page.getByRole('columnheader', { name: 'Objet' })).toBeVisible();
});
