import type { Page } from 'playwright-core';
import type { Product } from '../../../common/catalog';

/**
 * A cashier at the real lane page (browser mode), and what the page's own IndexedDB holds. No
 * test hooks in the app: everything goes through the keyboard, the buttons and IndexedDB.
 */

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value that is not undefined, or throws after `ms`. */
export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

export interface OutboxView {
  readonly mutationId: number;
  readonly status: 'pending' | 'in-flight' | 'synced' | 'rejected';
  readonly saleId: string | null;
  readonly lastError: string | null;
}

export interface LaneSnapshot {
  readonly saleIds: string[];
  readonly outbox: OutboxView[];
  readonly draftLines: number;
}

/** Reads the lane's database straight from IndexedDB (the truth the cashier's sales live in). */
export function snapshot(page: Page): Promise<LaneSnapshot> {
  return page.evaluate(
    () =>
      new Promise<LaneSnapshot>((resolve, reject) => {
        const open = indexedDB.open('palm-terminal');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction(['sales', 'outbox', 'drafts'], 'readonly');
          const sales = tx.objectStore('sales').getAllKeys();
          const outbox = tx.objectStore('outbox').getAll();
          const draft = tx.objectStore('drafts').get('current');
          tx.oncomplete = () => {
            db.close();
            type Row = {
              mutationId: number;
              status: OutboxView['status'];
              kind: string;
              payload: { id?: string };
              lastError?: string;
            };
            resolve({
              saleIds: (sales.result as string[]).slice().sort(),
              outbox: (outbox.result as Row[]).map((r) => ({
                mutationId: r.mutationId,
                status: r.status,
                saleId: r.kind === 'sale.completed' ? (r.payload.id ?? null) : null,
                lastError: r.lastError ?? null,
              })),
              draftLines:
                (draft.result as { cart?: { lines: unknown[] } } | undefined)?.cart?.lines.length ??
                0,
            });
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
}

export const unsynced = (s: LaneSnapshot): OutboxView[] =>
  s.outbox.filter((r) => r.status === 'pending' || r.status === 'in-flight');

/** What the status bar's sync badge shows: its phase, text and tooltip. */
export async function badge(
  page: Page,
): Promise<{ phase: string | null; text: string; title: string | null }> {
  const li = page.getByTestId('sync-status');
  if ((await li.count()) === 0) return { phase: null, text: '', title: null };
  return {
    phase: await li.getAttribute('data-phase'),
    text: ((await li.textContent()) ?? '').trim(),
    title: await li.getAttribute('title'),
  };
}

/** Waits until the lane is usable: the host connected and the scan field focused. */
export async function laneReady(page: Page): Promise<void> {
  await page
    .getByTestId('host-status')
    .filter({ hasText: 'connected' })
    .waitFor({ timeout: 20_000 });
  await until('the scan field to take focus', async () =>
    (await page.evaluate(() => document.activeElement?.getAttribute('role') === 'combobox'))
      ? true
      : undefined,
  );
}

export async function reload(page: Page): Promise<void> {
  await page.reload({ waitUntil: 'domcontentloaded' });
  await laneReady(page);
}

export const cartLineCount = (page: Page): Promise<number> => page.getByTestId('cart-line').count();

/**
 * Rings up one sale as a cashier does: wedge-scans `products` (digits then Enter, back to back)
 * unless a reloaded page restored a basket, optionally reloads mid-sale once the draft is on
 * disk, pays cash with the exact amount, and either reloads at once (right after paying) or
 * waits for the receipt and starts a new sale.
 */
export async function ringSale(
  page: Page,
  products: readonly Product[],
  opts: { reloadMidSale: boolean; reloadAfterPayMs: number | null },
): Promise<{ reloads: number }> {
  let reloads = 0;
  let lines = await cartLineCount(page);
  if (lines === 0) {
    await page.keyboard.type(products.map((p) => `${p.barcode}\n`).join(''), { delay: 0 });
    await until('the scanned lines', async () =>
      (await cartLineCount(page)) === products.length ? true : undefined,
    );
    lines = products.length;
  }
  if (opts.reloadMidSale) {
    // A change is on disk a few milliseconds after it shows; reload once it is (as a crash would).
    await until('the draft on disk', async () =>
      (await snapshot(page)).draftLines === lines ? true : undefined,
    );
    await reload(page);
    reloads += 1;
    await until('the restored basket', async () =>
      (await cartLineCount(page)) === lines ? true : undefined,
    );
  }
  const exact = page.getByRole('button', { name: /^Exact / });
  // F8 is taken once the lane has settled the scans (a restored basket may still be loading).
  for (let press = 1; ; press++) {
    await page.keyboard.press('F8');
    try {
      await exact.waitFor({ timeout: 3_000 });
      break;
    } catch (e) {
      if (press === 3) throw e;
    }
  }
  await exact.click();
  if (opts.reloadAfterPayMs !== null) {
    if (opts.reloadAfterPayMs > 0) await sleep(opts.reloadAfterPayMs);
    await reload(page);
    return { reloads: reloads + 1 };
  }
  await page.getByRole('heading', { name: 'Sale complete' }).waitFor({ timeout: 10_000 });
  await page.getByRole('button', { name: 'New sale' }).click();
  await page.getByText('Scan an item to start a sale').waitFor({ timeout: 10_000 });
  return { reloads };
}
