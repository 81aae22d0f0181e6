import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DENOMINATIONS } from '../../common/shift/denominations';
import { E2E_PORT } from '../../playwright.config';
import {
  DEMO_MANAGER,
  addProduct,
  connectLane,
  expectedTotals,
  managerApproval,
  openLane,
  product,
  shot,
  usd,
  wedgeScan,
} from './support';

/**
 * A store's day at one lane: open the till with a float, sell, void a sale with a manager,
 * count the drawer by denomination and close it with the Z report showing the drawer 0.50
 * short; the store cloud re-derives that close from what it recorded and the dashboard shows
 * the day in the store's own zone (the US demo store: America/Chicago).
 */
const chips = product('Potato Chips 8 oz');
const total = expectedTotals((c, id) => addProduct(c, chips, id[0]!)).total.amount;
const CLOUD = `http://127.0.0.1:${E2E_PORT + 1}`;

async function openTill(page: Page, float: string): Promise<void> {
  await page.getByRole('button', { name: 'Till' }).click();
  await page.getByLabel('Float').fill(float);
  await page.getByRole('button', { name: 'Open till' }).click();
  await expect(page.getByTestId('till-open')).toContainText(`float ${float.replace(/^/, '$')}`);
}

/** One bag of chips for exact cash, back to an empty sale. */
async function cashSale(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Sale/ }).click();
  await wedgeScan(page, [chips.barcode]);
  await page.keyboard.press('F8');
  await page.getByLabel('Cash received').fill((total / 100).toFixed(2));
  await page.getByLabel('Cash received').press('Enter');
  await expect(page.getByRole('heading', { name: 'Sale complete' })).toBeVisible();
  await page.getByRole('button', { name: 'New sale' }).click();
}

async function outboxKinds(page: Page): Promise<{ kind: string; payload: unknown }[]> {
  return page.evaluate(
    () =>
      new Promise<{ kind: string; payload: unknown }[]>((done, fail) => {
        const req = indexedDB.open('palm-terminal');
        req.onerror = () => fail(req.error);
        req.onsuccess = () => {
          const r = req.result.transaction('outbox').objectStore('outbox').getAll();
          r.onsuccess = () => done(r.result as { kind: string; payload: unknown }[]);
          r.onerror = () => fail(r.error);
        };
      }),
  );
}

test('a void needs and gets a manager: the cash goes back and the store sees who', async ({
  page,
}) => {
  await openLane(page);
  await connectLane(page);
  await openTill(page, '100.00');
  await cashSale(page);

  await page.keyboard.press('F10');
  await page
    .getByRole('button', { name: /^Void sale / })
    .first()
    .click();
  const dialog = page.getByTestId('post-sale-dialog');
  await expect(dialog.getByTestId('post-sale-amount')).toHaveText(
    `To pay back: ${usd(total)} to Cash`,
  );
  await dialog.getByLabel('Reason').fill('rang up twice');
  await dialog.getByRole('button', { name: 'Void the sale' }).click();
  // Only a manager's passcode voids: a wrong one is refused and nothing is written.
  await managerApproval(page, { passcode: '00000000' });
  await expect(page.getByTestId('credential-message')).toContainText('Wrong passcode');
  expect((await outboxKinds(page)).some((m) => m.kind === 'sale.voided')).toBe(false);
  await managerApproval(page);
  await expect(page.getByTestId('post-sale-done')).toHaveText(
    `Done: Give ${usd(total)} back from the drawer`,
  );
  await expect(page.getByTestId('history-correction').first()).toHaveText('voided');
  const voided = (await outboxKinds(page)).find((m) => m.kind === 'sale.voided');
  expect(voided?.payload).toMatchObject({ reason: 'rang up twice', approvedBy: DEMO_MANAGER.id });
  await shot(page, 'store-day-void');

  // The cloud records the void with the manager who approved it.
  const token = readFileSync(resolve(import.meta.dirname, '../../.e2e-cloud/admin-token'), 'utf8');
  await expect
    .poll(
      async () => {
        const res = await fetch(`${CLOUD}/v1/admin/stores/demo-us/overview`, {
          headers: { authorization: `Bearer ${token.trim()}` },
        });
        const o = (await res.json()) as { today: { currency: string; voidsCount: number }[] };
        return o.today.find((d) => d.currency === 'USD')?.voidsCount ?? 0;
      },
      { timeout: 30_000 },
    )
    .toBeGreaterThanOrEqual(1);
});

test('a day closed with the drawer counted 0.50 short: the Z report and the dashboard show it', async ({
  page,
  browser,
}) => {
  await openLane(page);
  await connectLane(page);
  await openTill(page, '100.00');
  await cashSale(page);

  await page.getByRole('button', { name: 'Till' }).click();
  await expect(page.getByTestId('till-expected')).toHaveText(
    `Cash expected in the drawer now: ${usd(10_000 + total)}`,
  );
  // Count what is there, note by note and coin by coin: 0.50 less than expected.
  let left = 10_000 + total - 50;
  for (const value of DENOMINATIONS.USD) {
    const count = Math.floor(left / value);
    left -= count * value;
    if (count > 0) await page.getByLabel(`Number of ${usd(value)}`).fill(String(count));
  }
  await expect(page.getByTestId('counted-total')).toHaveText(
    `Counted: ${usd(10_000 + total - 50)}`,
  );
  await page.getByRole('button', { name: 'Close till' }).click();
  await managerApproval(page);
  const z = page.getByTestId('z-report');
  await expect(z.getByTestId('z-expected')).toContainText(usd(10_000 + total));
  await expect(z.getByTestId('z-counted')).toContainText(usd(10_000 + total - 50));
  await expect(z.getByTestId('z-overShort')).toHaveText(`Short${usd(-50)}`);
  await expect(z.getByTestId('z-sales')).toHaveText(`Sales (1)${usd(total)}`);
  await z.getByRole('button', { name: 'Print Z report' }).click();
  await expect(z.getByRole('status')).toHaveText('Z report sent to the printer');
  await shot(page, 'store-day-z-report');

  // The dashboard: the cloud's own Z for this till, and today in the store's zone.
  const dash = await (
    await browser.newContext({ viewport: { width: 1400, height: 1000 } })
  ).newPage();
  await dash.goto(`${CLOUD}/dashboard/demo-us`);
  await dash.getByLabel('Staff id').fill(DEMO_MANAGER.id);
  await dash.getByLabel('Passcode').fill(DEMO_MANAGER.passcode);
  await dash.getByRole('button', { name: 'Log in' }).click();
  const chicagoToday = new Intl.DateTimeFormat('en-US', {
    dateStyle: 'full',
    timeZone: 'America/Chicago',
  }).format(Date.now());
  await expect(dash.getByTestId('store-day')).toHaveText(
    `Today: ${chicagoToday} (America/Chicago)`,
  );
  await expect
    .poll(
      async () => {
        await dash.reload();
        return dash.locator('tr', { hasText: `short ${usd(-50)}` }).count();
      },
      { timeout: 30_000 },
    )
    .toBeGreaterThanOrEqual(1);
  await shot(dash, 'store-day-dashboard');
  await dash.context().close();
});

test('a refund of one line of a card sale goes back to the card, once, with a manager', async ({
  page,
}) => {
  const granola = product('Granola Bars 6 ct');
  const water = product('Sparkling Water 12 pk');
  const line = expectedTotals((c, id) => addProduct(c, granola, id[0]!)).total.amount;
  await openLane(page);
  await connectLane(page);
  await wedgeScan(page, [granola.barcode, water.barcode]);
  await page.keyboard.press('F9');
  await page.getByRole('button', { name: 'Visa · approved' }).click();
  await expect(page.getByRole('heading', { name: 'Sale complete' })).toBeVisible();
  await page.getByRole('button', { name: 'New sale' }).click();

  await page.keyboard.press('F10');
  await page
    .getByRole('button', { name: /^Refund sale / })
    .first()
    .click();
  const dialog = page.getByTestId('post-sale-dialog');
  await dialog.getByLabel(`Refund quantity of ${granola.name}`).fill('1');
  await expect(dialog.getByTestId('post-sale-amount')).toHaveText(
    `To pay back: ${usd(line)} to Card`,
  );
  await dialog.getByLabel('Reason').fill('crushed box');
  await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
  await managerApproval(page);
  await expect(page.getByTestId('post-sale-done')).toHaveText(
    new RegExp(`^Done: ${usd(line).replace('$', '\\$')} sent back to the card \\(RF\\d{5}\\)$`),
  );
  await expect(page.getByTestId('history-correction').first()).toContainText(
    `refunded ${usd(line)}`,
  );
  const refunds = (await outboxKinds(page)).filter((m) => m.kind === 'sale.refunded');
  expect(refunds).toHaveLength(1);
  expect(refunds[0]?.payload).toMatchObject({
    tender: 'card',
    amount: { amount: line, currency: 'USD' },
    lines: [{ lineId: expect.any(String), quantity: 1 }],
    approvedBy: DEMO_MANAGER.id,
    processorRef: expect.stringMatching(/^RF\d{5}$/),
  });
  await shot(page, 'store-day-card-refund');
});
