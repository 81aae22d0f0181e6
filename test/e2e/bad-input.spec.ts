import { expect, test } from '@playwright/test';
import { ean13 } from '../../common/barcode';
import { cartLines, countRows, openLane, product, scanField, shot, wedgeScan } from './support';

test('bad input gets a clear message and writes nothing', async ({ page }) => {
  const chips = product('Potato Chips 8 oz');
  await openLane(page);

  await wedgeScan(page, ['12345']);
  await expect(page.getByTestId('lane-error')).toContainText('“12345” is not a barcode');
  await wedgeScan(page, ['2000000000018']); // check digit should be 5
  await expect(page.getByTestId('lane-error')).toContainText('did not read correctly');
  const unknown = ean13('400000000000');
  await wedgeScan(page, [unknown]);
  await expect(page.getByTestId('lane-error')).toContainText(`No product has barcode ${unknown}`);
  await expect(cartLines(page)).toHaveCount(0);

  await wedgeScan(page, [chips.barcode]);
  await expect(cartLines(page)).toHaveCount(1);
  const qty = page.getByRole('textbox', { name: `Quantity for ${chips.name}` });
  await qty.fill('5000');
  await qty.press('Enter');
  await expect(page.getByTestId('lane-error')).toContainText(
    'Quantity must be a whole number from 1 to 999',
  );
  await expect(qty).toHaveValue('1');

  await page.keyboard.press('F8');
  await page.getByLabel('Cash received').fill('0.50');
  await page.getByRole('button', { name: 'Complete sale' }).click();
  await expect(page.getByRole('alert')).toContainText('is less than the total');
  await page.getByLabel('Cash received').fill('abc');
  await page.getByLabel('Cash received').press('Enter');
  await expect(page.getByRole('alert')).toContainText('“abc” is not an amount');
  await shot(page, 'bad-input-cash');
  await page.getByRole('button', { name: 'Back to sale' }).click();

  // A card terminal that never answers: the lane says so and offers the other tenders.
  await page.getByLabel('Card terminal answers').uncheck();
  await page.keyboard.press('F9');
  await expect(page.getByTestId('card-status')).toHaveText(/not responding/, { timeout: 10_000 });
  await shot(page, 'card-terminal-not-responding');
  await page.getByLabel('Card terminal answers').check();
  await page.getByRole('button', { name: 'Back to sale' }).click();
  await expect(scanField(page)).toBeEnabled();

  expect(await countRows(page, 'sales')).toBe(0);
  expect(await countRows(page, 'outbox')).toBe(0);
});
