import { expect, test } from '@playwright/test';
import { cartLines, openLane, openManagerView, product, shot, wedgeScan } from './support';

test('a completed sale syncs to the embedded store cloud; the manager sees the queue', async ({
  page,
}) => {
  await openLane(page);
  // The launcher started the store cloud beside the terminal and the lane provisioned itself.
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'idle', {
    timeout: 20_000,
  });

  await wedgeScan(page, [product('Pretzels 16 oz').barcode]);
  await expect(cartLines(page)).toHaveCount(1);
  await page.keyboard.press('F8');
  await page.getByRole('button', { name: /^Exact / }).click();
  await expect(page.getByRole('heading', { name: 'Sale complete' })).toBeVisible();

  await page.getByRole('button', { name: /History/ }).click();
  await expect(page.getByTestId('history-row').first()).toContainText('synced', {
    timeout: 15_000,
  });
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'idle');

  await openManagerView(page);
  await expect(page.getByTestId('manager-pending')).toHaveText('0');
  await expect(page.getByTestId('manager-stats')).toContainText('Up to date');
  await shot(page, 'manager-view');
});
