import { createHash } from 'node:crypto';
import type { CurrencyCode } from '../../common/money';
import { checkRefund, type EarlierRefund } from '../../common/refund-check';
import type { PalmTender, Sale } from '../../common/sale';
import type { PalmRefundOutcome, PalmRefundRequest } from '../../common/sync/palm-refunds';
import { MAX_CLOCK_SKEW_MS } from '../../common/sync/protocol';
import type { AuthenticatedTerminal } from '../auth';
import type { Database } from '../db/types';
import { HttpError, notFound } from '../errors';
import { loadRulesHistory, rulesAt } from '../settings-history';
import { refundSafely } from './processor';
import { canonical } from './records';
import type { PaymentServices } from './services';

/**
 * `POST /v1/palm-refunds`: money back to a palm payment's card on file, sent by the cloud
 * through the processor adapter (the lane has no processor). Checked first as the push checks a
 * refund — never more than is left of the sale, nor than it took by palm, lines at what they
 * cost — counting refunds made here that the lane has not pushed yet, with the sale row locked,
 * so two lanes refunding one sale at once cannot both pass. The refund id is the processor's
 * idempotency key: a retry after a lost answer never pays back twice.
 */
export interface PalmRefundContext {
  readonly db: Database;
  readonly svc: PaymentServices;
  readonly now: () => number;
}

interface RefundRow {
  readonly fingerprint: string;
  readonly status: 'refunding' | 'refunded' | 'failed';
  readonly payment_id: string;
  readonly amount: number;
  readonly currency: string;
  readonly processor_ref: string | null;
  readonly reason: string | null;
}

const refused = (refundId: string, message: string): PalmRefundOutcome => ({
  status: 'refused',
  refundId,
  message,
});

type Step =
  | { readonly kind: 'answer'; readonly outcome: PalmRefundOutcome }
  | { readonly kind: 'refund'; readonly paymentId: string };

export async function refundPalm(
  ctx: PalmRefundContext,
  terminal: AuthenticatedTerminal,
  req: PalmRefundRequest,
): Promise<PalmRefundOutcome> {
  const fp = createHash('sha256')
    .update(terminal.terminalId)
    .update('\n')
    .update(canonical(req))
    .digest('hex');
  const step = await ctx.db.transaction(async (tx): Promise<Step> => {
    const known = (
      await tx.query<RefundRow>(
        'SELECT * FROM palm_refunds WHERE store_id = $1 AND refund_id = $2 FOR UPDATE',
        [terminal.storeId, req.refundId],
      )
    ).rows[0];
    if (known) {
      if (known.fingerprint !== fp)
        throw new HttpError(
          422,
          'IDEMPOTENCY_MISMATCH',
          `refund ${req.refundId} was first asked with another request`,
        );
      if (known.status === 'refunded')
        return {
          kind: 'answer',
          outcome: {
            status: 'refunded',
            refundId: req.refundId,
            processorRef: known.processor_ref!,
          },
        };
      if (known.status === 'failed')
        return { kind: 'answer', outcome: refused(req.refundId, known.reason ?? 'refused') };
      return { kind: 'refund', paymentId: known.payment_id };
    }
    const staff = await tx.query<{ role: string }>(
      'SELECT role FROM staff WHERE store_id = $1 AND id = $2 AND disabled_at IS NULL',
      [terminal.storeId, req.approvedBy],
    );
    if (staff.rows[0]?.role !== 'manager')
      throw new HttpError(
        403,
        'NOT_A_MANAGER',
        `${req.approvedBy} is not an active manager of this store`,
      );
    const sale = (
      await tx.query<{ body: Sale; completed_at: Date; voided_at: Date | null }>(
        'SELECT body, completed_at, voided_at FROM sales WHERE store_id = $1 AND id = $2 FOR UPDATE',
        [terminal.storeId, req.saleId],
      )
    ).rows[0];
    if (!sale) throw notFound(`Sale ${req.saleId} (it reaches the cloud when the lane syncs)`);
    if (sale.voided_at)
      return { kind: 'answer', outcome: refused(req.refundId, 'the sale is voided') };
    const palm = sale.body.tenders.filter((t): t is PalmTender => t.kind === 'palm');
    const paid = await tx.query<{ payment_id: string }>(
      `SELECT payment_id FROM payments WHERE store_id = $1 AND payment_id = ANY($2::text[])
         AND status = 'approved'`,
      [terminal.storeId, palm.map((t) => t.paymentId)],
    );
    const payment = paid.rows[0]?.payment_id;
    if (!payment)
      return {
        kind: 'answer',
        outcome: refused(req.refundId, 'the sale has no palm payment the processor settled'),
      };
    // Refunds the push recorded, and those made here that the lane has not pushed yet.
    const earlier = await tx.query<EarlierRefund>(
      `SELECT amount, tender, lines FROM sale_refunds WHERE store_id = $1 AND sale_id = $2
       UNION ALL
       SELECT amount, 'palm' AS tender, lines FROM palm_refunds p
       WHERE p.store_id = $1 AND p.sale_id = $2 AND p.status <> 'failed'
         AND NOT EXISTS (SELECT 1 FROM sale_refunds s WHERE s.store_id = $1 AND s.refund_id = p.refund_id)`,
      [terminal.storeId, req.saleId],
    );
    const now = ctx.now();
    const rules = rulesAt(
      await loadRulesHistory(tx, terminal.storeId),
      sale.completed_at.getTime(),
    );
    const problem = checkRefund(
      {
        refundId: req.refundId,
        saleId: req.saleId,
        amount: req.amount,
        ...(req.lines ? { lines: req.lines } : {}),
        tender: 'palm',
        refundedAt: new Date(now).toISOString(),
      },
      sale.body,
      earlier.rows.map((r) => ({ ...r, amount: Number(r.amount) })),
      { tax: rules.tax, notAfter: now + MAX_CLOCK_SKEW_MS, maxSkewMs: MAX_CLOCK_SKEW_MS },
    );
    if (problem) return { kind: 'answer', outcome: refused(req.refundId, problem) };
    await tx.query(
      `INSERT INTO palm_refunds (store_id, refund_id, sale_id, payment_id, terminal_id, fingerprint, amount, currency, lines, status, approved_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, 'refunding', $10)`,
      [
        terminal.storeId,
        req.refundId,
        req.saleId,
        payment,
        terminal.terminalId,
        fp,
        req.amount.amount,
        req.amount.currency,
        req.lines ? JSON.stringify(req.lines) : null,
        req.approvedBy,
      ],
    );
    return { kind: 'refund', paymentId: payment };
  });
  if (step.kind === 'answer') return step.outcome;

  const result = await refundSafely(ctx.svc.processor, {
    idempotencyKey: req.refundId,
    chargeKey: step.paymentId,
    amount: { amount: req.amount.amount, currency: req.amount.currency as CurrencyCode },
    reason: req.reason,
  });
  if (result.status === 'unavailable')
    // Kept `refunding`: the lane asks again with the same refund id (the same key).
    throw new HttpError(
      503,
      'PROCESSOR_UNAVAILABLE',
      `the processor did not refund: ${result.message}`,
    );
  await ctx.db.query(
    `UPDATE palm_refunds SET status = $3, processor_ref = $4, reason = $5, decided_at = $6
     WHERE store_id = $1 AND refund_id = $2 AND status = 'refunding'`,
    [
      terminal.storeId,
      req.refundId,
      result.status === 'refunded' ? 'refunded' : 'failed',
      result.status === 'refunded' ? result.refundRef : null,
      result.status === 'refused' ? result.message : null,
      new Date(ctx.now()),
    ],
  );
  return result.status === 'refunded'
    ? { status: 'refunded', refundId: req.refundId, processorRef: result.refundRef }
    : refused(req.refundId, result.message);
}
