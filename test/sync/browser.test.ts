import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCloudApp } from '../../cloud/app';
import type { Database } from '../../cloud/db/types';
import { issueProvisioningCode } from '../../cloud/provision';
import { createStore } from '../../cloud/stores';
import { ISOLATION_HEADERS, contentSecurityPolicy } from '../../common/csp';
import { TEST_PRODUCTS, openTestCloudDb } from './lane';

/**
 * The sync engine in real Chromium against the real cloud on another origin, under the
 * terminal page's own rules: cross-origin isolation (COOP + COEP require-corp), the CSP with the
 * cloud in connect-src, CORS preflights for the signed headers, Web Crypto keys in real
 * IndexedDB, Web Locks. Node's fetch checks none of these, so the fault suite cannot.
 */
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p) => p && existsSync(p),
);

let db: Database;
let browser: Browser | null = null;
const servers: http.Server[] = [];
let cloudUrl = '';
let closeCloud: () => Promise<void> = async () => undefined;

async function listen(server: http.Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Serves the test page with the terminal's headers; `cloud` goes into connect-src. */
async function pageServer(files: () => { script: string; css: string }): Promise<string> {
  const server = http.createServer((req, res) => {
    const headers = {
      ...ISOLATION_HEADERS,
      'Content-Security-Policy': contentSecurityPolicy([cloudUrl]),
    };
    if (req.url === '/entry.js') {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/javascript' });
      return res.end(files().script);
    }
    if (req.url === '/entry.css') {
      res.writeHead(200, { ...headers, 'Content-Type': 'text/css' });
      return res.end(files().css);
    }
    res.writeHead(200, { ...headers, 'Content-Type': 'text/html' });
    res.end(
      '<!doctype html><html lang="en"><head><title>sync test</title><link rel="stylesheet" href="/entry.css">' +
        '<script type="module" src="/entry.js"></script></head><body>sync test</body></html>',
    );
  });
  return listen(server);
}

describe.skipIf(!CHROMIUM)('sync engine in Chromium', () => {
  let script = '';
  let css = '';
  let allowedPage = '';
  let otherPage = '';

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [fileURLToPath(new URL('./browser/entry.tsx', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'chrome120',
      jsx: 'automatic',
      outdir: 'sync-browser-test', // nothing is written: the files are served from memory
      write: false,
      define: { 'process.env.NODE_ENV': '"production"' },
    });
    script = bundle.outputFiles.find((f) => f.path.endsWith('.js'))!.text;
    css = bundle.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '';
    allowedPage = await pageServer(() => ({ script, css }));
    otherPage = await pageServer(() => ({ script, css }));
    db = await openTestCloudDb();
    const app = await buildCloudApp({
      db,
      adminToken: 'browser',
      allowedOrigins: [allowedPage],
      logger: false,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    cloudUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    closeCloud = async () => {
      app.server.closeAllConnections();
      await app.close();
      await db.close();
    };
    await createStore(db, {
      id: 'browser-store',
      name: 'Browser Store',
      profileId: 'us',
      staff: [{ id: 'm1', name: 'Morgan Lee', role: 'manager', passcode: '12345678' }],
      products: TEST_PRODUCTS,
    });
    const runningAsRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    browser = await chromium.launch({
      executablePath: CHROMIUM!,
      args: runningAsRoot ? ['--no-sandbox'] : [],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await closeCloud();
    for (const s of servers) s.closeAllConnections();
  });

  it('provisions, pushes and pulls from an isolated page with the terminal CSP', async () => {
    const context = await browser!.newContext(); // axe-core wants a page from a context
    const page = await context.newPage();
    await page.goto(allowedPage);
    await page.waitForFunction(() => 'runSync' in globalThis);
    const code = await issueProvisioningCode(db, 'browser-store');
    const result = await page.evaluate(
      ([url, c]) =>
        (globalThis as unknown as { runSync: (u: string, c: string) => Promise<unknown> }).runSync(
          url!,
          c!,
        ),
      [cloudUrl, code],
    );
    expect(result).toEqual({
      isolated: true,
      webLocks: true,
      phase: 'idle',
      storeName: 'Browser Store',
      keyExport: 'refused',
      catalog: TEST_PRODUCTS.length,
    });
    const sales = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM sales WHERE store_id = 'browser-store'`,
    );
    expect(sales.rows[0]?.n).toBe(1);

    // The badge and the manager view, as the lane's shell mounts them.
    await page.evaluate(() =>
      (globalThis as unknown as { mountManager: () => Promise<void> }).mountManager(),
    );
    await expect
      .poll(() => page.getByRole('status').first().getAttribute('aria-label'))
      .toBe('Cloud sync: Up to date');
    // A manager's own passcode, checked against the verifier pulled with the store settings.
    await page.getByLabel('Manager', { exact: true }).selectOption('m1');
    const passcode = page.getByLabel('Passcode');
    await passcode.fill('99999999');
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('Wrong passcode. 4 tries left before entry locks.');
    await passcode.fill('12345678');
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('heading', { name: 'Sync queue' }).waitFor();
    await expect.poll(() => page.getByTestId('manager-phase').textContent()).toBe('Up to date');
    // The sale, and the audit event of Morgan Lee opening this view (newest first).
    const rows = page.locator('.manager-items tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).locator('td').nth(1).textContent()).toBe('manager.opened');
    expect(await rows.nth(1).locator('td').nth(4).textContent()).toBe('synced');
    expect(await page.locator('.manager-chart canvas').count()).toBe(1); // Chart.js drew the 24 h chart
    expect(
      await page.getByRole('button', { name: 'Export rejected sales (CSV)' }).isDisabled(),
    ).toBe(true);
    await page.getByRole('button', { name: 'Sync now' }).click();
    await page.getByRole('button', { name: 'Sync now' }).waitFor();
    // Every control has an accessible name (axe-core's rules, as the lane's e2e checks them).
    const axe = await new AxeBuilder({ page: page as never })
      .withRules([
        'button-name',
        'label',
        'aria-valid-attr',
        'aria-valid-attr-value',
        'aria-required-attr',
        'aria-input-field-name',
        'duplicate-id-aria',
      ])
      .analyze();
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    if (process.env.SYNC_SCREENSHOT)
      await page.screenshot({ path: process.env.SYNC_SCREENSHOT, fullPage: true });
    await context.close();
  });

  it('a page on an origin the cloud does not allow cannot reach it', async () => {
    const page = await browser!.newPage();
    await page.goto(otherPage);
    await page.waitForFunction(() => 'runSync' in globalThis);
    const code = await issueProvisioningCode(db, 'browser-store');
    const error = await page.evaluate(
      ([url, c]) =>
        (
          globalThis as unknown as {
            runSync: (u: string, c: string, ms: number) => Promise<unknown>;
          }
        )
          .runSync(url!, c!, 2_000)
          .then(
            () => 'synced',
            (e: Error) => e.message,
          ),
      [cloudUrl, code],
    );
    // CORS refuses the answer, so the page sees no answer at all: the code may still be good,
    // and the engine keeps trying it with backoff rather than giving it up.
    expect(error).toMatch(/not synced: backoff Provisioning failed: Cloud unreachable/);
    await page.close();
  });
});
