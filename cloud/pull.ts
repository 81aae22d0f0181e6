import type { PullResponse, ShardFeed, StoreSettings } from '../common/sync/protocol';
import type { AuthenticatedTerminal } from './auth';
import type { Database } from './db/types';
import { badRequest } from './errors';
import { palmPayAccess } from './shard-approval';

export const MAX_PULL_LIMIT = 1000;

/** Where the template-shard feed comes from (the shard builder in cloud/shard/, when wired). */
export interface ShardSource {
  feed(storeId: string, terminalId: string): Promise<ShardFeed | null>;
}

export function parseCursor(raw: unknown): number {
  if (raw === undefined || raw === '') return 0;
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw))
    throw badRequest('cursor must be a cursor this cloud returned');
  return Number(raw);
}

/**
 * Changes to the terminal's own store after `cursor`: catalog upserts and deletes in version
 * order (at most `limit`), and the store's settings when they changed. The store comes from the
 * authenticated terminal, never from the request, so a lane cannot read another store's data.
 *
 * Versions come from the store's change counter, taken under its row lock, so they commit in
 * order: a reader that sees version n has also seen every version below it, and the cursor
 * (the highest version returned) never skips a change.
 */
export async function pullChanges(
  db: Database,
  terminal: AuthenticatedTerminal,
  cursor: number,
  limit: number,
  shard?: ShardSource,
): Promise<PullResponse> {
  const items = await db.query<{
    product_id: string;
    body: PullResponse['catalog']['upserts'][number] | null;
    deleted: boolean;
    version: number;
  }>(
    `SELECT product_id, body, deleted, version FROM catalog_items
     WHERE store_id = $1 AND version > $2 ORDER BY version, product_id LIMIT $3`,
    [terminal.storeId, cursor, limit + 1],
  );
  let rows = items.rows;
  let more = false;
  if (rows.length > limit) {
    // Cut at a version boundary so one change (which shares a version) is never split in two.
    const lastVersion = rows[limit - 1]!.version;
    const cut = rows.findIndex((r) => r.version === lastVersion);
    if (cut > 0) {
      rows = rows.slice(0, cut);
    } else {
      // One change larger than the limit (a catalog import) is sent whole.
      rows = (
        await db.query<(typeof rows)[number]>(
          `SELECT product_id, body, deleted, version FROM catalog_items
           WHERE store_id = $1 AND version = $2 ORDER BY product_id`,
          [terminal.storeId, lastVersion],
        )
      ).rows;
    }
    more = true;
  }
  const store = await db.query<{ settings: StoreSettings; settings_version: number }>(
    'SELECT settings, settings_version FROM stores WHERE id = $1',
    [terminal.storeId],
  );
  const s = store.rows[0];
  const settingsChanged = s !== undefined && s.settings_version > cursor;
  let next = cursor;
  for (const r of rows) next = Math.max(next, r.version);
  if (settingsChanged && !more) next = Math.max(next, s.settings_version);
  return {
    cursor: String(next),
    more,
    catalog: {
      upserts: rows.filter((r) => !r.deleted && r.body).map((r) => r.body!),
      deletes: rows.filter((r) => r.deleted).map((r) => r.product_id),
    },
    settings: settingsChanged ? s.settings : null,
    shard: shard ? await shard.feed(terminal.storeId, terminal.terminalId) : null,
    palmPay: await palmPayAccess(db, terminal.terminalId),
  };
}
