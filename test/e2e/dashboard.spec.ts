import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { E2E_PORT, E2E_TOKEN } from '../../playwright.config';
import { DEMO_MANAGER, shot, spawnTsx, type Spawned } from './support';

/**
 * The store dashboard as its people use it, and the palm gallery as a new lane meets it in a
 * store that approves lanes by hand: the operator's one-time login link works once; a manager
 * logs in with their own staff id and passcode; a newly provisioned lane sells at once but gets
 * no palm shard until that manager approves it, then palm pay becomes ready.
 *
 * Its own cloud (cloud/main.ts, E2E_PORT + 27: the demo store with DEMO_AUTO_APPROVE=0 and 40
 * demo shoppers) and browser host (E2E_PORT + 26, CLOUD_URL and the cloud's provisioning code).
 */
const HOST_PORT = E2E_PORT + 26;
const CLOUD_PORT = E2E_PORT + 27;
const DATA_DIR = '.e2e-dashboard-cloud';
const ROOT = resolve(import.meta.dirname, '../..');
const SHOPPERS = 40;

test.describe.configure({ mode: 'serial' });

let cloud: Spawned | null = null;
let host: Spawned | null = null;
let ready: { url: string; storeId: string; provisioningCode: string; loginUrl: string };

test.beforeAll(async () => {
  rmSync(resolve(ROOT, DATA_DIR), { recursive: true, force: true });
  cloud = await spawnTsx(
    'cloud/main.ts',
    {
      PORT: String(CLOUD_PORT),
      CLOUD_DATA_DIR: DATA_DIR,
      CLOUD_ALLOWED_ORIGINS: `http://127.0.0.1:${HOST_PORT}`,
      CLOUD_LOG: 'stdout',
      DEMO_SHOPPERS: String(SHOPPERS),
      DEMO_AUTO_APPROVE: '0',
      CLOUD_ADMIN_TOKEN: '',
    },
    'CLOUD_READY ',
  );
  const line = cloud
    .output()
    .split('\n')
    .find((l) => l.startsWith('CLOUD_READY '))!;
  ready = JSON.parse(line.slice('CLOUD_READY '.length)) as typeof ready;
  host = await spawnTsx(
    'native/browser-host/main.ts',
    {
      PORT: String(HOST_PORT),
      HOST_TOKEN: E2E_TOKEN,
      CLOUD_URL: ready.url,
      PROVISIONING_CODE: ready.provisioningCode,
    },
    'Open: ',
  );
});

test.afterAll(async () => {
  await host?.stop();
  await cloud?.stop();
  rmSync(resolve(ROOT, DATA_DIR), { recursive: true, force: true });
});

/** The dashboard's lane rows (its table captioned "Lanes …"), newest first. */
function lanes(dash: Page) {
  return dash.getByRole('table', { name: /^Lanes/ }).locator('tbody tr');
}

async function freshPage(browser: Browser): Promise<Page> {
  return (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
}

test('the operator’s one-time login link logs in once; the admin token is printed nowhere', async ({
  browser,
}) => {
  const page = await freshPage(browser);
  await page.goto(ready.loginUrl);
  await page.getByRole('button', { name: 'Log in as the operator' }).click();
  await expect(page.getByRole('heading', { name: 'Demo Market, Austin TX' })).toBeVisible();
  await expect(page.getByText('Logged in as operator')).toBeVisible();
  expect(page.url()).toBe(`${ready.url}/dashboard/demo-us`);
  await page.context().close();

  // Someone who finds the link afterwards (a shell history, a shoulder) gets nothing.
  const later = await freshPage(browser);
  await later.goto(ready.loginUrl);
  await later.getByRole('button', { name: 'Log in as the operator' }).click();
  await expect(later.getByRole('alert')).toContainText('already used');
  await expect(later.getByText('Logged in as')).toHaveCount(0);
  await later.context().close();

  const token = readFileSync(resolve(ROOT, DATA_DIR, 'admin-token'), 'utf8').trim();
  expect(cloud!.output()).not.toContain(token);
  expect(host!.output()).not.toContain(token);
});

test('a new lane gets no palm shard until a manager approves it in the dashboard; then palm pay is ready', async ({
  browser,
}) => {
  const lane = await freshPage(browser);
  await lane.goto(`http://127.0.0.1:${HOST_PORT}/#token=${E2E_TOKEN}`);
  await expect(lane.getByTestId('sync-status')).toHaveAttribute('data-phase', 'idle', {
    timeout: 30_000,
  });
  await lane.getByRole('button', { name: 'Settings' }).click();
  const approval = lane.getByTestId('palm-pay-approval');
  await expect(approval).toContainText('Waiting for a manager to approve this lane for palm pay');
  const palmPay = lane.getByTestId('palm-pay-status');
  await expect(palmPay).toHaveAttribute('data-state', 'no-shard');
  await expect(palmPay).toContainText('waiting for a manager’s approval');

  // The manager logs in with their own staff id and passcode.
  const dash = await freshPage(browser);
  await dash.goto(`${ready.url}/dashboard/demo-us`);
  await expect(dash.getByLabel('Store')).toHaveValue('demo-us');
  await dash.getByLabel('Staff id').fill(DEMO_MANAGER.id);
  await dash.getByLabel('Passcode').fill('00000000');
  await dash.getByRole('button', { name: 'Log in' }).click();
  await expect(dash.getByRole('alert')).toContainText('wrong');
  await dash.getByLabel('Staff id').fill(DEMO_MANAGER.id);
  await dash.getByLabel('Passcode').fill(DEMO_MANAGER.passcode);
  await dash.getByRole('button', { name: 'Log in' }).click();
  await expect(dash.getByText('Logged in as Morgan Lee (m1)')).toBeVisible();
  const row = dash.locator('tr', { hasText: 'waiting for palm-pay approval' });
  await expect(row).toHaveCount(1);
  await shot(dash, 'dashboard-waiting-approval');

  // Still nothing for the lane, however often it asks.
  await lane.getByRole('button', { name: 'Check for palm customers' }).click();
  await expect(palmPay).toHaveAttribute('data-state', 'no-shard');

  await row.getByRole('button', { name: 'Approve for palm pay' }).click();
  await expect(dash.getByRole('status')).toContainText('Lane approved for palm pay');
  await expect(lanes(dash).first()).toContainText('approved by Morgan Lee (m1)');

  await lane.getByRole('button', { name: 'Check for palm customers' }).click();
  await expect(palmPay).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
  await expect(palmPay).toContainText(`Palm pay: ready (${SHOPPERS} palms)`);
  await expect(approval).toContainText('approved for palm pay by Morgan Lee (m1)');
  await shot(lane, 'lane-approved-palm-pay');

  // A code for the next lane, shown once.
  await dash.goto(`${ready.url}/dashboard/demo-us`);
  await dash.getByRole('button', { name: 'Issue a provisioning code' }).click();
  await expect(dash.getByTestId('provisioning-code')).toHaveText(
    /^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/,
  );
  await expect(dash.getByText('Issued by Morgan Lee (m1)')).toBeVisible();

  // Revoking the lane: the dashboard says so and offers to reinstate it.
  await dash.goto(`${ready.url}/dashboard/demo-us`);
  await lanes(dash).first().getByRole('button', { name: 'Revoke' }).click();
  await expect(dash.getByRole('status')).toContainText('Lane revoked');
  await expect(lanes(dash).first().getByRole('button', { name: 'Reinstate' })).toBeVisible();
  await lane.context().close();
  await dash.context().close();
});
