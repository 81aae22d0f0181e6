import { expect, test } from '@playwright/test';
import {
  addProduct,
  cartLines,
  countRows,
  expectedTotals,
  openLane,
  product,
  setQuantity,
  shot,
  usd,
  voidLine,
  wedgeScan,
} from './support';

test('a cash sale: three wedge scans, a quantity change, a voided line, cash with change', async ({
  page,
}) => {
  const chips = product('Potato Chips 8 oz');
  const cola = product('Cola 12 pk');
  const milk = product('Whole Milk 1 gal');
  await openLane(page);

  await wedgeScan(page, [chips.barcode, cola.barcode, milk.barcode]);
  await expect(cartLines(page)).toHaveCount(3);
  await expect(cartLines(page).nth(0)).toContainText(chips.name);
  await expect(cartLines(page).nth(1)).toContainText(cola.name);
  await expect(cartLines(page).nth(2)).toContainText(milk.name);

  const qty = page.getByRole('textbox', { name: `Quantity for ${cola.name}` });
  await qty.fill('3');
  await qty.press('Enter');
  await page.getByRole('button', { name: `Void ${milk.name}` }).click();
  await expect(cartLines(page).nth(2)).toContainText('voided');

  const expected = expectedTotals((c, id) => {
    let x = addProduct(c, chips, id[0]!);
    x = addProduct(x, cola, id[1]!);
    x = addProduct(x, milk, id[2]!);
    x = setQuantity(x, id[1]!, 3);
    return voidLine(x, id[2]!);
  });
  await expect(page.getByTestId('total')).toHaveText(usd(expected.total));
  expect(expected.tax.amount).toBeGreaterThan(0); // snacks and soda carry Texas sales tax

  await page.keyboard.press('F8');
  const given = Math.ceil(expected.total.amount / 1000) * 1000 + 1000; // a banknote above the total
  await page.getByLabel('Cash received').fill((given / 100).toFixed(2));
  await expect(page.getByTestId('change-preview')).toHaveText(usd(given - expected.total.amount));
  await page.getByLabel('Cash received').press('Enter');

  await expect(page.getByRole('heading', { name: 'Sale complete' })).toBeVisible();
  await expect(page.getByTestId('change-due')).toHaveText(usd(given - expected.total.amount));
  await expect(page.getByTestId('receipt-total')).toHaveText(usd(expected.total));
  await expect(page.getByText('Drawer: open')).toBeVisible();
  expect(await countRows(page, 'sales')).toBe(1);
  expect(await countRows(page, 'outbox')).toBe(1);
  await shot(page, 'cash-sale');

  await page.getByRole('button', { name: 'New sale' }).click();
  await expect(page.getByText('Scan an item to start a sale')).toBeVisible();
});
