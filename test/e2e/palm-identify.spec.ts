import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { demoTemplateId } from '../../cloud/demo-shoppers';
import { E2E_PORT, E2E_TOKEN } from '../../playwright.config';
import { shot } from './support';

/**
 * Palm identification as a new user meets it: `npm run start:browser` with its embedded cloud,
 * which enrols the demo shoppers (DEMO_SHOPPERS) once the lane registers its shard key. The lane
 * loads them, then Settings → "Identify palm" with the emulator presenting an enrolled shopper
 * (accept, that shopper's palm) and a stranger (no match).
 *
 * This spec runs its own browser host and cloud (ports E2E_PORT + 20/21, a fresh data directory)
 * so the shared web server's cloud can stay without demo shoppers for specs that install their
 * own shard. Its emulator's capture counter starts at 0, so the probes are the same every run:
 * shopper #17 at quality 85 is accepted and stranger 1 000 000 000 is no match at every capture
 * counter 1…12 (checked against the seed-1 population and the demo policy).
 */
const PORT = E2E_PORT + 20;
const CLOUD_PORT = E2E_PORT + 21;
const ROOT = resolve(import.meta.dirname, '../..');
const DATA_DIR = '.e2e-palm-demo-cloud';
const SHOPPERS = 2000;

let host: ChildProcess | null = null;

test.use({ baseURL: `http://127.0.0.1:${PORT}` });

test.beforeAll(async () => {
  rmSync(resolve(ROOT, DATA_DIR), { recursive: true, force: true });
  const child = spawn(process.execPath, ['--import', 'tsx', 'native/browser-host/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(PORT),
      HOST_TOKEN: E2E_TOKEN,
      CLOUD_PORT: String(CLOUD_PORT),
      CLOUD_DATA_DIR: DATA_DIR,
      DEMO_SHOPPERS: String(SHOPPERS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  host = child;
  const output: string[] = [];
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`the browser host did not start:\n${output.join('')}`)),
      30_000,
    );
    const seen = (d: Buffer) => {
      output.push(String(d));
      if (output.join('').includes('Open: ')) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout?.on('data', seen);
    child.stderr?.on('data', (d: Buffer) => output.push(String(d)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the browser host exited (${code}):\n${output.join('')}`));
    });
  });
});

test.afterAll(async () => {
  const child = host;
  if (child && child.exitCode === null) {
    await new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  }
  rmSync(resolve(ROOT, DATA_DIR), { recursive: true, force: true });
});

/** The sync engine notes in the lane's settings that the cloud has its shard key. */
async function shardKeyRegistered(page: Page): Promise<boolean> {
  return page.evaluate(
    () =>
      new Promise<boolean>((done, fail) => {
        const req = indexedDB.open('palm-terminal');
        req.onerror = () => fail(req.error);
        req.onsuccess = () => {
          const get = req.result
            .transaction('settings')
            .objectStore('settings')
            .get('shard-key-registered');
          get.onsuccess = () => {
            done(get.result !== undefined);
            req.result.close();
          };
          get.onerror = () => fail(get.error);
        };
      }),
  );
}

test('a new lane loads the demo shoppers; an enrolled shopper is accepted, a stranger is not', async ({
  page,
}) => {
  await page.goto(`/#token=${E2E_TOKEN}`);
  await expect(page.getByTestId('host-status')).toContainText('connected');
  await page.getByRole('button', { name: 'Settings' }).click();
  const identify = page.getByRole('button', { name: 'Identify palm' });
  await expect(identify).toBeDisabled(); // nothing to match against yet

  // Provisioned, then the shard key registered: the cloud published the demo shard before it
  // answered, and the engine pulls again right after registering, with no click needed.
  await expect.poll(() => shardKeyRegistered(page), { timeout: 15_000 }).toBe(true);
  const palmPay = page.getByTestId('palm-pay-status');
  await expect(palmPay).toHaveAttribute('data-state', 'ready', { timeout: 15_000 });
  await expect(palmPay).toContainText(`Palm pay: ready (${SHOPPERS} palms)`);
  await expect(page.getByText(`enrolled: #0–#${SHOPPERS - 1}`)).toBeVisible();
  await expect(identify).toBeEnabled();

  // Shopper #17 holds a palm over the scanner.
  await identify.click();
  await expect(page.getByTestId('scanner-guidance')).toHaveText('Hold a palm over the scanner…');
  await page.getByLabel('Shopper #').fill('17');
  await page.getByRole('button', { name: 'Present palm' }).click();
  const result = page.getByTestId('identify-result');
  await expect(result).toHaveAttribute('data-decision', 'accept');
  await expect(result).toContainText(`Accept: palm ${demoTemplateId(17)}`);
  await expect(result).toContainText(/score 0\.\d{3} \(accept ≥ 0\.\d{3}, step-up ≥ 0\.\d{3}\)/);
  await expect(result).toContainText(/margin 0\.\d{3} \(accept needs ≥ 0\.\d{3}\)/);
  // Who it is, from the shard record's metadata (the worker never hands over a template).
  await expect(page.getByTestId('identify-shopper')).toHaveText(
    /^customer cus_\w+, (loyalty \S+|no loyalty card), age (not )?verified$/,
  );
  await expect(page.getByTestId('identify-elapsed')).toHaveText(
    /^\d+(\.\d)? ms from capture to decision$/,
  );
  await result.scrollIntoViewIfNeeded();
  await shot(page, 'palm-identify-accept');

  // Someone who never enrolled.
  await identify.click();
  await page.getByRole('button', { name: 'Present a stranger' }).click();
  await expect(page.getByTestId('emulator-presented')).toHaveText('presented identity 1000000000');
  await expect(result).toHaveAttribute('data-decision', 'no-match');
  await expect(result).toContainText('No match');
  await expect(result).not.toContainText('demo-palm');
  await shot(page, 'palm-identify-no-match');
});
