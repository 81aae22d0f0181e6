import { expect, test, type Page } from '@playwright/test';
import { cartLines, countRows, openLane, product, shot, wedgeScan } from './support';

/** The card payment the saved draft names (what a reload resumes), or null. */
async function pendingCardPayment(page: Page): Promise<string | null> {
  return page.evaluate(
    () =>
      new Promise<string | null>((resolveId, reject) => {
        const req = indexedDB.open('palm-terminal');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const db = req.result;
          const r = db.transaction('drafts').objectStore('drafts').get('current');
          r.onsuccess = () => {
            resolveId(
              (r.result as { pendingCardPaymentId?: string } | undefined)?.pendingCardPaymentId ??
                null,
            );
            db.close();
          };
          r.onerror = () => reject(r.error);
        };
      }),
  );
}

test('a reload while the card terminal waits resumes the same payment, and it completes once', async ({
  page,
}) => {
  await openLane(page);
  await wedgeScan(page, [product('Granola Bars 6 ct').barcode]);
  await expect(cartLines(page)).toHaveCount(1);
  await page.keyboard.press('F9');
  await expect(page.getByTestId('card-status')).toHaveAttribute('data-state', 'waiting-for-card');
  await expect.poll(() => pendingCardPayment(page)).not.toBeNull();
  const paymentId = await pendingCardPayment(page);

  await page.reload();
  await expect(page.getByTestId('host-status')).toContainText('connected');
  // Back on the same payment: the terminal still waits for that card, no second payment begun.
  await expect(page.getByTestId('card-status')).toHaveAttribute('data-state', 'waiting-for-card');
  expect(await pendingCardPayment(page)).toBe(paymentId);
  await expect(page.getByText('Card terminal: busy')).toBeVisible();
  await shot(page, 'card-resumed-after-reload');

  await page.getByRole('button', { name: 'Visa · approved' }).click();
  await expect(page.getByRole('heading', { name: 'Sale complete' })).toBeVisible();
  await expect(page.getByText(/Visa •••• 4242 · auth A\d{5}/)).toBeVisible();
  expect(await countRows(page, 'sales')).toBe(1);
  expect(await pendingCardPayment(page)).toBeNull();
});

test('F8 during a card payment cancels it at the terminal first, then takes cash', async ({
  page,
}) => {
  await openLane(page);
  await wedgeScan(page, [product('Trail Mix 10 oz').barcode]);
  await expect(cartLines(page)).toHaveCount(1);
  await page.keyboard.press('F9');
  await expect(page.getByTestId('card-status')).toHaveAttribute('data-state', 'waiting-for-card');

  await page.keyboard.press('F8');
  await expect(page.getByRole('textbox', { name: 'Cash received' })).toBeVisible();
  // The terminal was told: it is free again, and a card tapped now is refused by it.
  await expect(page.getByText('Card terminal: ready')).toBeVisible();
  await page.getByRole('button', { name: /^Exact / }).click();
  await expect(page.getByRole('heading', { name: 'Sale complete' })).toBeVisible();
  await expect(page.getByText(/^Cash /)).toBeVisible();
  expect(await countRows(page, 'sales')).toBe(1);
  await shot(page, 'card-cancelled-for-cash');
});
