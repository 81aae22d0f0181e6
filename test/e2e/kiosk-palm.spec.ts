import { expect, test, type Page } from '@playwright/test';
import { demoCardBehaviour } from '../../cloud/demo-shoppers';
import { E2E_PORT, E2E_TOKEN } from '../../playwright.config';
import { PalmLane, shopperRecord, startPalmHost } from './palm-lane';
import { countRows, managerApproval, product, shot, type Spawned } from './support';
import { KIOSK_VIEWPORT, auditRows, expectAccessible, kioskScan, light } from './kiosk-support';

/**
 * Palm pay at the kiosk, through its own host with the demo shoppers' shard and the store cloud:
 * a kiosk sale paid by palm, and an age-verified palm shopper buying beer with no intervention.
 */
const PORT = E2E_PORT + 40;
const CLOUD_PORT = E2E_PORT + 41;

test.describe.configure({ mode: 'serial' });
test.use({ baseURL: `http://127.0.0.1:${PORT}`, ...KIOSK_VIEWPORT });

let host: Spawned;
let page: Page;
let lane: PalmLane;
const used = new Set<number>();
const approving = (filter: (n: number) => boolean = () => true) =>
  Array.from({ length: 120 }, (_, i) => i).filter(
    (n) => demoCardBehaviour(n) === 'approve' && !used.has(n) && filter(n),
  );

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  host = await startPalmHost(PORT, CLOUD_PORT, '.e2e-kiosk-palm-cloud', {
    PALM_EMULATOR_KEY: 'pending',
  });
  const context = await browser.newContext({
    baseURL: `http://127.0.0.1:${PORT}`,
    ...KIOSK_VIEWPORT,
  });
  page = await context.newPage();
  lane = new PalmLane(page);
  await lane.open();
  // A manager approves the kiosk's scanner key once, on the lane's own settings screen.
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Approve scanner key' }).click();
  await managerApproval(page);
  await expect(page.getByTestId('scanner-key')).toContainText('approved');
  await page.goto(`/?lane=self#token=${E2E_TOKEN}`);
  await expect(page.getByTestId('kiosk-welcome')).toBeVisible();
});

test.afterAll(async () => {
  await page?.context().close();
  await host?.stop();
});

async function payByPalm(among: number[]) {
  await page.getByRole('button', { name: 'Pay', exact: true }).tap();
  const palm = page.getByRole('button', { name: 'Pay with your palm' });
  // Palm pay is offered first; it takes payments once the store's shard is loaded.
  await expect(palm).toBeEnabled({ timeout: 45_000 });
  await expect(palm.locator('.palm-hover')).toBeVisible();
  await palm.tap();
  await expect(page.locator('.kiosk-palm-guide .palm-hover')).toBeVisible();
  await shot(page, 'kiosk-palm-hover');
  const { shopper, quality } = lane.pick('accept', among);
  used.add(shopper);
  await lane.present(shopper, quality);
  await expect(page.getByTestId('kiosk-receipt')).toBeVisible({ timeout: 20_000 });
}

test('a kiosk sale paid by palm', async () => {
  await kioskScan(page, product('Potato Chips 8 oz').barcode);
  await expect(page.getByTestId('kiosk-line')).toHaveCount(1);
  await payByPalm(approving());
  expect(await countRows(page, 'sales')).toBe(1);
  await expectAccessible(page, 'receipt after palm');
  await shot(page, 'kiosk-palm-paid');
  await page.getByRole('button', { name: 'No receipt' }).tap();
  await expect(page.getByTestId('kiosk-welcome')).toBeVisible();
});

test('an age-verified palm shopper buys beer with no intervention', async () => {
  await kioskScan(page, product('IPA 6 pk').barcode);
  await expect(page.getByTestId('kiosk-line')).toHaveCount(1);
  await expect(light(page)).toHaveAttribute('data-state', 'green');
  await expect(page.getByTestId('kiosk-wait')).toHaveCount(0);
  await payByPalm(approving((n) => shopperRecord(n).ageVerified));
  await expect(light(page)).toHaveAttribute('data-state', 'green');
  expect(await auditRows(page, 'kiosk.intervention.cleared')).toEqual([]);
  expect(await countRows(page, 'sales')).toBe(2);
  await shot(page, 'kiosk-palm-beer-verified');
});
