import * as http from 'node:http';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { hydrated, ready, signInAs } from './helpers';
import { confirmedAccount } from './mail';

// What the release build (`make build`, the one `make run` serves) must hold: the server
// started as a deployment starts it (playwright.config.ts), its assets hashed, cached for a
// year and compressed at build time, and a first load that stays within its budget.

/**
 * The most a first load may weigh (brotli, JS + WASM + CSS together, as the release server
 * sends it): 250 KB (issue 11). Only the islands run in the browser, so `/` and
 * `/dashboard` load the same main WASM (BENCHMARKS.md has the figures).
 */
const FIRST_LOAD_BUDGET_BYTES = 250_000;
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The raw bytes the server sends for `url` when the browser accepts `encoding`. */
function fetchEncoded(url: string, encoding: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'accept-encoding': encoding } }, (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => (bytes += chunk.length));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, bytes }));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

/** The `/pkg/` files the page links in its HTML (scripts, styles, preloads). */
function linkedAssets(html: string): string[] {
  const found = new Set<string>();
  for (const match of html.matchAll(/(?:href|src)="(\/pkg\/[^"]+)"/g)) found.add(match[1]);
  // The hydration script imports the JS by name.
  for (const match of html.matchAll(/["'](\/pkg\/[^"']+\.(?:js|wasm))["']/g)) found.add(match[1]);
  return [...found];
}

/**
 * Loads `path` in the browser until it is interactive, and returns every `/pkg/` file the
 * browser asked for on the way (the main WASM, its JS, the CSS, and the chunks of the page).
 */
async function firstLoad(page: Page, testInfo: TestInfo, path: string): Promise<string[]> {
  const requested = new Set<string>();
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/pkg/')) requested.add(url.pathname);
  });
  await page.goto(path);
  await ready(page, testInfo);
  await page.waitForLoadState('networkidle');
  return [...requested];
}

async function brotliWeight(baseURL: string, files: string[], testInfo: TestInfo, label: string) {
  let total = 0;
  const lines: string[] = [];
  for (const file of files.sort()) {
    const { status, headers, bytes } = await fetchEncoded(`${baseURL}${file}`, 'br');
    expect(status, file).toBe(200);
    expect(headers['content-encoding'], `${file} is sent with brotli`).toBe('br');
    total += bytes;
    lines.push(`${String(bytes).padStart(9)}  ${file}`);
  }
  lines.push(
    `${String(total).padStart(9)}  total (${label}); budget ${FIRST_LOAD_BUDGET_BYTES}`,
  );
  await testInfo.attach(`first load of ${label}`, { body: lines.join('\n'), contentType: 'text/plain' });
  console.log(`First load of ${label}, bytes as sent with brotli:\n${lines.join('\n')}`);
  return total;
}

test.describe('the release build', () => {
  test.beforeEach(({}, testInfo) => {
    // Nothing here depends on the page's JavaScript: once is enough.
    test.skip(!hydrated(testInfo), 'checked in the hydrated run');
  });

  test('answers /healthz, renders a page and serves its hashed assets cached and precompressed', async ({ request, baseURL }) => {
    const health = await request.get('/healthz');
    expect(health.status()).toBe(200);

    const page = await request.get('/');
    expect(page.status()).toBe(200);
    const html = await page.text();
    expect(html).toContain('<h1');
    expect(html).toContain('Votre espace personnel');

    const assets = linkedAssets(html);
    // The JS glue, the WASM and the stylesheet at least, each under a hashed name.
    for (const kind of ['js', 'wasm', 'css']) {
      expect(assets.filter((a) => a.endsWith(`.${kind}`)), `a .${kind} file is linked`).not.toHaveLength(0);
    }
    for (const asset of assets) {
      expect(asset, 'hashed file name').toMatch(/\.[A-Za-z0-9_-]{8,}\.(js|wasm|css)$/);
      for (const encoding of ['br', 'gzip']) {
        const { status, headers, bytes } = await fetchEncoded(`${baseURL}${asset}`, encoding);
        expect(status, `${asset} (${encoding})`).toBe(200);
        expect(headers['cache-control'], `${asset} cache`).toBe(IMMUTABLE);
        expect(headers['content-encoding'], `${asset} compressed at build time`).toBe(encoding);
        // Precompressed files are sent whole, with their length known in advance.
        expect(Number(headers['content-length']), `${asset} length`).toBe(bytes);
      }
      const identity = await fetchEncoded(`${baseURL}${asset}`, 'identity');
      expect(identity.status).toBe(200);
      expect(identity.headers['content-encoding']).toBeUndefined();
    }
  });

  test('the first load of / stays within the budget of JS, WASM and CSS (brotli)', async ({ page, baseURL }, testInfo) => {
    const files = await firstLoad(page, testInfo, '/');
    expect(files.some((f) => f.endsWith('.wasm'))).toBe(true);
    const total = await brotliWeight(baseURL!, files, testInfo, '/');
    expect(total).toBeLessThanOrEqual(FIRST_LOAD_BUDGET_BYTES);
  });

  test('the first load of /dashboard stays within the budget of JS, WASM and CSS (brotli)', async ({ browser, request, baseURL }, testInfo) => {
    const email = `budget-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.be`;
    await confirmedAccount(request, email);
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, testInfo, email);
    // A new visit: the browser's cache is emptied first, as for someone coming back tomorrow
    // after a new release.
    const session = await context.newCDPSession(page);
    await session.send('Network.clearBrowserCache');
    const files = await firstLoad(page, testInfo, '/dashboard');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(files.some((f) => f.endsWith('.wasm'))).toBe(true);
    const total = await brotliWeight(baseURL!, files, testInfo, '/dashboard');
    expect(total).toBeLessThanOrEqual(FIRST_LOAD_BUDGET_BYTES);
    await context.close();
  });

  test('a click that needs the WASM works (the page hydrated)', async ({ browser, request }, testInfo) => {
    const email = `island-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.be`;
    await confirmedAccount(request, email);
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page, testInfo, email);
    await page.goto('/dashboard');
    await ready(page, testInfo);
    // The "entreprise" icon is a form that leads to a page of its own; the island in the
    // WASM turns it into a menu that opens in place.
    const button = page.getByRole('banner').getByRole('button', { name: 'Entreprises', exact: true });
    await button.click();
    await expect(button).toHaveAttribute('aria-expanded', 'true');
    await expect(page.getByRole('banner').getByRole('menu')).toBeVisible();
    await expect(page).toHaveURL('/dashboard');
    await context.close();
  });
});
