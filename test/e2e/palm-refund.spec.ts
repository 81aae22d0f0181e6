import { expect, test, type Page } from '@playwright/test';
import { demoCardBehaviour } from '../../cloud/demo-shoppers';
import { E2E_PORT } from '../../playwright.config';
import { PalmLane, startPalmHost } from './palm-lane';
import {
  addProduct,
  expectedTotals,
  managerApproval,
  product,
  shot,
  usd,
  wedgeScan,
  type Spawned,
} from './support';

/**
 * A refund of one line of a palm sale goes back through the processor: the lane asks the store
 * cloud (the processor is behind it), which checks the refund against what is left of the palm
 * payment and sends it with the refund id as idempotency key; the lane's sale.refunded (tender
 * palm, the processor's reference) is accepted by the push only because the cloud made it.
 */
const PORT = E2E_PORT + 34;
const CLOUD_PORT = E2E_PORT + 35;
test.use({ baseURL: `http://127.0.0.1:${PORT}` });

let host: Spawned;
let page: Page;
test.afterAll(async () => {
  await page?.close();
  await host?.stop();
});

const granola = product('Granola Bars 6 ct');
const water = product('Sparkling Water 12 pk');
const line = expectedTotals((c, id) => addProduct(c, granola, id[0]!)).total.amount;

async function refundStatus(p: Page): Promise<string | undefined> {
  return p.evaluate(
    () =>
      new Promise<string | undefined>((done, fail) => {
        const req = indexedDB.open('palm-terminal');
        req.onerror = () => fail(req.error);
        req.onsuccess = () => {
          const r = req.result.transaction('outbox').objectStore('outbox').getAll();
          r.onsuccess = () =>
            done(
              (r.result as { kind: string; status: string }[]).find(
                (m) => m.kind === 'sale.refunded',
              )?.status,
            );
          r.onerror = () => fail(r.error);
        };
      }),
  );
}

test('a refund of one line of a palm sale back through the processor', async ({ browser }) => {
  test.setTimeout(180_000);
  host = await startPalmHost(PORT, CLOUD_PORT, '.e2e-palm-refund-cloud', {
    PALM_EMULATOR_KEY: 'pending',
  });
  page = await browser.newPage({ baseURL: `http://127.0.0.1:${PORT}` });
  const lane = new PalmLane(page);
  await lane.open();
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByRole('button', { name: 'Approve scanner key' }).click();
  await managerApproval(page);
  await expect(page.getByTestId('scanner-key')).toContainText('approved');
  await page.getByRole('button', { name: /^Sale/ }).click();

  await wedgeScan(page, [granola.barcode, water.barcode]);
  await page.getByRole('button', { name: 'Palm', exact: true }).click();
  const approving = Array.from({ length: 60 }, (_, i) => i).filter(
    (n) => demoCardBehaviour(n) === 'approve',
  );
  const { shopper, quality } = lane.pick('accept', approving);
  await lane.present(shopper, quality);
  await expect(page.getByRole('heading', { name: 'Sale complete' })).toBeVisible();
  await page.getByRole('button', { name: 'New sale' }).click();

  await page.keyboard.press('F10');
  await page
    .getByRole('button', { name: /^Refund sale / })
    .first()
    .click();
  const dialog = page.getByTestId('post-sale-dialog');
  await dialog.getByLabel(`Refund quantity of ${granola.name}`).fill('1');
  await expect(dialog.getByTestId('post-sale-amount')).toHaveText(
    `To pay back: ${usd(line)} to Palm`,
  );
  await dialog.getByLabel('Reason').fill('crushed box');
  await dialog.getByRole('button', { name: 'Refund', exact: true }).click();
  await managerApproval(page);
  await expect(page.getByTestId('post-sale-done')).toHaveText(
    new RegExp(
      `^Done: ${usd(line).replace('$', '\\$')} sent back to the card \\(re_emu_[0-9a-f]{16}\\)$`,
    ),
  );
  await shot(page, 'palm-refund-one-line');
  // The store cloud accepts the lane's record of it: the refund it made itself.
  await expect.poll(() => refundStatus(page), { timeout: 30_000 }).toBe('synced');
});
