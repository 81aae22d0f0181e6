import { expect, test } from '@playwright/test';
import { countRows, product, shot } from './support';
import {
  KIOSK_VIEWPORT,
  attendantSignIn,
  auditRows,
  expectAccessible,
  kioskScan,
  light,
  openKiosk,
} from './kiosk-support';

test.use(KIOSK_VIEWPORT);

test('a beer at the kiosk: red light, an attendant clears it at the kiosk with their own credential, paid by card', async ({
  page,
}) => {
  await openKiosk(page);
  await expect(light(page)).toHaveAttribute('data-state', 'green');
  await expectAccessible(page, 'welcome');
  await shot(page, 'kiosk-welcome');

  await kioskScan(page, product('Cola 12 pk').barcode);
  await kioskScan(page, product('IPA 6 pk').barcode);
  // Palm pay is offered, so an age-verified palm record might still cover it: the check waits
  // for the shopper's choice of tender, and picking card raises it.
  await expect(light(page)).toHaveAttribute('data-state', 'green');
  await page.getByRole('button', { name: 'Pay', exact: true }).tap();
  await page.getByRole('button', { name: 'Pay by card' }).tap();
  await expect(page.getByTestId('kiosk-wait')).toBeVisible();
  await expect(page.getByTestId('kiosk-intervention')).toHaveText('ID check for IPA 6 pk');
  await expect(light(page)).toHaveAttribute('data-state', 'red');
  await expectAccessible(page, 'waiting for an attendant');
  await shot(page, 'kiosk-beer-red');

  await page.getByTestId('kiosk-wait-attendant').tap();
  await attendantSignIn(page);
  const item = page.getByTestId('kiosk-attendant-item');
  await expect(item).toHaveAttribute('data-kind', 'age-restricted');
  await shot(page, 'kiosk-attendant-panel');
  await item.getByRole('button', { name: 'Approve' }).tap();
  await expect(item).toHaveCount(0);
  await page.getByRole('button', { name: 'Close', exact: true }).tap();
  await expect(light(page)).toHaveAttribute('data-state', 'green');
  const cleared = await auditRows(page, 'kiosk.intervention.cleared');
  expect(cleared).toEqual([
    expect.objectContaining({
      kind: 'age-restricted',
      decision: 'approve',
      via: 'kiosk',
      by: 'a1',
      byName: 'Alex Kim',
    }),
  ]);

  await page.getByRole('button', { name: 'Back to basket' }).tap();
  await expect(page.getByTestId('kiosk-line')).toHaveCount(2);
  await expectAccessible(page, 'basket');
  await shot(page, 'kiosk-basket');
  await page.getByRole('button', { name: 'Pay', exact: true }).tap();
  await expect(page.getByRole('button', { name: 'Pay with cash' })).toHaveCount(0);
  await expectAccessible(page, 'pay');
  await page.getByRole('button', { name: 'Pay by card' }).tap();
  await expect(page.getByTestId('card-status')).toHaveAttribute('data-state', 'waiting-for-card');
  await page.getByRole('button', { name: 'Visa · approved' }).click();
  await expect(page.getByTestId('kiosk-receipt')).toBeVisible();
  await expectAccessible(page, 'receipt');
  await shot(page, 'kiosk-paid');
  expect(await countRows(page, 'sales')).toBe(1);
  await page.getByRole('button', { name: 'No receipt' }).tap();
  await expect(page.getByTestId('kiosk-welcome')).toBeVisible();
});

test('the shopper cannot clear their own intervention', async ({ page }) => {
  await openKiosk(page);
  await kioskScan(page, '4006381333931'); // a valid EAN the store does not sell
  await expect(page.getByTestId('kiosk-intervention')).toHaveText('Unknown barcode 4006381333931');
  await expect(light(page)).toHaveAttribute('data-state', 'red');
  // Nothing on the shopper's screen approves anything, and scanning is off.
  await expect(page.getByRole('button', { name: 'Approve', exact: true })).toHaveCount(0);
  await expect(page.getByTestId('kiosk-scan')).toBeDisabled();
  // Guessing at the attendant's passcode does not open it.
  await page.getByTestId('kiosk-wait-attendant').tap();
  await attendantSignIn(page, '11112222');
  await expect(page.getByTestId('credential-message')).toContainText('Wrong passcode');
  await expect(page.getByTestId('kiosk-attendant')).toHaveCount(0);
  await shot(page, 'kiosk-shopper-refused');
  await page.getByTestId('credential-cancel').tap();
  // A reload does not shed it either: it is kept with the sale.
  await page.reload();
  await expect(page.getByTestId('kiosk-intervention')).toHaveText('Unknown barcode 4006381333931');
  expect(await auditRows(page, 'kiosk.intervention.cleared')).toEqual([]);
});

test('an abandoned basket: "are you still there?", then suspended, logged, and back to welcome', async ({
  page,
}) => {
  await openKiosk(page, '&idle=1500&grace=2000');
  // Produce has no barcode: "look up item", by picture in its category.
  await page.getByRole('button', { name: 'Start' }).tap();
  await page.getByRole('button', { name: 'Look up item' }).tap();
  await expect(page.getByRole('tab', { name: 'Produce' })).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('button', { name: /^Add Bananas 1 lb, / }).tap();
  await shot(page, 'kiosk-lookup');
  await page.getByRole('button', { name: 'Done' }).tap();
  await expect(page.getByTestId('kiosk-line')).toHaveCount(1);
  await expect(page.getByTestId('kiosk-idle')).toBeVisible({ timeout: 5_000 });
  await expectAccessible(page, 'are you still there');
  await shot(page, 'kiosk-still-there');
  await expect(page.getByTestId('kiosk-welcome')).toBeVisible({ timeout: 5_000 });
  const suspended = await auditRows(page, 'kiosk.sale.suspended');
  expect(suspended).toEqual([expect.objectContaining({ reason: 'idle', lines: 1 })]);
  await page.getByRole('button', { name: 'Start' }).tap();
  await expect(page.getByTestId('kiosk-line')).toHaveCount(0);
  await shot(page, 'kiosk-reset-welcome');
});
