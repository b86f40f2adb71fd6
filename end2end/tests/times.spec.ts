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
  await page.getByRole('button', { name: 'Envoyer la demande' }).click();
  await expect(page.getByRole('alert')).toContainText("Heure de fin : L'heure de fin doit être après l'heure de début.");
  await expect(page).toHaveURL(/\/procedures\/reservation-salle/);
  await expectAccessible(page, testInfo);

  await page.getByLabel('Heure de fin').fill('23:00');
  await page.getByRole('button', { name: 'Envoyer la demande' }).click();
  await expect(page).toHaveURL(/\/requests\/\d{4}-\d{6}\?submitted=1$/);
  await expect(page.getByText('20:00')).toBeVisible();
  await expect(page.getByText('23:00')).toBeVisible();
});
