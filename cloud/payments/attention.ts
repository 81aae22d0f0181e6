import type { Queryable } from '../db/types';

/**
 * Stored palm payments the manager must act on: declined after the fact (contact the shopper,
 * by their pseudonymous ref, through the store's customer records) or still waiting for the
 * processor. Newest first.
 */
export interface PalmAttentionRow {
  readonly laneCode: string;
  readonly paymentId: string;
  readonly saleId: string;
  readonly customerRef: string | null;
  readonly amount: number;
  readonly currency: string;
  readonly state: 'declined' | 'waiting-for-processor';
  readonly reason: string | null;
  readonly storedAt: string | null;
}

export async function palmAttention(db: Queryable, storeId: string): Promise<PalmAttentionRow[]> {
  const r = await db.query<{
    lane_code: string;
    payment_id: string;
    sale_id: string;
    customer_ref: string | null;
    amount: number;
    currency: string;
    status: string;
    reason: string | null;
    paid_at: Date | null;
    created_at: Date;
  }>(
    `SELECT t.lane_code, p.payment_id, p.sale_id, p.customer_ref, p.amount, p.currency, p.status, p.reason,
            p.paid_at, p.created_at
     FROM payments p JOIN terminals t ON t.id = p.terminal_id
     WHERE p.store_id = $1 AND p.kind = 'stored' AND p.status IN ('declined', 'charging')
     ORDER BY p.created_at DESC LIMIT 200`,
    [storeId],
  );
  return r.rows.map((row) => ({
    laneCode: row.lane_code,
    paymentId: row.payment_id,
    saleId: row.sale_id,
    customerRef: row.customer_ref,
    amount: row.amount,
    currency: row.currency,
    state: row.status === 'declined' ? 'declined' : 'waiting-for-processor',
    reason: row.reason,
    storedAt: row.paid_at?.toISOString() ?? null,
  }));
}
