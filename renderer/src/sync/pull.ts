import { searchWords } from '../../../common/catalog';
import type { PalmPayAccess, PullResponse, StoreSettings } from '../../../common/sync/protocol';
import type { TerminalDatabase } from '../db/database';
import { SHARD_FEED_KEY } from '../shard/feed';
import { SYNC_STATE_KEY, readStoredSyncState } from './outbox';

/** The store's settings as last pulled from the cloud (limits, thresholds, staff verifiers). */
export const STORE_SETTINGS_KEY = 'store-settings';
/** Whether a manager approved this lane for palm pay (PalmPayAccess), as last pulled. */
export const PALM_PAY_ACCESS_KEY = 'palm-pay-access';

export async function palmPayAccess(db: TerminalDatabase): Promise<PalmPayAccess | null> {
  return ((await db.settings.get(PALM_PAY_ACCESS_KEY))?.value as PalmPayAccess | undefined) ?? null;
}

export async function cloudStoreSettings(db: TerminalDatabase): Promise<StoreSettings | null> {
  return ((await db.settings.get(STORE_SETTINGS_KEY))?.value as StoreSettings | undefined) ?? null;
}

/**
 * Applies one pull page and its cursor in one transaction, so a crash between the two can never
 * skip a change (the page is simply pulled again; applying it twice is harmless).
 */
export async function applyPull(db: TerminalDatabase, page: PullResponse, at: Date): Promise<void> {
  const upserts = page.catalog.upserts.map((p) => ({ ...p, words: searchWords(p.name) }));
  await db.transaction('rw', [db.catalog, db.settings], async () => {
    if (upserts.length > 0) {
      // A barcode moved to another product id: drop the old holder first (barcode is unique).
      const ids = new Set(upserts.map((p) => p.id));
      const holders = await db.catalog
        .where('barcode')
        .anyOf(upserts.map((p) => p.barcode))
        .toArray();
      const stale = holders.filter((h) => !ids.has(h.id)).map((h) => h.id);
      if (stale.length > 0) await db.catalog.bulkDelete(stale);
      await db.catalog.bulkPut(upserts);
    }
    if (page.catalog.deletes.length > 0) await db.catalog.bulkDelete([...page.catalog.deletes]);
    if (page.settings) await db.settings.put({ key: STORE_SETTINGS_KEY, value: page.settings });
    if (page.shard) await db.settings.put({ key: SHARD_FEED_KEY, value: page.shard });
    if (page.palmPay) await db.settings.put({ key: PALM_PAY_ACCESS_KEY, value: page.palmPay });
    const state = readStoredSyncState((await db.settings.get(SYNC_STATE_KEY))?.value);
    await db.settings.put({
      key: SYNC_STATE_KEY,
      value: { ...state, pullCursor: page.cursor, lastPullAt: at.toISOString() },
    });
  });
}
