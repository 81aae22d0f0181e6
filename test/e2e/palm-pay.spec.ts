import { expect, test, type Page } from '@playwright/test';
import { cartTotals, emptyCart, addProduct } from '../../common/cart';
import { E2E_PORT } from '../../playwright.config';
import { PalmLane, startPalmHost } from './palm-lane';
import {
  cartLines,
  countRows,
  openManagerView,
  product,
  shot,
  US,
  usd,
  wedgeScan,
} from './support';
import type { Spawned } from './support';

/**
 * Palm pay at the lane where the store has NOT approved the scanner: the host trusts its own
 * emulator's key but the store cloud never recorded it (PALM_EMULATOR_KEY=host-only: a scanner
 * the host was made to trust behind the store's back). A stranger,
 * five failures, a scanner unplugged mid-tender, store-and-forward within and over the store's
 * offline limit (the cloud cut off at the page) — and the unapproved scanner's captures are
 * never authorized: online the cloud declines them, and a stored one is refused when it syncs.
 * One lane, in order: the emulator's capture counter runs through the file (palm-lane.ts).
 */
const PORT = E2E_PORT + 30;
const CLOUD_PORT = E2E_PORT + 31;
const CLOUD = `http://127.0.0.1:${CLOUD_PORT}`;

test.describe.configure({ mode: 'serial' });
test.use({ baseURL: `http://127.0.0.1:${PORT}` });

let host: Spawned;
let page: Page;
let lane: PalmLane;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(120_000);
  host = await startPalmHost(PORT, CLOUD_PORT, '.e2e-palm-pay-cloud', {
    PALM_EMULATOR_KEY: 'host-only',
  });
  page = await browser.newPage({ baseURL: `http://127.0.0.1:${PORT}` });
  lane = new PalmLane(page);
  await lane.open();
});

test.afterAll(async () => {
  await page?.close();
  await host?.stop();
});

const CHIPS = product('Potato Chips 8 oz');
const palmKey = () => page.getByRole('button', { name: 'Palm', exact: true });
const saleComplete = () => page.getByRole('heading', { name: 'Sale complete' });

async function newSale() {
  if (await saleComplete().isVisible())
    await page.getByRole('button', { name: 'New sale' }).click();
  await expect(cartLines(page)).toHaveCount(0);
}

async function payByApprovedCard() {
  await page.getByRole('button', { name: 'Pay by card' }).click();
  await expect(page.getByTestId('card-status')).toHaveAttribute('data-state', 'waiting-for-card');
  await page.getByRole('button', { name: 'Visa · approved' }).click();
  await expect(saleComplete()).toBeVisible();
}

/** Cuts the page off from its cloud (requests fail as on a dead network) until `heal()`. */
async function cloudDown(): Promise<() => Promise<void>> {
  const pattern = `${CLOUD}/**`;
  await page.route(pattern, (r) => r.abort('internetdisconnected'));
  return () => page.unroute(pattern);
}

test('a stranger: not recognised, then the card is one tap away', async () => {
  await newSale();
  await wedgeScan(page, [CHIPS.barcode]);
  await palmKey().click();
  await expect(lane.status()).toHaveText('Hold your palm flat, 5–10 cm above the scanner.');
  await lane.stranger();
  await expect(lane.status()).toContainText('Palm not recognised. Try again, or pay another way.');
  await expect(lane.status()).toHaveAttribute('data-state', 'waiting'); // armed again
  await shot(page, 'palm-stranger');
  await payByApprovedCard();
  await expect(page.getByText(/Visa •••• 4242/)).toBeVisible();
});

test('five biometric failures pause palm pay, card and cash highlighted', async () => {
  await newSale();
  await wedgeScan(page, [CHIPS.barcode]);
  await palmKey().click();
  for (let i = 0; i < 5; i++) {
    // One capture at a time: the next hand only once the last one's decision is recorded.
    const seen = (await auditKinds()).filter((k) => k === 'palm.no-match').length;
    await lane.stranger();
    await expect
      .poll(async () => (await auditKinds()).filter((k) => k === 'palm.no-match').length)
      .toBe(seen + 1);
  }
  await expect(lane.status()).toHaveAttribute('data-state', 'paused');
  await expect(lane.status()).toHaveText(
    'Palm pay is paused for this sale after too many attempts. Please pay by card or cash.',
  );
  await expect(page.getByTestId('palm-pause')).toHaveText(/Palm pay resumes in \d+ seconds?\./);
  await expect(page.getByRole('button', { name: 'Pay by card' })).toHaveClass(/primary/);
  await expect(page.getByRole('button', { name: 'Pay with cash' })).toHaveClass(/primary/);
  // Each decision is audited (five no-matches and the pause), without template data.
  const audit = await auditKinds();
  expect(audit.filter((k) => k === 'palm.no-match').length).toBeGreaterThanOrEqual(6);
  expect(audit).toContain('palm.paused');
  await shot(page, 'palm-paused');
  await page.getByRole('button', { name: 'Pay with cash' }).click();
  await page.getByRole('button', { name: /^Exact / }).click();
  await expect(saleComplete()).toBeVisible();
});

test('the scanner unplugged mid-tender shows the fallback within a second', async () => {
  await newSale();
  await wedgeScan(page, [CHIPS.barcode]);
  await palmKey().click();
  await expect(lane.status()).toHaveAttribute('data-state', 'waiting');
  const panel = page.getByRole('group', { name: 'Palm scanner emulator' });
  const t0 = Date.now();
  await panel.getByRole('button', { name: 'Unplug scanner' }).click();
  await expect(lane.status()).toHaveAttribute('data-state', 'fallback', { timeout: 1000 });
  const ms = Date.now() - t0;
  await expect(lane.status()).toHaveText(
    'The palm scanner is not available. Please pay by card or cash.',
  );
  await expect(page.getByRole('button', { name: 'Pay by card' })).toHaveClass(/primary/);
  console.log(`scanner unplugged → fallback on screen in ${ms} ms`);
  await shot(page, 'palm-scanner-unplugged');
  // Plugged back in, palm pay arms again by itself.
  await panel.getByRole('button', { name: 'Plug scanner in' }).click();
  await expect(lane.status()).toHaveAttribute('data-state', 'waiting', { timeout: 10_000 });
  await page.getByRole('button', { name: 'Pay with cash' }).click();
  await page.getByRole('button', { name: /^Exact / }).click();
  await expect(saleComplete()).toBeVisible();
});

test('offline within the limits: stored with the sale, then forwarded when the cloud is back', async () => {
  await newSale();
  await wedgeScan(page, [CHIPS.barcode]);
  const heal = await cloudDown();
  const before = await outbox();
  await palmKey().click();
  const { shopper, quality } = lane.pick('accept', [24, 25, 27]);
  await lane.present(shopper, quality);
  await expect(saleComplete()).toBeVisible();
  await expect(page.getByTestId('receipt-tender')).toHaveText(
    'Paid by palm · card on file, authorized when the lane syncs',
  );
  await expect(page.getByTestId('receipt-loyalty')).toHaveText(/^Loyalty LOY-\d{8}$/);
  await shot(page, 'palm-offline-stored');
  // The sale and its payment.stored, numbered one after the other, with the signed capture.
  const rows = (await outbox()).slice(before.length);
  expect(rows.map((r) => r.kind)).toEqual(
    expect.arrayContaining(['sale.completed', 'payment.stored']),
  );
  const sale = rows.find((r) => r.kind === 'sale.completed')!;
  const stored = rows.find((r) => r.kind === 'payment.stored')!;
  expect(stored.mutationId).toBe(sale.mutationId + 1);
  expect(stored.payload).toMatchObject({
    method: 'palm',
    saleId: (sale.payload as { id: string }).id,
    palm: { templateId: `demo-palm-${shopper}`, steppedUp: false },
  });
  expect(JSON.stringify(stored.payload)).toMatch(/"signed":"[A-Za-z0-9_-]{800,}"/);

  // Forwarded: the cloud checks it as it would online, and this scanner was never approved.
  await heal();
  await expect
    .poll(async () => (await outbox()).find((r) => r.mutationId === stored.mutationId)?.status, {
      timeout: 30_000,
    })
    .toBe('rejected');
  const row = (await outbox()).find((r) => r.mutationId === stored.mutationId)!;
  expect(row.rejectedReason).toMatch(/SCANNER_NOT_APPROVED|not approved/i);
  // The manager sees it, with the shopper's pseudonymous ref, to contact them.
  await page.getByRole('button', { name: 'New sale' }).click();
  await openManagerView(page);
  const ref = (stored.payload as { palm: { customerRef: string } }).palm.customerRef;
  await expect(
    page.getByText(`Stored palm payment declined — contact the shopper (${ref})`, { exact: false }),
  ).toBeVisible();
  await shot(page, 'palm-stored-declined-manager');
  await page.getByRole('button', { name: /^Sale/ }).click();
});

test('a capture from a scanner the store has not approved is never authorized online', async () => {
  await newSale();
  await wedgeScan(page, [CHIPS.barcode]);
  const sales = await countRows(page, 'sales');
  await palmKey().click();
  const { shopper, quality } = lane.pick('accept', [30, 31, 32]);
  await lane.present(shopper, quality);
  await expect(lane.status()).toHaveAttribute('data-state', 'fallback');
  await expect(lane.status()).toHaveText(
    'The palm payment was declined (this palm scanner is not approved by the store). Please pay by card or cash.',
  );
  expect(await countRows(page, 'sales')).toBe(sales);
  await shot(page, 'palm-scanner-not-approved');
  await payByApprovedCard();
});

test('offline over the per-payment limit: refused with the reason, the card offered', async () => {
  await newSale();
  // The demo store allows 100.00 a stored payment (its offline settings, pulled).
  const quantity = Math.ceil(10_001 / CHIPS.price);
  const due = cartTotals(addProduct(emptyCart('USD'), CHIPS, 'l', quantity), US.tax).total;
  expect(due.amount).toBeGreaterThan(10_000);
  await wedgeScan(page, [`${quantity}*${CHIPS.barcode}`]);
  await expect(
    page
      .getByTestId('amount-due')
      .or(page.getByText(usd(due)))
      .first(),
  ).toBeVisible();
  const heal = await cloudDown();
  const salesBefore = await countRows(page, 'sales');
  await palmKey().click();
  const { shopper, quality } = lane.pick('accept', [24, 25, 27]);
  await lane.present(shopper, quality);
  await expect(lane.status()).toHaveAttribute('data-state', 'fallback');
  await expect(lane.status()).toHaveText(
    'Palm pay needs the network for this amount (over the offline limit for one payment). Please pay by card.',
  );
  await expect(page.getByRole('button', { name: 'Pay by card' })).toHaveClass(/primary/);
  expect(await countRows(page, 'sales')).toBe(salesBefore);
  await shot(page, 'palm-offline-over-limit');
  await heal();
  await payByApprovedCard();
});

async function auditKinds(): Promise<string[]> {
  return page.evaluate(
    () =>
      new Promise<string[]>((done, fail) => {
        const req = indexedDB.open('palm-terminal');
        req.onerror = () => fail(req.error);
        req.onsuccess = () => {
          const r = req.result.transaction('audit').objectStore('audit').getAll();
          r.onsuccess = () => {
            done((r.result as { kind: string }[]).map((a) => a.kind));
            req.result.close();
          };
        };
      }),
  );
}

interface Row {
  mutationId: number;
  kind: string;
  status: string;
  rejectedReason?: string;
  payload: unknown;
}
async function outbox(): Promise<Row[]> {
  return page.evaluate(
    () =>
      new Promise<Row[]>((done, fail) => {
        const req = indexedDB.open('palm-terminal');
        req.onerror = () => fail(req.error);
        req.onsuccess = () => {
          const r = req.result.transaction('outbox').objectStore('outbox').getAll();
          r.onsuccess = () => {
            done(r.result as Row[]);
            req.result.close();
          };
        };
      }),
  );
}
