import { expect, test, type Page } from '@playwright/test';
import { E_RECEIPT_TOKEN } from '../../common/e-receipt';
import { storeProfile } from '../../common/store-profile';
import {
  connectLane,
  countRows,
  managerApproval,
  openLane,
  product,
  shot,
  wedgeScan,
} from './support';

/**
 * A receipt in each demo store's language, as the emulated printer shows it from the ESC/POS
 * bytes it received: labels translated, money in the store's currency, every line exactly 42
 * printer columns (Korean characters count two), the e-receipt QR code; then an empty roll that
 * is shown and loses nothing.
 */
const STORES = [
  { id: 'us', nav: 'Sale', labels: ['Subtotal', 'Sales tax', 'TOTAL', 'Cash', 'Change'] },
  {
    id: 'de',
    nav: 'Verkauf',
    labels: ['Zwischensumme', 'enth. MwSt.', 'SUMME', 'Bar', 'Rückgeld'],
  },
  { id: 'kr', nav: '판매', labels: ['소계', '부가세 포함', '합계', '현금', '거스름돈'] },
] as const;

const paper = (page: Page) => page.getByTestId('printer-paper');
/** The job the paper view shows now, or null (read without waiting for one to appear). */
const currentJob = (page: Page) =>
  paper(page).evaluateAll((els) => els[0]?.getAttribute('data-job') ?? null);

async function sellAndPrint(page: Page, cash: string): Promise<void> {
  await wedgeScan(page, [product('Whole Milk 1 gal').barcode, product('Cola 12 pk').barcode]);
  await page.keyboard.press('F8');
  await page.keyboard.type(cash);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('receipt-total')).toBeVisible();
  const before = await currentJob(page);
  await page.getByTestId('print-receipt').click();
  await expect.poll(() => currentJob(page)).not.toBe(before);
}

test('receipts in English, German and Korean from the printer’s ESC/POS, aligned, with the e-receipt QR', async ({
  page,
}) => {
  await openLane(page);
  await connectLane(page);

  for (const store of STORES) {
    const profile = storeProfile(store.id);
    if (store.id !== 'us') {
      await page.getByRole('button', { name: /^(Settings|Einstellungen)$/ }).click();
      await page.getByLabel(/^(Store|Filiale)$/).selectOption(store.id);
      await managerApproval(page);
      await page.getByRole('button', { name: `${store.nav} F1`, exact: true }).click();
    }
    await sellAndPrint(page, store.id === 'kr' ? '100000' : '100');

    const text = await paper(page).innerText();
    // The name prints double size: 21 columns a line, so a long one wraps like any paragraph.
    expect(text.replace(/\s+/g, ' ')).toContain(profile.name);
    for (const label of store.labels) expect(text).toContain(label);
    // Every printed line fills the paper exactly: 42 columns in font A (Korean counted as two).
    const columns = await page
      .getByTestId('paper-line')
      .evaluateAll((ls) => ls.map((l) => Number(l.getAttribute('data-columns'))));
    expect(columns.filter((c) => c > 0).every((c) => c === 42)).toBe(true);
    const qr = await page.getByTestId('paper-qr').getAttribute('data-qr');
    expect(qr).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/r\//);
    expect(qr!.split('/r/')[1]).toMatch(E_RECEIPT_TOKEN);
    await paper(page).screenshot({ path: `test/artifacts/receipt-${store.id}.png` });

    if (store.id === 'us') {
      // The QR code's link opens this sale's receipt at the store cloud once it has synced.
      await expect(page.getByTestId('sync-status')).toHaveAttribute('data-phase', 'idle');
      await expect.poll(async () => (await fetch(qr!)).status, { timeout: 20_000 }).toBe(200);
      expect(await (await fetch(qr!)).text()).toContain('Demo');
    }
    await page.getByRole('button', { name: /^(New sale|Neuer Verkauf|새 판매)$/ }).click();
  }
  await shot(page, 'receipt-printer-ko');
});

test('an empty roll is shown, the sale is kept, and printing again works once paper is in', async ({
  page,
}) => {
  await openLane(page);
  await page.getByTestId('printer-fault').selectOption('paper-out');
  await wedgeScan(page, [product('Whole Milk 1 gal').barcode]);
  await page.keyboard.press('F8');
  await page.keyboard.type('20');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('receipt-total')).toBeVisible();
  const jobs = await currentJob(page);
  await page.getByTestId('print-receipt').click();
  await expect(page.getByTestId('print-problem')).toHaveText(
    'The receipt printer is out of paper. The sale is saved: load paper and print again.',
  );
  await expect(page.getByTestId('host-status')).toContainText('connected');
  expect(await countRows(page, 'sales')).toBe(1);
  expect(await currentJob(page)).toBe(jobs);
  await shot(page, 'receipt-paper-out');

  await page.getByTestId('printer-fault').selectOption('none');
  await page.getByTestId('print-receipt').click();
  await expect(page.getByText('Receipt printed')).toBeVisible();
  await expect(page.getByTestId('print-problem')).toHaveCount(0);
  await expect(paper(page)).toContainText('TOTAL');
});
