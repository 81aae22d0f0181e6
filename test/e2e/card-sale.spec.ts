import { expect, test } from '@playwright/test';
import { cartLines, countRows, openLane, product, shot, wedgeScan } from './support';

test('an approved card sale', async ({ page }) => {
  await openLane(page);
  await wedgeScan(page, [
    product('Granola Bars 6 ct').barcode,
    product('Sparkling Water 12 pk').barcode,
  ]);
  await expect(cartLines(page)).toHaveCount(2);
  await page.getByRole('button', { name: 'Card (F9)' }).click();
  await expect(page.getByTestId('card-status')).toHaveAttribute('data-state', 'waiting-for-card');
  await page.getByRole('button', { name: 'Visa · approved' }).click();
  await expect(page.getByRole('heading', { name: 'Sale complete' })).toBeVisible();
  await expect(page.getByText(/Visa •••• 4242 · auth A\d{5}/)).toBeVisible();
  expect(await countRows(page, 'sales')).toBe(1);
  await shot(page, 'card-approved');
});

test('a declined card, then cash', async ({ page }) => {
  await openLane(page);
  await wedgeScan(page, [product('Trail Mix 10 oz').barcode]);
  await expect(cartLines(page)).toHaveCount(1);
  await page.keyboard.press('F9');
  await expect(page.getByTestId('card-status')).toHaveAttribute('data-state', 'waiting-for-card');
  await page.getByRole('button', { name: 'Insufficient funds' }).click();
  await expect(page.getByTestId('card-status')).toHaveText('Declined: insufficient funds');
  await shot(page, 'card-declined');
  expect(await countRows(page, 'sales')).toBe(0);

  await page.getByRole('button', { name: 'Pay with cash instead' }).click();
  await page.getByRole('button', { name: /^Exact / }).click();
  await expect(page.getByRole('heading', { name: 'Sale complete' })).toBeVisible();
  await expect(page.getByText(/^Cash /)).toBeVisible();
  expect(await countRows(page, 'sales')).toBe(1);
  expect(await countRows(page, 'audit')).toBeGreaterThanOrEqual(2); // the decline and the sale
  await shot(page, 'card-declined-then-cash');
});

test('two scans and F9 in one burst, the lookups still running: both items are on the card payment', async ({
  page,
}) => {
  await openLane(page);
  const granola = product('Granola Bars 6 ct');
  const water = product('Sparkling Water 12 pk');
  // Hold the catalog with a write transaction, so the lane's product lookups wait (as they do
  // on a busy lane); the scanner and the cashier's F9 arrive meanwhile.
  await page.evaluate(
    () =>
      new Promise<void>((opened) => {
        const req = indexedDB.open('palm-terminal');
        req.onsuccess = () => {
          const tx = req.result.transaction('catalog', 'readwrite');
          const store = tx.objectStore('catalog');
          const hold = (until: number) => {
            if (Date.now() < until) store.count().onsuccess = () => hold(until);
          };
          hold(Date.now() + 800);
          opened();
        };
      }),
  );
  await page.keyboard.type(`${granola.barcode}\n${water.barcode}\n`, { delay: 0 });
  await page.keyboard.press('F9');
  await expect(page.getByTestId('card-status')).toHaveAttribute('data-state', 'waiting-for-card');
  await expect(cartLines(page)).toHaveCount(2);
  await page.getByRole('button', { name: 'Visa · approved' }).click();
  await expect(page.getByRole('heading', { name: 'Sale complete' })).toBeVisible();
  await expect(page.getByText(granola.name)).toBeVisible();
  await expect(page.getByText(water.name)).toBeVisible();
  expect(await countRows(page, 'sales')).toBe(1);
});
