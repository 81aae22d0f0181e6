import { expect, test } from '@playwright/test';
import { ownHost } from './own-host';
import { cartLines, openLane, openManagerView, product, shot, wedgeScan } from './support';

// A host and demo cloud of its own: this lane must be the first to use the one provisioning
// code the cloud printed at start (lanes opened by other specs on the shared server spend it).
ownHost({ portOffset: 22, dataDir: '.e2e-sync-cloud', env: { DEMO_SHOPPERS: '0' } });

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
