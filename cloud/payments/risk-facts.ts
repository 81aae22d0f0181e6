import type { Money } from '../../common/money';
import type { StoreSettings } from '../../common/sync/protocol';
import type { Queryable } from '../db/types';
import { RISK_LIMITS, type RiskFacts } from './risk';
import type { EnrolledShopper } from './shoppers';

const DAY_MS = 86_400_000;

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
  const paid = await tx.query<{ spent: number; recent: number }>(
    `SELECT coalesce(sum(amount) FILTER (WHERE paid_at > $2), 0)::bigint AS spent,
            count(*) FILTER (WHERE paid_at > $3)::bigint AS recent
     FROM payments WHERE customer_ref = $1 AND status IN ('charging', 'approved')
       AND currency = $5 AND paid_at <= $4`,
    [
      o.shopper.customerRef,
      new Date(o.at - DAY_MS),
      new Date(o.at - RISK_LIMITS.velocityWindowMs),
      at,
      o.amount.currency,
    ],
  );
  const elsewhere = await tx.query<{
    paid_at: Date;
    location: { latitude: number; longitude: number };
  }>(
    `SELECT p.paid_at, s.settings->'location' AS location FROM payments p JOIN stores s ON s.id = p.store_id
     WHERE p.customer_ref = $1 AND p.store_id <> $2 AND p.status IN ('charging', 'approved')
       AND p.paid_at > $3 AND p.paid_at <= $4 AND s.settings ? 'location'
     ORDER BY p.paid_at DESC LIMIT 1`,
    [o.shopper.customerRef, o.storeId, new Date(o.at - DAY_MS), at],
  );
  const lane = await tx.query<{ n: number }>(
    `SELECT count(*)::bigint AS n FROM payments
     WHERE terminal_id = $1 AND near_threshold AND decided_at > $2 AND decided_at <= $3`,
    [o.terminalId, new Date(o.at - RISK_LIMITS.laneWindowMs), at],
  );
  const last = elsewhere.rows[0];
  return {
    amount: o.amount,
    at: o.at,
    limits: o.shopper.limits,
    spentLast24h: Number(paid.rows[0]?.spent ?? 0),
    recentPayments: Number(paid.rows[0]?.recent ?? 0),
    here: o.here ?? null,
    lastElsewhere: last ? { at: last.paid_at.getTime(), where: last.location } : null,
    laneNearThreshold: Number(lane.rows[0]?.n ?? 0),
    nearThreshold: o.nearThreshold,
  };
}
