import type { TerminalDatabase } from '../db/database';

/**
 * What the lane holds in palm payments stored offline, read from its own tables: unsettled ones
 * are `payment.stored` mutations the cloud has not yet answered (pending or in flight); a
 * shopper's day is their stored palm tenders on sales completed in the last 24 h.
 */
const DAY_MS = 86_400_000;

export async function laneUnsettled(db: TerminalDatabase): Promise<number> {
  const rows = await db.outbox.where('status').anyOf('pending', 'in-flight').toArray();
  return rows.reduce((s, r) => (r.kind === 'payment.stored' ? s + r.payload.amount.amount : s), 0);
}

/** Every shopper's stored palm tenders on sales completed in the 24 h before `now`. */
export async function storedByShopperSince(
  db: TerminalDatabase,
  now: number,
): Promise<Map<string, number>> {
  const since = new Date(now - DAY_MS).toISOString();
  const sales = await db.sales.where('completedAt').above(since).toArray();
  const sums = new Map<string, number>();
  for (const s of sales)
    for (const t of s.tenders)
      if (t.kind === 'palm' && t.stored)
        sums.set(t.customerRef, (sums.get(t.customerRef) ?? 0) + t.amount.amount);
  return sums;
}

export async function shopperStoredSince(
  db: TerminalDatabase,
  customerRef: string,
  now: number,
): Promise<number> {
  return (await storedByShopperSince(db, now)).get(customerRef) ?? 0;
}

export interface StoredSummary {
  /** Stored payments still waiting for the cloud. */
  readonly waiting: number;
  /** Of those, older than the age limit: the cloud will refuse them; the manager should know. */
  readonly expired: number;
  readonly oldestAt: string | null;
}

export async function storedSummary(
  db: TerminalDatabase,
  now: number,
  maxAgeHours: number,
): Promise<StoredSummary> {
  const rows = (await db.outbox.where('status').anyOf('pending', 'in-flight').toArray()).filter(
    (r) => r.kind === 'payment.stored',
  );
  const limit = now - maxAgeHours * 3_600_000;
  return {
    waiting: rows.length,
    expired: rows.filter((r) => Date.parse(r.createdAt) < limit).length,
    oldestAt: rows.reduce<string | null>((o, r) => (!o || r.createdAt < o ? r.createdAt : o), null),
  };
}
