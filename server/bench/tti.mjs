// Time to interactive of a page, in Debian's Chromium with the CPU slowed down 4× and a
// "slow 4G" network (Chromium's DevTools protocol), from an empty cache: from the start of
// the navigation until the WASM has hydrated the page (`<body data-hydrated="true">`).
//
//   node server/bench/tti.mjs BASE_URL [RUNS]        (BENCHMARKS.md says how it was run)
//
// Signs up nobody: for /dashboard set COOKIE to the `espace_session=…` of a signed-in person.
// Prints, per path, every run and the median, in milliseconds.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', 'end2end', 'package.json'));
const { chromium } = require('@playwright/test');

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const runs = Number(process.argv[3] ?? 5);
const paths = (process.env.PATHS ?? '/').split(',');

// DevTools' "Slow 4G" preset: 150 ms × 3.75 latency, 1.6 Mbit/s × 0.9 down, 750 kbit/s × 0.9 up.
const SLOW_4G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8,
  uploadThroughput: (750 * 1024 * 0.9) / 8,
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

for (const target of paths) {
  const times = [];
  for (let run = 0; run < runs; run++) {
    const context = await browser.newContext();
    if (process.env.COOKIE) {
      const [name, value] = process.env.COOKIE.split('=');
      await context.addCookies([{ name, value, url: base }]);
    }
    const page = await context.newPage();
    // Records when the page became interactive, in the page's own clock (0 = navigation start).
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.body?.getAttribute('data-hydrated') === 'true') {
          window.__interactiveAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-hydrated'] });
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.goto(`${base}${target}`, { timeout: 120_000 });
    await page.waitForFunction(() => window.__interactiveAt !== undefined, null, { timeout: 120_000 });
    times.push(Math.round(await page.evaluate(() => window.__interactiveAt)));
    await context.close();
  }
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`${target}: runs ${times.join(', ')} ms; median ${sorted[Math.floor(sorted.length / 2)]} ms`);
}
await browser.close();
