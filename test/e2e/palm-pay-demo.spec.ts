import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { demoCard, demoCardBehaviour, demoHasLowDailyLimit } from '../../cloud/demo-shoppers';
import { E2E_PORT, E2E_TOKEN } from '../../playwright.config';
import { PalmLane, SHOPPERS } from './palm-lane';
import { cartLines, product, shot, spawnTsx, wedgeScan, type Spawned } from './support';

/**
 * The demo as `npm run start:browser` starts it (PALM_EMULATOR_KEY unset): the launcher's
 * embedded demo cloud approves the emulator's key for the demo store, so a palm pays online out
 * of the box — and again after a restart on the same cloud data (a new emulator key, its
 * capture counter resumed above the captures the store already spent).
 */
const PORT = E2E_PORT + 34;
const CLOUD_PORT = E2E_PORT + 35;
const DATA_DIR = '.e2e-palm-demo-cloud';
const ROOT = resolve(import.meta.dirname, '../..');

test.describe.configure({ mode: 'serial' });
test.use({ baseURL: `http://127.0.0.1:${PORT}` });

let host: Spawned | null = null;
let page: Page;
let lane: PalmLane;

/** The browser host with the demo's defaults, on the same cloud data each time. */
const startDemoHost = () =>
  spawnTsx(
    'native/browser-host/main.ts',
    {
      PORT: String(PORT),
      HOST_TOKEN: E2E_TOKEN,
      CLOUD_PORT: String(CLOUD_PORT),
      CLOUD_DATA_DIR: DATA_DIR,
      DEMO_SHOPPERS: String(SHOPPERS),
      CARD_PROCESSING_MS: '250',
    },
    'Open: ',
    90_000,
  );

test.beforeAll(async ({ browser }) => {
  test.setTimeout(150_000);
  rmSync(resolve(ROOT, DATA_DIR), { recursive: true, force: true });
  host = await startDemoHost();
  expect(host.output()).toContain('approved for the demo store by this launcher');
  page = await browser.newPage({ baseURL: `http://127.0.0.1:${PORT}` });
  lane = new PalmLane(page);
  await lane.open();
});

test.afterAll(async () => {
  await page?.close();
  await host?.stop();
  rmSync(resolve(ROOT, DATA_DIR), { recursive: true, force: true });
});

const CHIPS = product('Potato Chips 8 oz');
const saleComplete = () => page.getByRole('heading', { name: 'Sale complete' });
const approving = Array.from({ length: 120 }, (_, i) => i).filter(
  (n) => demoCardBehaviour(n) === 'approve' && !demoHasLowDailyLimit(n),
);
const used = new Set<number>();

async function payByPalmOnline(screenshot: string) {
  if (await saleComplete().isVisible())
    await page.getByRole('button', { name: 'New sale' }).click();
  await expect(cartLines(page)).toHaveCount(0);
  await wedgeScan(page, [CHIPS.barcode]);
  await page.getByRole('button', { name: 'Palm', exact: true }).click();
  const { shopper, quality } = lane.pick(
    'accept',
    approving.filter((n) => !used.has(n)),
  );
  used.add(shopper);
  await lane.present(shopper, quality);
  await expect(saleComplete()).toBeVisible();
  // Authorized by the cloud there and then (a stored payment has no card or auth code).
  const card = demoCard(shopper);
  await expect(page.getByTestId('receipt-tender')).toHaveText(
    new RegExp(`^Paid by palm · ${card.brand} •••• ${card.last4} · auth \\S+$`),
  );
  await shot(page, screenshot);
}

test('the demo pays by palm online with no manager approving the emulator', async () => {
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByTestId('scanner-key')).toContainText('approved');
  await page.getByRole('button', { name: /^Sale/ }).click();
  await payByPalmOnline('palm-demo-paid');
});

test('restarted on the same cloud data, the demo still pays by palm', async () => {
  test.setTimeout(150_000);
  await host?.stop();
  host = null;
  host = await startDemoHost();
  expect(host.output()).toContain('approved for the demo store by this launcher');
  await page.reload();
  await expect(page.getByTestId('host-status')).toContainText('connected');
  await expect(page.getByTestId('palm-pay-status')).toHaveAttribute('data-state', 'ready', {
    timeout: 45_000,
  });
  await payByPalmOnline('palm-demo-paid-after-restart');
});
