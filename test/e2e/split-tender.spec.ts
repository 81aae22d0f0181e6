import { expect, test, type Page } from '@playwright/test';
import {
  addProduct,
  cartLines,
  connectLane,
  expectedTotals,
  openLane,
  product,
  shot,
  usd,
  wedgeScan,
} from './support';

/**
 * A split tender: part of the sale in cash, the rest by card. The receipt shows each tender,
 * the till expects only the cash part in the drawer, and the store cloud accepts the sale after
 * re-deriving it (tenders adding up to the total, change only from the settling cash).
 */
const granola = product('Granola Bars 6 ct');
const water = product('Sparkling Water 12 pk');
const total = expectedTotals((c, id) => addProduct(addProduct(c, granola, id[0]!), water, id[1]!))
  .total.amount;
const PART = 500;

async function saleRow(page: Page): Promise<{ status: string; tenders: unknown[] } | null> {
  return page.evaluate(
    () =>
      new Promise<{ status: string; tenders: unknown[] } | null>((done, fail) => {
        const req = indexedDB.open('palm-terminal');
        req.onerror = () => fail(req.error);
        req.onsuccess = () => {
          const r = req.result.transaction('outbox').objectStore('outbox').getAll();
          r.onsuccess = () => {
            const rows = r.result as {
              kind: string;
              status: string;
              payload: { tenders: unknown[] };
            }[];
            const sale = rows.findLast((x) => x.kind === 'sale.completed');
            done(sale ? { status: sale.status, tenders: sale.payload.tenders } : null);
          };
          r.onerror = () => fail(r.error);
        };
      }),
  );
}

test('a split cash + card sale', async ({ page }) => {
  await openLane(page);
  await connectLane(page);
  await page.getByRole('button', { name: 'Till' }).click();
  await page.getByLabel('Float').fill('50.00');
  await page.getByRole('button', { name: 'Open till' }).click();
  await page.getByRole('button', { name: /^Sale/ }).click();

  await wedgeScan(page, [granola.barcode, water.barcode]);
  await expect(cartLines(page)).toHaveCount(2);
  await page.keyboard.press('F8');
  // The customer hands over 5.00 and wants the rest on the card.
  await page.getByLabel('Cash received').fill((PART / 100).toFixed(2));
  await page.getByTestId('cash-part').click();
  await expect(page.getByTestId('paid-so-far')).toHaveText(`Paid in cash so far: ${usd(PART)}`);
  await expect(page.getByTestId('amount-due')).toHaveText(usd(total - PART));
  await shot(page, 'split-tender-part-paid');

  await page
    .getByRole('group', { name: 'Pay the rest by' })
    .getByRole('button', { name: 'Card' })
    .click();
  await expect(page.getByTestId('card-status')).toHaveAttribute('data-state', 'waiting-for-card');
  await page.getByRole('button', { name: 'Visa · approved' }).click();
  await expect(page.getByRole('heading', { name: 'Sale complete' })).toBeVisible();
  const tenders = page.getByTestId('receipt-tender');
  await expect(tenders).toHaveCount(2);
  await expect(tenders.nth(0)).toHaveText(`Cash${usd(PART)}`);
  await expect(tenders.nth(1)).toHaveText(
    new RegExp(`^Visa •••• 4242 · auth A\\d{5}${usd(total - PART).replace('$', '\\$')}$`),
  );
  // Change only ever comes from cash that settles the sale: none here.
  await expect(page.getByTestId('change-due')).toHaveCount(0);
  await shot(page, 'split-tender-receipt');

  // Only the cash part is in the drawer.
  await page.getByRole('button', { name: 'New sale' }).click();
  await page.getByRole('button', { name: 'Till' }).click();
  await expect(page.getByTestId('till-expected')).toHaveText(
    `Cash expected in the drawer now: ${usd(5_000 + PART)}`,
  );

  // The cloud re-derives the sale and accepts it.
  await expect.poll(async () => (await saleRow(page))?.status, { timeout: 30_000 }).toBe('synced');
  const row = await saleRow(page);
  expect(row?.tenders).toEqual([
    expect.objectContaining({ kind: 'cash', amount: { amount: PART, currency: 'USD' } }),
    expect.objectContaining({ kind: 'card', amount: { amount: total - PART, currency: 'USD' } }),
  ]);
});
