import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test } from '@playwright/test';
import config, { E2E_PORT } from '../../playwright.config';
import {
  addProduct,
  cartLines,
  expectedTotals,
  openLane,
  product,
  savedDraftQuantities,
  setQuantity,
  shot,
  usd,
  wedgeScan,
} from './support';

test('a reload mid-sale restores the cart', async ({ page }) => {
  const eggs = product('Large Eggs 12 ct');
  const bread = product('Sourdough Loaf');
  await openLane(page);
  await wedgeScan(page, [eggs.barcode, bread.barcode]);
  const qty = page.getByRole('textbox', { name: `Quantity for ${eggs.name}` });
  await qty.fill('2');
  await qty.press('Enter');
  await expect(page.getByRole('textbox', { name: `Quantity for ${eggs.name}` })).toHaveValue('2');
  const total = usd(
    expectedTotals((c, id) =>
      setQuantity(addProduct(addProduct(c, eggs, id[0]!), bread, id[1]!), id[0]!, 2),
    ).total,
  );
  await expect(page.getByTestId('total')).toHaveText(total);
  // A change is on disk a few milliseconds after it shows; reload once it is (as a crash would).
  await expect.poll(() => savedDraftQuantities(page)).toEqual([2, 1]);

  await page.reload();
  await expect(page.getByTestId('host-status')).toContainText('connected');
  await expect(cartLines(page)).toHaveCount(2);
  await expect(page.getByRole('textbox', { name: `Quantity for ${eggs.name}` })).toHaveValue('2');
  await expect(cartLines(page).nth(1)).toContainText(bread.name);
  await expect(page.getByTestId('total')).toHaveText(total);
  await shot(page, 'reload-restored');
});

test('completed sales are still listed after the browser restarts on the same profile', async () => {
  const profileDir = mkdtempSync(join(tmpdir(), 'palm-e2e-profile-'));
  const launch = () =>
    chromium.launchPersistentContext(profileDir, {
      ...config.use?.launchOptions,
      baseURL: `http://127.0.0.1:${E2E_PORT}`,
      viewport: { width: 1280, height: 800 },
    });
  try {
    let context = await launch();
    let page = context.pages()[0] ?? (await context.newPage());
    await openLane(page);
    await wedgeScan(page, [product('Bananas 1 lb').barcode]);
    await expect(cartLines(page)).toHaveCount(1);
    await page.keyboard.press('F8');
    await page.getByRole('button', { name: /^Exact / }).click();
    await expect(page.getByRole('heading', { name: 'Sale complete' })).toBeVisible();
    const receipt =
      (await page.getByText(/^Receipt L01-/).textContent())?.replace('Receipt ', '') ?? '';
    await context.close();

    context = await launch();
    page = context.pages()[0] ?? (await context.newPage());
    await openLane(page);
    await page.getByRole('button', { name: /History/ }).click();
    await expect(page.getByRole('rowheader', { name: receipt })).toBeVisible();
    await shot(page, 'history-after-restart');
    await context.close();
  } finally {
    rmSync(profileDir, { recursive: true, force: true });
  }
});
