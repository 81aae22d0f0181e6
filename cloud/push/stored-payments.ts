import { checkStoredPayment } from '../../common/offline-payments';
import type { Sale } from '../../common/sale';
import { MAX_CLOCK_SKEW_MS, type MutationPayload } from '../../common/sync/protocol';
import { authorizeStoredPalm } from '../payments/stored';
import { rulesAt } from '../settings-history';
import { Rejection, type PushContext } from './context';

/**
 * Records an offline (store-and-forward) payment for settlement, only within the store's limits
 * as they stood when it was taken: per payment, the lane's total unsettled, and its age on
 * arrival; and only for a tender of a sale this lane already pushed (common/offline-payments.ts).
 * The terminal row is locked for the push, so the lane's unsettled sum cannot move meanwhile.
 */
export async function applyStoredPayment(
  pc: PushContext,
  p: MutationPayload<'payment.stored'>,
): Promise<void> {
  const { tx, terminal } = pc;
  const known = await tx.query(
    'SELECT 1 FROM stored_payments WHERE store_id = $1 AND payment_id = $2',
    [terminal.storeId, p.paymentId],
  );
  if (known.rows.length > 0)
    throw new Rejection(`stored payment ${p.paymentId} is already recorded`);
  const sale = await tx.query<{ body: Sale }>(
    'SELECT body FROM sales WHERE store_id = $1 AND id = $2 AND terminal_id = $3',
    [terminal.storeId, p.saleId, terminal.terminalId],
  );
  const unsettled = await tx.query<{ n: number }>(
    `SELECT coalesce(sum(amount), 0)::bigint AS n FROM stored_payments
     WHERE store_id = $1 AND terminal_id = $2 AND settled_at IS NULL`,
    [terminal.storeId, terminal.terminalId],
  );
  const rules = rulesAt(await pc.rules(), Date.parse(p.storedAt));
  const problem = checkStoredPayment(p, {
    currency: rules.currency,
    limits: rules.offline,
    receivedAt: pc.now,
    maxSkewMs: MAX_CLOCK_SKEW_MS,
    unsettled: Number(unsettled.rows[0]?.n ?? 0),
    sale: sale.rows[0]?.body ?? null,
  });
  if (problem) throw new Rejection(`stored payment ${p.paymentId}: ${problem}`);
  let settled = false;
  if (p.method === 'palm') {
    if (!pc.payments) throw new Rejection(`stored palm payment ${p.paymentId}: palm pay is off`);
    const palm = await authorizeStoredPalm(tx, pc.payments, {
      terminal,
      payment: p,
      sale: sale.rows[0]!.body,
      now: pc.now,
    });
    // Declined after the fact: kept in `payments` (the dashboard lists it) and the mutation
    // rejected, so the lane's manager view shows it too, with whom to contact.
    if (palm.kind === 'declined')
      throw new Rejection(
        `stored palm payment ${p.paymentId} declined (${palm.reason}): ${palm.message} — contact the shopper ${p.palm?.customerRef ?? 'unknown'}`,
      );
    settled = palm.kind === 'approved';
  }
  const r = await tx.query(
    `INSERT INTO stored_payments (store_id, payment_id, sale_id, terminal_id, method, amount, currency, stored_at, settled_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING`,
    [
      terminal.storeId,
      p.paymentId,
      p.saleId,
      terminal.terminalId,
      p.method,
      p.amount.amount,
      p.amount.currency,
      p.storedAt,
      settled ? new Date(pc.now) : null,
    ],
  );
  if (r.affected === 0) throw new Rejection(`stored payment ${p.paymentId} is already recorded`);
}
