import { defineConfig } from '@playwright/test';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';

// The server under test: the release build (`make build`, what `make run` serves), started
// as a deployment starts it — the binary and its variables — on a port of its own, with a
// fresh SQLite database for this run. E2E_SERVER names another binary.
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
// The local OpenID Connect provider the eID identification goes to (end2end/oidc/provider).
const oidcPort = Number(process.env.E2E_OIDC_PORT ?? 3102);
const oidcIssuer = `http://127.0.0.1:${oidcPort}`;
process.env.E2E_OIDC_ISSUER = oidcIssuer;
const repo = path.resolve(__dirname, '..');
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(repo, 'target');
const server = process.env.E2E_SERVER ?? path.join(targetDir, 'server-release', 'server');
process.env.E2E_SERVER = server;
const dataDir = process.env.E2E_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), 'espace-e2e-'));
// The specs read the e-mails the server writes there (no SMTP in tests).
process.env.E2E_DATA_DIR = dataDir;

export default defineConfig({
  testDir: './tests',
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  reporter: [['list']],
  timeout: 30_000,
  // The server under test shares two cores with two browsers: give a page more than the
  // default 5 s to arrive.
  expect: { timeout: 15_000 },
  use: {
    baseURL,
    locale: 'fr-BE',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'hydrated', use: { javaScriptEnabled: true } },
    { name: 'no-js', use: { javaScriptEnabled: false } },
  ],
  webServer: [
  {
    // A real OpenID Connect provider (oidc-provider-mock from PyPI), started for the run.
    command: `${path.join(repo, 'end2end', 'oidc', 'provider')} ${oidcPort}`,
    cwd: repo,
    url: `${oidcIssuer}/.well-known/openid-configuration`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'ignore',
  },
  {
    command: server,
    cwd: repo,
    url: `${baseURL}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      LISTEN_ADDR: `127.0.0.1:${port}`,
      BASE_URL: baseURL,
      DATA_DIR: dataDir,
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? `sqlite://${path.join(dataDir, 'espace.sqlite')}`,
      LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
      OUTBOX_INTERVAL_SECONDS: '1',
      // Every browser test registers from 127.0.0.1: the per-connection limit on e-mails
      // asked for has its own HTTP test.
      SEND_LIMIT_PER_IP: '100000',
      SEND_LIMIT_TOTAL: '100000',
      LEPTOS_OUTPUT_NAME: 'espace',
      LEPTOS_SITE_ROOT: path.join(repo, 'target', 'site'),
      LEPTOS_SITE_PKG_DIR: 'pkg',
      LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      LEPTOS_RELOAD_PORT: '3101',
      LEPTOS_HASH_FILES: process.env.LEPTOS_HASH_FILES ?? 'true',
      EID_ISSUER_URL: oidcIssuer,
      EID_CLIENT_ID: 'espace-e2e',
      EID_CLIENT_SECRET: 'e2e-secret',
      EID_NRN_KEY: 'a key for the browser tests only, not for production',
    },
  },
  ],
});
