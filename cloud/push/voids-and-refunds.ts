import { checkRefund, type EarlierRefund } from '../../common/refund-check';
import type { Sale } from '../../common/sale';
import { MAX_CLOCK_SKEW_MS, type MutationPayload } from '../../common/sync/protocol';
import { rulesAt } from '../settings-history';
import { requireManager } from './approvals';
import { Rejection, type PushContext } from './context';
import { addToDailyTotals } from './daily-totals';

interface LockedSale {
  body: Sale;
  terminal_id: string;
  completed_at: Date;
  currency: string;
  total: number;
  voided_at: Date | null;
}

/**
 * The recorded sale, its row locked for the rest of the push: a void and a refund of one sale
 * from two lanes at once (each push locks only its own terminal) are checked one after the other.
 */
async function lockSale(pc: PushContext, saleId: string): Promise<LockedSale> {
  const r = await pc.tx.query<LockedSale>(
    `SELECT body, terminal_id, completed_at, currency, total, voided_at FROM sales
     WHERE store_id = $1 AND id = $2 FOR UPDATE`,
    [pc.terminal.storeId, saleId],
  );
  const row = r.rows[0];
  if (!row) throw new Rejection(`sale ${saleId} is unknown`);
  return row;
}

export async function applyVoid(pc: PushContext, v: MutationPayload<'sale.voided'>): Promise<void> {
  if (Date.parse(v.voidedAt) > pc.now + MAX_CLOCK_SKEW_MS) {
    throw new Rejection(`voided at ${v.voidedAt}, later than the cloud's clock allows`);
  }
  const by = await requireManager(pc, v.approvedBy, `voiding sale ${v.saleId}`);
  const sale = await lockSale(pc, v.saleId);
  if (sale.voided_at) throw new Rejection(`sale ${v.saleId} is already voided`);
  // A void reverses a sale within its own batch: on the lane that made it, until that lane's
  // till closes. Afterwards the Z report has counted it, and a refund is the way back.
  if (sale.terminal_id !== pc.terminal.terminalId) {
    throw new Rejection(`sale ${v.saleId} was made on another lane; refund it instead`);
  }
  const closed = await pc.tx.query<{ shift_id: string }>(
    `SELECT shift_id FROM shifts WHERE terminal_id = $1 AND closed_at IS NOT NULL
       AND opened_at <= $2 AND closed_at >= $2 LIMIT 1`,
    [pc.terminal.terminalId, sale.completed_at],
  );
  if (closed.rows[0]) {
    throw new Rejection(
      `sale ${v.saleId} is in shift ${closed.rows[0].shift_id}, which is closed; refund it instead`,
    );
  }
  const refunded = await pc.tx.query(
    'SELECT 1 FROM sale_refunds WHERE store_id = $1 AND sale_id = $2 LIMIT 1',
    [pc.terminal.storeId, v.saleId],
  );
  // Voiding takes the whole sale out of the day; after a refund that would count the refunded
  // part twice. What is left is refunded instead.
  if (refunded.rows.length > 0) {
    throw new Rejection(`sale ${v.saleId} has refunds; refund what is left instead of voiding`);
  }
  await pc.tx.query(
    'UPDATE sales SET voided_at = $3, void_reason = $4, void_approved_by = $5 WHERE store_id = $1 AND id = $2',
    [pc.terminal.storeId, v.saleId, v.voidedAt, v.reason, by],
  );
  await addToDailyTotals(
    pc.tx,
    pc.terminal.storeId,
    sale.completed_at.toISOString(),
    sale.currency,
    {
      sales: -1,
      gross: -sale.total,
    },
  );
}

/**
 * Records a refund of a recorded sale (any lane of the store may refund it): never more than is
 * left of the sale or than it took in that tender kind; lines cost what the store's rules at the
 * sale's time make them (common/refund-check.ts). Counted on the day it was paid back.
 */
export async function applyRefund(
  pc: PushContext,
  r: MutationPayload<'sale.refunded'>,
  mutationId: number,
): Promise<void> {
  const { tx, terminal } = pc;
  const by = await requireManager(pc, r.approvedBy, `refund ${r.refundId}`);
  const known = await tx.query(
    'SELECT 1 FROM sale_refunds WHERE store_id = $1 AND refund_id = $2',
    [terminal.storeId, r.refundId],
  );
  if (known.rows.length > 0) throw new Rejection(`refund ${r.refundId} is already recorded`);
  const sale = await lockSale(pc, r.saleId);
  if (sale.voided_at) throw new Rejection(`sale ${r.saleId} is voided; nothing is left to refund`);
  if (r.tender === 'palm') await requirePalmRefund(pc, r);
  const earlier = await tx.query<EarlierRefund>(
    'SELECT amount, tender, lines FROM sale_refunds WHERE store_id = $1 AND sale_id = $2',
    [terminal.storeId, r.saleId],
  );
  const rules = rulesAt(await pc.rules(), sale.completed_at.getTime());
  const problem = checkRefund(r, sale.body, earlier.rows, {
    tax: rules.tax,
    notAfter: pc.now + MAX_CLOCK_SKEW_MS,
    maxSkewMs: MAX_CLOCK_SKEW_MS,
  });
  if (problem) throw new Rejection(`refund ${r.refundId}: ${problem}`);
  const inserted = await tx.query(
    `INSERT INTO sale_refunds (store_id, refund_id, sale_id, terminal_id, mutation_id, tender, amount, currency, lines, reason, refunded_at, approved_by, processor_ref)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13) ON CONFLICT DO NOTHING`,
    [
      terminal.storeId,
      r.refundId,
      r.saleId,
      terminal.terminalId,
      mutationId,
      r.tender,
      r.amount.amount,
      r.amount.currency,
      r.lines ? JSON.stringify(r.lines) : null,
      r.reason,
      r.refundedAt,
      by,
      r.processorRef ?? null,
    ],
  );
  // The same refund id on another sale, from another lane in the same instant.
  if (inserted.affected === 0) throw new Rejection(`refund ${r.refundId} is already recorded`);
  await addToDailyTotals(tx, terminal.storeId, r.refundedAt, r.amount.currency, {
    refunds: 1,
    refunded: r.amount.amount,
  });
}

/**
 * A palm refund is money the cloud itself sent back through the processor (POST
 * /v1/palm-refunds): the lane's record must name one made there, for this sale, this amount and
 * these lines, with its processor reference. A lane cannot claim a palm refund that never went.
 */
async function requirePalmRefund(
  pc: PushContext,
  r: MutationPayload<'sale.refunded'>,
): Promise<void> {
  const row = (
    await pc.tx.query<{
      sale_id: string;
      amount: string | number;
      currency: string;
      lines: unknown;
      status: string;
      processor_ref: string | null;
    }>(
      `SELECT sale_id, amount, currency, lines, status, processor_ref FROM palm_refunds
       WHERE store_id = $1 AND refund_id = $2`,
      [pc.terminal.storeId, r.refundId],
    )
  ).rows[0];
  const what = `refund ${r.refundId}`;
  if (!row || row.status !== 'refunded')
    throw new Rejection(`${what} names palm, but the cloud sent no such refund to the card`);
  const mismatch =
    row.sale_id !== r.saleId
      ? `sale ${row.sale_id}`
      : Number(row.amount) !== r.amount.amount || row.currency !== r.amount.currency
        ? `${row.amount} ${row.currency}`
        : JSON.stringify(row.lines ?? null) !== JSON.stringify(r.lines ?? null)
          ? 'other lines'
          : row.processor_ref !== (r.processorRef ?? null)
            ? 'another processor reference'
            : null;
  if (mismatch) throw new Rejection(`${what}: the cloud's palm refund was for ${mismatch}`);
}
