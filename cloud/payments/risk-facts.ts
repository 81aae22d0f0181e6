import type { Money } from '../../common/money';
import type { StoreSettings } from '../../common/sync/protocol';
import type { Queryable } from '../db/types';
import { RISK_LIMITS, type RiskFacts } from './risk';
import type { EnrolledShopper } from './shoppers';

const DAY_MS = 86_400_000;
/** How far back a shopper's own payments are read: the longer of the two rules' windows. */
const MINE_WINDOW_MS = Math.max(DAY_MS, RISK_LIMITS.velocityWindowMs);

/**
 * The facts the risk rules judge, looked up for one payment. A payment counts toward a shopper's
 * figures once it is being charged or approved (`paid_at` is when it was made: now online,
 * `storedAt` for a stored one), so two payments by one shopper at once cannot both slip under a
 * limit: the shopper's row is locked while one is judged.
 */
export async function riskFacts(
  tx: Queryable,
  o: {
    storeId: string;
    terminalId: string;
    shopper: EnrolledShopper;
    amount: Money;
    at: number;
    here: StoreSettings['location'];
    nearThreshold: boolean;
  },
): Promise<RiskFacts> {
  const at = new Date(o.at);
  // One statement for every fact (each a round trip to the database otherwise, inside the
  // payment's transaction): the shopper's last day and last minutes here, their latest payment
  // at another store with a location, and this lane's near-threshold matches. Each reads only
  // its window through an index (payments_shopper, payments_lane_near), not the whole history.
  const r = await tx.query<{
    spent: number;
    recent: number;
    lane: number;
    elsewhere_at: Date | null;
    elsewhere_location: { latitude: number; longitude: number } | null;
  }>(
    `WITH mine AS (
       SELECT amount, paid_at FROM payments
       WHERE customer_ref = $1 AND status IN ('charging', 'approved') AND currency = $5
         AND paid_at > $9 AND paid_at <= $4),
     elsewhere AS (
       SELECT p.paid_at, s.settings->'location' AS location FROM payments p JOIN stores s ON s.id = p.store_id
       WHERE p.customer_ref = $1 AND p.store_id <> $6 AND p.status IN ('charging', 'approved')
         AND p.paid_at > $2 AND p.paid_at <= $4 AND s.settings ? 'location'
       ORDER BY p.paid_at DESC LIMIT 1)
     SELECT (SELECT coalesce(sum(amount) FILTER (WHERE paid_at > $2), 0)::bigint FROM mine) AS spent,
            (SELECT count(*) FILTER (WHERE paid_at > $3)::bigint FROM mine) AS recent,
            (SELECT count(*)::bigint FROM payments
             WHERE terminal_id = $7 AND near_threshold AND decided_at > $8 AND decided_at <= $4) AS lane,
            e.paid_at AS elsewhere_at, e.location AS elsewhere_location
     FROM (SELECT 1) AS one LEFT JOIN elsewhere e ON true`,
    [
      o.shopper.customerRef,
      new Date(o.at - DAY_MS),
      new Date(o.at - RISK_LIMITS.velocityWindowMs),
      at,
      o.amount.currency,
      o.storeId,
      o.terminalId,
      new Date(o.at - RISK_LIMITS.laneWindowMs),
      new Date(o.at - MINE_WINDOW_MS),
    ],
  );
  const row = r.rows[0];
  return {
    amount: o.amount,
    at: o.at,
    limits: o.shopper.limits,
    spentLast24h: Number(row?.spent ?? 0),
    recentPayments: Number(row?.recent ?? 0),
    here: o.here ?? null,
    lastElsewhere:
      row?.elsewhere_at && row.elsewhere_location
        ? { at: new Date(row.elsewhere_at).getTime(), where: row.elsewhere_location }
        : null,
    laneNearThreshold: Number(row?.lane ?? 0),
    nearThreshold: o.nearThreshold,
  };
}
