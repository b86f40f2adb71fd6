import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, type APIRequestContext, type Browser, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { confirmedAccount, PASSWORD } from './mail';

export const hydrated = (testInfo: TestInfo) => testInfo.project.name === 'hydrated';

/** Waits until the WASM has taken over the page (hydrated run only). */
export async function ready(page: Page, testInfo: TestInfo) {
  if (hydrated(testInfo)) {
    await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true', { timeout: 30_000 });
  }
}

/**
 * Fails on any WCAG 2.1 A or AA violation that axe-core finds on the page as it is now.
 * axe-core is JavaScript: in the run without JavaScript it checks the same address, with the
 * same cookies, in a page whose scripts are blocked — the server-rendered page as is.
 */
export async function expectAccessible(page: Page, testInfo: TestInfo) {
  let target = page;
  let context: BrowserContext | undefined;
  if (!hydrated(testInfo)) {
    context = await page.context().browser()!.newContext({
      javaScriptEnabled: true,
      locale: testInfo.project.use.locale,
      storageState: await page.context().storageState(),
    });
    await context.route(/\/pkg\/.*\.(js|wasm)$/, (route) => route.abort());
    target = await context.newPage();
    await target.goto(page.url());
  }
  const results = await new AxeBuilder({ page: target })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  await context?.close();
  const summary = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  expect(summary, 'accessibility violations').toEqual([]);
}

/** A valid BCE number nobody registered yet: 8 random digits, then the check digits. */
export function freshBce(): string {
  const base = Math.floor(Math.random() * 9_000_000) + 10_000_000; // starts with 1
  const check = 97 - (base % 97);
  const digits = `${base}${String(check).padStart(2, '0')}`;
  return `${digits.slice(0, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}`;
}

/** Signs in through the form and waits for the dashboard. */
export async function signInAs(page: Page, testInfo: TestInfo, email: string) {
  await page.goto('/login');
  await ready(page, testInfo);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL('/dashboard');
  await ready(page, testInfo);
}

/** Every service of the catalogue (`service.code` in `app/procedures/`). */
export const EVERY_SERVICE = ['economie', 'evenements', 'mobilite', 'population', 'salles', 'urbanisme', 'vie-associative', 'voirie'];

/** `server agent add <email> <service>…` (every service), against the database of the
 * server under test. */
export function makeAgent(email: string) {
  const repo = path.resolve(__dirname, '..', '..');
  const dataDir = process.env.E2E_DATA_DIR!;
  // The binary of the server under test (playwright.config.ts).
  execFileSync(process.env.E2E_SERVER!, ['agent', 'add', email, ...EVERY_SERVICE], {
    cwd: repo,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? `sqlite://${path.join(dataDir, 'espace.sqlite')}`,
      LOG_LEVEL: 'warn',
    },
  });
}

/** A valid national register number nobody used yet (born in the 1980s). */
export function freshNrn(): string {
  const base = 800_000_000 + Math.floor(Math.random() * 99_999_999);
  const check = 97 - (base % 97);
  return `${base}${String(check).padStart(2, '0')}`;
}

/** A person at the local identity provider, with the claims the federal service sends. */
export async function personAtProvider(request: APIRequestContext, sub: string, nrn: string, givenName: string, surname: string) {
  const response = await request.put(`${process.env.E2E_OIDC_ISSUER!}/users/${encodeURIComponent(sub)}`, {
    data: { acr: 'urn:be:fedict:iam:fas:Level500', egovNRN: nrn, givenName, surname },
  });
  expect(response.status()).toBe(204);
}

/** At the provider's page: authenticates as `sub`. */
export async function identifyAtProvider(page: Page, sub: string) {
  await expect(page).toHaveURL(new RegExp(`^${process.env.E2E_OIDC_ISSUER!}/oauth2/authorize\\?`));
  await page.getByPlaceholder('sub').fill(sub);
  await page.getByRole('button', { name: 'Authorize' }).click();
}

/**
 * A new agent (`server agent add`), signed in in a browser context of its own (close it).
 * The server under test has eID configured, so the back office first asks the agent to
 * identify with their card, once per session: done here, with a card of their own.
 */
export async function signedInAgent(browser: Browser, request: APIRequestContext, testInfo: TestInfo, email: string) {
  await confirmedAccount(request, email, 'Marc', 'Agent');
  makeAgent(email);
  const sub = `agent-${testInfo.project.name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  await personAtProvider(request, sub, freshNrn(), 'Marc', 'Agent');
  const context = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    javaScriptEnabled: testInfo.project.use.javaScriptEnabled,
    locale: 'fr-BE',
  });
  const page = await context.newPage();
  await signInAs(page, testInfo, email);
  await page.goto('/backoffice');
  await ready(page, testInfo);
  await expect(page.locator('#backoffice-eid')).toContainText('une fois par session');
  await page.locator('#backoffice-eid').getByRole('button', { name: "M'identifier avec ma carte d'identité" }).click();
  await identifyAtProvider(page, sub);
  await expect(page).toHaveURL('/backoffice');
  await ready(page, testInfo);
  await expect(page.locator('#backoffice-eid')).toHaveCount(0);
  return { context, page };
}

/** `server import-kbo`: the company register knows `bce` (written 0123.456.749) as `name`,
 * with its registered seat at Chaussée de Louvain 100, 1030 Schaerbeek. */
export function knownToKbo(bce: string, name: string) {
  const dataDir = process.env.E2E_DATA_DIR!;
  const folder = fs.mkdtempSync(path.join(dataDir, 'kbo-'));
  fs.writeFileSync(path.join(folder, 'enterprise.csv'),
    '"EnterpriseNumber","Status","JuridicalSituation","TypeOfEnterprise","JuridicalForm","JuridicalFormCAC","StartDate"\n'
    + `"${bce}","AC","000","2","014",,01-01-2001\n`);
  fs.writeFileSync(path.join(folder, 'denomination.csv'),
    '"EntityNumber","Language","TypeOfDenomination","Denomination"\n' + `"${bce}","1","001","${name}"\n`);
  fs.writeFileSync(path.join(folder, 'address.csv'),
    '"EntityNumber","TypeOfAddress","CountryNL","CountryFR","Zipcode","MunicipalityNL","MunicipalityFR","StreetNL","StreetFR","HouseNumber","Box","ExtraAddressInfo","DateStrikingOff"\n'
    + `"${bce}","REGO",,,"1030","Schaarbeek","Schaerbeek","Leuvensesteenweg","Chaussée de Louvain","100","","",\n`);
  const repo = path.resolve(__dirname, '..', '..');
  execFileSync(process.env.E2E_SERVER!, ['import-kbo', folder], {
    cwd: repo,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? `sqlite://${path.join(dataDir, 'espace.sqlite')}`,
      LOG_LEVEL: 'warn',
    },
  });
}

/** Runs `work` while no other worker runs work of the same `name` (the browser projects
 * share one server: printing takes every letter waiting, whoever asked for it). */
export async function exclusively<T>(name: string, work: () => Promise<T>): Promise<T> {
  const lock = path.join(process.env.E2E_DATA_DIR!, `${name}.lock`);
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await work();
  } finally {
    fs.rmdirSync(lock);
  }
}
