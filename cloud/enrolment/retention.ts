import type { Database } from '../db/types';
import { completeDeletions, requestDeletion } from './deletion';
import type { EnrolmentServices } from './services';

/**
 * Retention: a shopper with no palm use for the store's period (default 730 days, 2 years;
 * `store_retention`) is deleted as if they had asked. "Use" is the last approved palm payment, or
 * enrolment (or its update) for one who never paid. The clock is passed in, so a test can jump it.
 */
export const DEFAULT_UNUSED_DAYS = 730;

export async function unusedDays(db: Database, storeId: string): Promise<number> {
  const r = await db.query<{ unused_days: number }>(
    'SELECT unused_days FROM store_retention WHERE store_id = $1',
    [storeId],
  );
  return r.rows[0]?.unused_days ?? DEFAULT_UNUSED_DAYS;
}

export async function setUnusedDays(
  db: Database,
  storeId: string,
  days: number,
  by: string,
): Promise<void> {
  if (!Number.isInteger(days) || days < 1 || days > 3650)
    throw new RangeError('the retention period is 1 … 3650 days');
  await db.query(
    `INSERT INTO store_retention (store_id, unused_days, changed_by) VALUES ($1, $2, $3)
     ON CONFLICT (store_id) DO UPDATE SET unused_days = $2, changed_by = $3, changed_at = now()`,
    [storeId, days, by],
  );
}

export interface RetentionRun {
  readonly requested: string[];
  readonly completed: string[];
}

export async function runRetention(
  db: Database,
  svc: EnrolmentServices,
  now: number,
): Promise<RetentionRun> {
  const stale = await db.query<{ store_id: string; template_id: string; customer_ref: string }>(
    `SELECT s.store_id, s.template_id, s.customer_ref FROM shoppers s
     LEFT JOIN store_retention r ON r.store_id = s.store_id
     WHERE NOT EXISTS (SELECT 1 FROM shopper_deletions d
                       WHERE d.store_id = s.store_id AND d.template_id = s.template_id)
       AND greatest(s.created_at, coalesce(s.updated_at, s.created_at),
             coalesce((SELECT max(coalesce(p.paid_at, p.created_at)) FROM payments p
                       WHERE p.store_id = s.store_id AND p.template_id = s.template_id
                         AND p.status = 'approved'), s.created_at))
           < $1::timestamptz - make_interval(days => coalesce(r.unused_days, $2))`,
    [new Date(now).toISOString(), DEFAULT_UNUSED_DAYS],
  );
  const requested: string[] = [];
  for (const s of stale.rows) {
    await requestDeletion(db, svc, {
      storeId: s.store_id,
      target: { templateId: s.template_id, customerRef: s.customer_ref },
      via: 'retention',
      requestedBy: 'retention',
      now,
    });
    requested.push(s.customer_ref);
  }
  return { requested, completed: await completeDeletions(db, now) };
}

/** Runs retention now and then (hourly by default) until the app closes. */
export function scheduleRetention(
  db: Database,
  svc: EnrolmentServices,
  o: { now: () => number; intervalMs?: number; log: (e: unknown) => void },
): () => void {
  const t = setInterval(() => {
    void runRetention(db, svc, o.now()).catch(o.log);
  }, o.intervalMs ?? 3_600_000);
  t.unref();
  return () => clearInterval(t);
}
