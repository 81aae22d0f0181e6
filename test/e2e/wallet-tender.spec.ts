import { expect, test } from '@playwright/test';
import { demoWalletCode } from '../../common/wallet/code';
import { cartLines, connectLane, countRows, openLane, product, shot, wedgeScan } from './support';

/**
 * The wallet tender: the shopper's one-time payment code, read by the lane's wedge scanner like
 * any barcode (18 digits starting 25–30, never a product code), authorized by the store cloud
 * through its wallet adapter. The same code shown again is refused by the cloud; offline the
 * lane refuses before sending anything and offers the other tenders.
 */
const granola = product('Granola Bars 6 ct');
const code = demoWalletCode('approve', Date.now() % 1e15);

test('a wallet code paid, and the same code refused when shown again', async ({ page }) => {
  await openLane(page);
  await connectLane(page);

  // Scanned straight into the sale: the code pays it.
  await wedgeScan(page, [granola.barcode]);
  await expect(cartLines(page)).toHaveCount(1);
  await wedgeScan(page, [code]);
  await expect(page.getByRole('heading', { name: 'Sale complete' })).toBeVisible();
  await expect(page.getByTestId('receipt-tender')).toHaveText(
    new RegExp(`^Paid by EmuPay · code •••• ${code.slice(-4)} · ref EMU[0-9A-F]{12}$`),
  );
  await shot(page, 'wallet-paid');
  await page.getByRole('button', { name: 'New sale' }).click();

  // The same code again (a screenshot of the phone, a second lane): the cloud refuses it.
  await wedgeScan(page, [granola.barcode]);
  await page.getByRole('button', { name: 'Wallet', exact: true }).click();
  await expect(page.getByLabel('Payment code')).toBeFocused();
  await wedgeScan(page, [code]);
  const status = page.getByTestId('wallet-status');
  await expect(status).toHaveAttribute('data-reason', 'WALLET_CODE_REUSED');
  await expect(status).toHaveText(
    'This payment code was already used. Ask the shopper for a fresh one.',
  );
  // The other tenders are one tap away, and the sale is not written.
  await expect(page.getByRole('button', { name: 'Pay with cash' })).toBeVisible();
  expect(await countRows(page, 'sales')).toBe(1);
  await shot(page, 'wallet-code-reused');

  // The store cloud counted the wallet sale: its tender is a payment it approved.
  await expect
    .poll(
      () =>
        page.evaluate(
          () =>
            new Promise<string | undefined>((done, fail) => {
              const req = indexedDB.open('palm-terminal');
              req.onerror = () => fail(req.error);
              req.onsuccess = () => {
                const r = req.result.transaction('outbox').objectStore('outbox').getAll();
                r.onsuccess = () =>
                  done(
                    (r.result as { kind: string; status: string }[]).find(
                      (m) => m.kind === 'sale.completed',
                    )?.status,
                  );
                r.onerror = () => fail(r.error);
              };
            }),
        ),
      { timeout: 30_000 },
    )
    .toBe('synced');

  // Offline: refused at once with the reason; cash takes the sale.
  await page.context().setOffline(true);
  await wedgeScan(page, [demoWalletCode('approve', (Date.now() + 1) % 1e15)]);
  await expect(status).toHaveAttribute('data-reason', 'WALLET_OFFLINE');
  await expect(status).toContainText('Wallet payments need the network');
  await shot(page, 'wallet-offline');
  await page.getByRole('button', { name: 'Pay with cash' }).click();
  await page.getByRole('button', { name: /^Exact / }).click();
  await expect(page.getByRole('heading', { name: 'Sale complete' })).toBeVisible();
  await page.context().setOffline(false);
  expect(await countRows(page, 'sales')).toBe(2);
});
