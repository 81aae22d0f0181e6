import type { Sale, WalletTender } from '../../common/sale';
import type { WalletOutcome } from '../../common/sync/wallet';
import { Rejection, type PushContext } from './context';

/**
 * A sale's wallet tenders against what the cloud decided: each must be a wallet payment the
 * cloud approved for this lane, this sale and this amount, with its transaction reference.
 * Wallet payments are never stored offline, so anything else was never paid.
 */
export async function checkWalletTenders(pc: PushContext, sale: Sale): Promise<void> {
  const wallet = sale.tenders.filter((t): t is WalletTender => t.kind === 'wallet');
  if (wallet.length === 0) return;
  if (new Set(wallet.map((t) => t.paymentId)).size !== wallet.length)
    throw new Rejection(`sale ${sale.id} names one wallet payment twice`);
  const r = await pc.tx.query<{
    payment_id: string;
    terminal_id: string;
    sale_id: string | null;
    status: string;
    outcome: WalletOutcome | null;
  }>(
    `SELECT payment_id, terminal_id, sale_id, status, outcome FROM wallet_payments
     WHERE store_id = $1 AND payment_id = ANY($2::text[])`,
    [pc.terminal.storeId, wallet.map((t) => t.paymentId)],
  );
  const byId = new Map(r.rows.map((row) => [row.payment_id, row]));
  for (const t of wallet) {
    const p = byId.get(t.paymentId);
    const what = `sale ${sale.id}: wallet payment ${t.paymentId}`;
    const ok = p?.status === 'approved' && p.outcome?.status === 'approved' ? p.outcome : null;
    if (!p || !ok) throw new Rejection(`${what} was not approved by the cloud`);
    const mismatch =
      p.terminal_id !== pc.terminal.terminalId
        ? 'another lane'
        : p.sale_id !== sale.id
          ? `sale ${p.sale_id}`
          : ok.amount.amount !== t.amount.amount || ok.amount.currency !== t.amount.currency
            ? `${ok.amount.amount} ${ok.amount.currency}`
            : ok.authCode !== t.authCode || ok.codeLast4 !== t.codeLast4
              ? 'another transaction'
              : null;
    if (mismatch) throw new Rejection(`${what} was approved for ${mismatch}, not this tender`);
  }
}
