import { createHash } from 'node:crypto';
import type { Money } from '../../common/money';
import type { PaymentOutcome, PaymentRequest } from '../../common/sync/payments';
import type { Database, Queryable } from '../db/types';
import { HttpError } from '../errors';

/**
 * The `payments` table as the idempotency record (Stripe's model): the first request with a
 * payment id claims it with its fingerprint; a retry with the same fingerprint gets the first
 * outcome, or waits while it is being decided; another body is IDEMPOTENCY_MISMATCH. A worker
 * holds a lease while it decides and charges, so a retry can take over from one that died (the
 * processor's own idempotency key then keeps the charge single).
 */
export const LEASE_MS = 30_000;

export type PaymentStatus =
  'pending' | 'charging' | 'approved' | 'step-up' | 'declined' | 'cancelled';

export interface PaymentRecord {
  readonly store_id: string;
  readonly payment_id: string;
  readonly terminal_id: string;
  readonly kind: 'online' | 'stored';
  readonly fingerprint: string;
  readonly status: PaymentStatus;
  readonly sale_id: string | null;
  readonly amount: number | null;
  readonly currency: string | null;
  readonly template_id: string | null;
  readonly customer_ref: string | null;
  readonly reason: string | null;
  readonly outcome: PaymentOutcome | null;
  readonly lease_until: Date | null;
}

/** JSON with sorted keys, so a fingerprint never depends on key order. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** What makes two requests "the same": the lane and the whole parsed body. */
export function fingerprint(terminalId: string, req: PaymentRequest): string {
  return createHash('sha256').update(terminalId).update('\n').update(canonical(req)).digest('hex');
}

export type Claim =
  | { readonly kind: 'evaluate' }
  | { readonly kind: 'charge'; readonly record: PaymentRecord }
  | { readonly kind: 'answered'; readonly outcome: PaymentOutcome }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'busy' };

export async function claimPayment(
  db: Database,
  o: {
    storeId: string;
    terminalId: string;
    req: PaymentRequest;
    fingerprint: string;
    now: number;
  },
): Promise<Claim> {
  return db.transaction(async (tx) => {
    const lease = new Date(o.now + LEASE_MS);
    const inserted = await tx.query(
      `INSERT INTO payments (store_id, payment_id, terminal_id, kind, fingerprint, status, sale_id, amount, currency, template_id, lease_until)
       VALUES ($1, $2, $3, 'online', $4, 'pending', $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
      [
        o.storeId,
        o.req.paymentId,
        o.terminalId,
        o.fingerprint,
        o.req.saleId,
        o.req.amount.amount,
        o.req.amount.currency,
        o.req.templateId,
        lease,
      ],
    );
    if (inserted.affected === 1) return { kind: 'evaluate' } as const;
    const r = await tx.query<PaymentRecord>(
      'SELECT * FROM payments WHERE store_id = $1 AND payment_id = $2 FOR UPDATE',
      [o.storeId, o.req.paymentId],
    );
    const row = r.rows[0]!;
    if (row.status === 'cancelled' && row.terminal_id === o.terminalId)
      return { kind: 'cancelled' };
    if (row.fingerprint !== o.fingerprint || row.kind !== 'online')
      throw new HttpError(
        422,
        'IDEMPOTENCY_MISMATCH',
        `payment ${o.req.paymentId} was first asked with another request; a new attempt needs a new paymentId`,
      );
    if (row.outcome) return { kind: 'answered', outcome: row.outcome };
    if (row.lease_until && row.lease_until.getTime() > o.now) return { kind: 'busy' };
    // The worker that held it is gone: take over where it stopped.
    await tx.query('UPDATE payments SET lease_until = $3 WHERE store_id = $1 AND payment_id = $2', [
      o.storeId,
      o.req.paymentId,
      lease,
    ]);
    return row.status === 'charging' ? { kind: 'charge', record: row } : { kind: 'evaluate' };
  });
}

/**
 * Records a decision on a payment still in `from` (a cancellation in between wins: false).
 * `charging` counts the payment toward the shopper's figures from `paidAt` on.
 */
export async function recordDecision(
  tx: Queryable,
  o: {
    storeId: string;
    paymentId: string;
    from: 'pending' | 'charging';
    status: Exclude<PaymentStatus, 'pending' | 'cancelled'>;
    outcome: PaymentOutcome | null;
    reason: string | null;
    customerRef?: string | null;
    templateId?: string;
    nearThreshold?: boolean;
    paidAt?: number;
    amount?: Money;
    now: number;
  },
): Promise<boolean> {
  const r = await tx.query(
    `UPDATE payments SET status = $4, outcome = $5::jsonb, reason = $6,
       customer_ref = coalesce($7, customer_ref), template_id = coalesce($8, template_id),
       near_threshold = coalesce($9, near_threshold), paid_at = coalesce($10, paid_at),
       amount = coalesce($11, amount), currency = coalesce($12, currency),
       decided_at = coalesce(decided_at, $13), lease_until = CASE WHEN $4 = 'charging' THEN lease_until ELSE NULL END
     WHERE store_id = $1 AND payment_id = $2 AND status = $3`,
    [
      o.storeId,
      o.paymentId,
      o.from,
      o.status,
      o.outcome ? JSON.stringify(o.outcome) : null,
      o.reason,
      o.customerRef ?? null,
      o.templateId ?? null,
      o.nearThreshold ?? null,
      o.paidAt !== undefined ? new Date(o.paidAt) : null,
      o.amount?.amount ?? null,
      o.amount?.currency ?? null,
      new Date(o.now),
    ],
  );
  return r.affected === 1;
}
