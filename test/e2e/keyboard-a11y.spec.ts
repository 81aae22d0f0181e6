import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import {
  cartLines,
  connectLane,
  countRows,
  managerApproval,
  openLane,
  product,
  shot,
  wedgeScan,
} from './support';

/** axe-core's checks that every control has an accessible name (and the ARIA is valid). */
async function expectNamedControls(page: Page, where: string) {
  const results = await new AxeBuilder({ page })
    .withRules([
      'button-name',
      'label',
      'aria-valid-attr',
      'aria-valid-attr-value',
      'aria-required-attr',
      'select-name',
      'link-name',
      'aria-input-field-name',
      'aria-command-name',
      'duplicate-id-aria',
    ])
    .analyze();
  expect(
    results.violations.map(
      (v) => `${where}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    ),
  ).toEqual([]);
}

test('the whole lane works by keyboard alone, and every control has a name', async ({ page }) => {
  const soda = product('Cola 12 pk');
  const beer = product('IPA 6 pk');
  await openLane(page);
  await expectNamedControls(page, 'empty lane');

  await wedgeScan(page, [`2*${soda.barcode}`, beer.barcode]);
  // The age check takes focus; Enter confirms the ID was checked.
  await expect(page.getByRole('alertdialog', { name: 'Check ID' })).toBeVisible();
  await expectNamedControls(page, 'age check');
  await page.keyboard.press('Enter');
  await expect(cartLines(page)).toHaveCount(2);
  await expect(page.getByRole('textbox', { name: `Quantity for ${soda.name}` })).toHaveValue('2');

  // F4 edits the last line's quantity; F7 voids the last line.
  await page.keyboard.press('F4');
  await page.keyboard.type('3');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('textbox', { name: `Quantity for ${beer.name}` })).toHaveValue('3');
  await page.keyboard.press('F7');
  await expect(cartLines(page).nth(1)).toContainText('voided');

  // Name search: type, arrow down, Enter.
  await page.keyboard.type('gummy');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(cartLines(page)).toHaveCount(3);
  await expectNamedControls(page, 'lane with items');

  await page.keyboard.press('F8');
  await expect(page.getByRole('textbox', { name: 'Cash received' })).toBeFocused();
  await expectNamedControls(page, 'cash');
  await page.keyboard.type('50');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Sale complete' })).toBeVisible();
  await expectNamedControls(page, 'receipt');
  await shot(page, 'keyboard-only-sale');
  await page.keyboard.press('Enter'); // "New sale" has focus
  await expect(page.getByText('Scan an item to start a sale')).toBeVisible();
  expect(await countRows(page, 'sales')).toBe(1);

  await page.keyboard.press('F10');
  await expect(page.getByRole('heading', { name: 'Sale history' })).toBeVisible();
  await expectNamedControls(page, 'history');
  await page.getByRole('button', { name: 'Settings' }).press('Enter');
  await expectNamedControls(page, 'settings');
});

test('the German and Korean stores format money their way and speak their language', async ({
  page,
}) => {
  await openLane(page);
  await connectLane(page); // changing the store needs a manager, from the store's staff list
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Store').selectOption('de');
  await managerApproval(page); // changing the store needs a manager
  await expect(page.getByRole('heading', { name: 'Einstellungen' })).toBeVisible();
  await page.getByRole('button', { name: /Verkauf/ }).click();
  await wedgeScan(page, [product('Cola 12 pk').barcode]);
  await expect(page.getByTestId('total')).toHaveText(/^\d+,\d{2}\s€$/);
  await expect(page.getByText('inkl. MwSt.')).toBeVisible();
  await shot(page, 'store-de');
  await page.getByRole('button', { name: 'Cola 12 pk stornieren' }).click();

  await page.getByRole('button', { name: 'Einstellungen' }).click();
  await page.getByLabel('Filiale').selectOption('kr');
  await managerApproval(page);
  await page.getByRole('button', { name: /판매/ }).first().click();
  await wedgeScan(page, [product('Cola 12 pk').barcode]);
  await expect(page.getByTestId('total')).toHaveText(/^₩[\d,]+$/);
  await shot(page, 'store-kr');
});

test('a name entered at once is added when it is the only match; otherwise it stays, with the list', async ({
  page,
}) => {
  await openLane(page);
  const input = page.getByRole('combobox', { name: 'Scan or search' });
  // Typed and entered in one go, without waiting for the list (a fast cashier on a busy lane).
  await input.pressSequentially('gummy');
  await page.keyboard.press('Enter');
  await expect(cartLines(page)).toHaveCount(1);
  await expect(cartLines(page).first()).toContainText('Gummy Bears');
  await expect(input).toHaveValue('');

  // Several products match: nothing is added and nothing typed is lost.
  await input.pressSequentially('water');
  await page.keyboard.press('Enter');
  await expect(input).toHaveValue('water');
  await expect(page.getByRole('button', { name: /^Add .*Water/ })).toHaveCount(3);
  await expect(cartLines(page)).toHaveCount(1);
  expect(await countRows(page, 'sales')).toBe(0);
});
