import type { PalmTender, Sale } from '../../common/sale';
import type { PaymentRecord } from '../payments/records';
import { Rejection, type PushContext } from './context';

/**
 * A sale's palm tenders against what the cloud decided: a tender paid online must be a payment
 * the cloud approved for this lane, this sale, this amount and this shopper (with its auth
 * code); a stored one must be new to the cloud (its payment.stored follows the sale and is
 * authorized then). Anything else was never paid, so the sale is rejected for good.
 */
export async function checkPalmTenders(pc: PushContext, sale: Sale): Promise<void> {
  const palm = sale.tenders.filter((t): t is PalmTender => t.kind === 'palm');
  if (palm.length === 0) return;
  if (new Set(palm.map((t) => t.paymentId)).size !== palm.length)
    throw new Rejection(`sale ${sale.id} names one palm payment twice`);
  const r = await pc.tx.query<PaymentRecord>(
    'SELECT * FROM payments WHERE store_id = $1 AND payment_id = ANY($2::text[])',
    [pc.terminal.storeId, palm.map((t) => t.paymentId)],
  );
  const byId = new Map(r.rows.map((row) => [row.payment_id, row]));
  for (const t of palm) {
    const p = byId.get(t.paymentId);
    const what = `sale ${sale.id}: palm payment ${t.paymentId}`;
    if (t.stored) {
      if (p) throw new Rejection(`${what} is marked stored but the cloud already knows it`);
      continue;
    }
    const approved = p?.outcome?.status === 'approved' ? p.outcome : null;
    if (!p || !approved || p.kind !== 'online' || p.status !== 'approved')
      throw new Rejection(`${what} was not approved by the cloud`);
    const mismatch =
      p.terminal_id !== pc.terminal.terminalId
        ? 'another lane'
        : p.sale_id !== sale.id
          ? `sale ${p.sale_id}`
          : p.amount !== t.amount.amount || p.currency !== t.amount.currency
            ? `${p.amount} ${p.currency}`
            : p.customer_ref !== t.customerRef
              ? 'another shopper'
              : t.authCode !== approved.authCode
                ? 'another auth code'
                : null;
    if (mismatch) throw new Rejection(`${what} was approved for ${mismatch}, not this tender`);
  }
}
