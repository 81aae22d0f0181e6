import type { CurrencyCode } from '../../common/money';
import type { Database } from '../db/types';
import { chargeCard, chargeOutcome } from './charge';
import { LEASE_MS, recordDecision, type PaymentRecord } from './records';
import type { PaymentServices } from './services';

/** After this long without a processor answer, a stored payment is declined (shown to the manager). */
export const STORED_CHARGE_GIVE_UP_MS = 72 * 3_600_000;

/**
 * Charges the stored palm payments that were judged and due when the processor did not answer
 * (stored.ts), with the same idempotency key, so a charge that did go through is answered, not
 * repeated. The cloud runs it every minute; each payment is leased while it is tried.
 */
export async function settleStoredCharges(
  db: Database,
  svc: PaymentServices,
  now: number,
): Promise<{ approved: number; declined: number; waiting: number }> {
  const due = await db.query<PaymentRecord & { paid_at: Date }>(
    `UPDATE payments SET lease_until = $2
     WHERE kind = 'stored' AND status = 'charging' AND (lease_until IS NULL OR lease_until < $1)
     RETURNING *`,
    [new Date(now), new Date(now + LEASE_MS)],
  );
  const counts = { approved: 0, declined: 0, waiting: 0 };
  for (const p of due.rows) {
    const shopper = await db.transaction((tx) => svc.shoppers.find(tx, p.store_id, p.template_id!));
    const amount = { amount: p.amount!, currency: p.currency as CurrencyCode };
    let outcome = null;
    if (shopper) {
      const result = await chargeCard(svc, {
        storeId: p.store_id,
        paymentId: p.payment_id,
        saleId: p.sale_id!,
        amount,
        shopper,
      });
      if (result.status === 'unavailable' && now - p.paid_at.getTime() < STORED_CHARGE_GIVE_UP_MS) {
        counts.waiting++;
        continue;
      }
      outcome = chargeOutcome(p.payment_id, amount, shopper, result);
    } else {
      outcome = {
        status: 'declined' as const,
        paymentId: p.payment_id,
        reason: 'SHOPPER_UNKNOWN' as const,
        message: 'the shopper is no longer enrolled',
      };
    }
    await db.transaction(async (tx) => {
      await recordDecision(tx, {
        storeId: p.store_id,
        paymentId: p.payment_id,
        from: 'charging',
        status: outcome.status === 'approved' ? 'approved' : 'declined',
        outcome,
        reason: outcome.status === 'declined' ? `${outcome.reason}: ${outcome.message}` : null,
        now,
      });
      if (outcome.status === 'approved')
        await tx.query(
          'UPDATE stored_payments SET settled_at = $3 WHERE store_id = $1 AND payment_id = $2',
          [p.store_id, p.payment_id, new Date(now)],
        );
    });
    counts[outcome.status === 'approved' ? 'approved' : 'declined']++;
  }
  return counts;
}
