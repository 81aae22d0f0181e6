import type { CurrencyCode, Money } from '../../common/money';
import type {
  PaymentCancelOutcome,
  PaymentOutcome,
  PaymentRequest,
} from '../../common/sync/payments';
import type { AuthenticatedTerminal } from '../auth';
import type { Database } from '../db/types';
import { HttpError, notFound } from '../errors';
import { chargeCard, chargeOutcome } from './charge';
import { evaluatePalm } from './evaluate';
import { LEASE_MS, claimPayment, fingerprint, recordDecision, type PaymentRecord } from './records';
import type { PaymentServices } from './services';
import type { EnrolledShopper } from './shoppers';

/** How long a retry waits for the first request's outcome before answering 409. */
const WAIT_MS = 15_000;
const POLL_MS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const cancelledOutcome = (paymentId: string): PaymentOutcome => ({
  status: 'declined',
  paymentId,
  reason: 'PAYMENT_CANCELLED',
  message: 'the lane cancelled this payment; nothing was charged',
});

export interface AuthorizeContext {
  readonly db: Database;
  readonly svc: PaymentServices;
  readonly now: () => number;
}

/**
 * `POST /v1/payments`: claims the payment id, judges the payment (evaluate.ts) and charges the
 * card on file, each step recorded so that the same request again — concurrently, after a lost
 * answer, after this worker died — gets the one outcome and never a second charge.
 */
export async function authorizePayment(
  ctx: AuthorizeContext,
  terminal: AuthenticatedTerminal,
  req: PaymentRequest,
): Promise<PaymentOutcome> {
  const fp = fingerprint(terminal.terminalId, req);
  const deadline = ctx.now() + WAIT_MS;
  for (;;) {
    const claim = await claimPayment(ctx.db, {
      storeId: terminal.storeId,
      terminalId: terminal.terminalId,
      req,
      fingerprint: fp,
      now: ctx.now(),
    });
    switch (claim.kind) {
      case 'answered':
        return claim.outcome;
      case 'cancelled':
        return cancelledOutcome(req.paymentId);
      case 'evaluate':
        return evaluateAndCharge(ctx, terminal, req);
      case 'charge':
        return chargeClaimed(ctx, claim.record);
      case 'busy':
        if (ctx.now() > deadline)
          throw new HttpError(
            409,
            'PAYMENT_IN_PROGRESS',
            `payment ${req.paymentId} is still being decided; ask again with the same request`,
          );
        await sleep(POLL_MS);
    }
  }
}

async function evaluateAndCharge(
  ctx: AuthorizeContext,
  terminal: AuthenticatedTerminal,
  req: PaymentRequest,
): Promise<PaymentOutcome> {
  const now = ctx.now();
  const decided = await ctx.db.transaction(
    async (tx): Promise<{ outcome: PaymentOutcome } | { charge: EnrolledShopper }> => {
      const verdict = await evaluatePalm(tx, ctx.svc, {
        mode: 'online',
        storeId: terminal.storeId,
        terminalId: terminal.terminalId,
        paymentId: req.paymentId,
        templateId: req.templateId,
        capture: req.capture,
        amount: req.amount,
        at: now,
        lines: req.lines,
        paidBefore: req.paidBefore ?? [],
        stepUp: req.stepUp ? { digits: req.stepUp.last4 } : null,
        laneMatch: req.match,
        customerRef: null,
      });
      const common = {
        storeId: terminal.storeId,
        paymentId: req.paymentId,
        from: 'pending' as const,
        customerRef: verdict.shopper?.customerRef ?? null,
        nearThreshold: verdict.nearThreshold,
        now,
      };
      if (verdict.kind === 'refuse') {
        const { finding } = verdict;
        const outcome: PaymentOutcome =
          finding.action === 'step-up'
            ? { status: 'step-up', paymentId: req.paymentId, reason: finding.reason }
            : {
                status: 'declined',
                paymentId: req.paymentId,
                reason: finding.reason,
                message: finding.message,
              };
        const ok = await recordDecision(tx, {
          ...common,
          status: outcome.status,
          outcome,
          reason: `${finding.reason}: ${finding.message}`,
        });
        return ok ? { outcome } : { outcome: cancelledOutcome(req.paymentId) };
      }
      const ok = await recordDecision(tx, {
        ...common,
        status: 'charging',
        outcome: null,
        reason: null,
        paidAt: now,
        amount: req.amount,
      });
      return ok ? { charge: verdict.shopper } : { outcome: cancelledOutcome(req.paymentId) };
    },
  );
  if ('outcome' in decided) return decided.outcome;
  // What the row now says (charging, this amount, this sale), without reading it back.
  return chargeAndRecord(ctx, {
    storeId: terminal.storeId,
    paymentId: req.paymentId,
    saleId: req.saleId,
    amount: req.amount,
    shopper: decided.charge,
  });
}

/** Charges a payment found in `charging` (its first worker gone) and records the answer. */
async function chargeClaimed(
  ctx: AuthorizeContext,
  record: PaymentRecord,
): Promise<PaymentOutcome> {
  const shopper = await ctx.db.transaction((tx) =>
    ctx.svc.shoppers.find(tx, record.store_id, record.template_id!),
  );
  if (!shopper) throw new Error(`shopper ${record.template_id} vanished while being charged`);
  return chargeAndRecord(ctx, {
    storeId: record.store_id,
    paymentId: record.payment_id,
    saleId: record.sale_id!,
    amount: { amount: record.amount!, currency: record.currency as CurrencyCode },
    shopper,
  });
}

/** The processor's charge for a payment in `charging`, then its outcome recorded. */
async function chargeAndRecord(
  ctx: AuthorizeContext,
  c: {
    storeId: string;
    paymentId: string;
    saleId: string;
    amount: Money;
    shopper: EnrolledShopper;
  },
): Promise<PaymentOutcome> {
  const result = await chargeCard(ctx.svc, c);
  const outcome = chargeOutcome(c.paymentId, c.amount, c.shopper, result);
  await ctx.db.transaction((tx) =>
    recordDecision(tx, {
      storeId: c.storeId,
      paymentId: c.paymentId,
      from: 'charging',
      status: outcome.status === 'approved' ? 'approved' : 'declined',
      outcome,
      reason: outcome.status === 'declined' ? `${outcome.reason}: ${outcome.message}` : null,
      now: ctx.now(),
    }),
  );
  return outcome;
}

/**
 * `POST /v1/payments/:paymentId/cancel`: a decided payment answers its outcome; one not yet
 * being charged (or never seen) is recorded cancelled and never charged afterwards; one being
 * charged is waited for. Never refunds.
 */
export async function cancelPayment(
  ctx: AuthorizeContext,
  terminal: AuthenticatedTerminal,
  paymentId: string,
): Promise<PaymentCancelOutcome> {
  const deadline = ctx.now() + WAIT_MS;
  for (;;) {
    const answer = await ctx.db.transaction(
      async (tx): Promise<PaymentCancelOutcome | PaymentRecord | null> => {
        const now = ctx.now();
        const inserted = await tx.query(
          `INSERT INTO payments (store_id, payment_id, terminal_id, kind, fingerprint, status, reason, decided_at)
           VALUES ($1, $2, $3, 'online', '', 'cancelled', 'cancelled by the lane before it was asked', $4)
           ON CONFLICT DO NOTHING`,
          [terminal.storeId, paymentId, terminal.terminalId, new Date(now)],
        );
        if (inserted.affected === 1) return { status: 'cancelled', paymentId };
        const r = await tx.query<PaymentRecord>(
          'SELECT * FROM payments WHERE store_id = $1 AND payment_id = $2 FOR UPDATE',
          [terminal.storeId, paymentId],
        );
        const row = r.rows[0]!;
        if (row.terminal_id !== terminal.terminalId || row.kind !== 'online')
          throw notFound(`Payment ${paymentId} of this lane`);
        if (row.status === 'cancelled') return { status: 'cancelled', paymentId };
        if (row.outcome) return row.outcome;
        if (row.status === 'pending') {
          await tx.query(
            `UPDATE payments SET status = 'cancelled', reason = 'cancelled by the lane', lease_until = NULL,
               decided_at = $3 WHERE store_id = $1 AND payment_id = $2`,
            [terminal.storeId, paymentId, new Date(now)],
          );
          return { status: 'cancelled', paymentId };
        }
        // Being charged: its outcome is moments away, or (its worker gone) finish the charge
        // here, since the processor may already have taken the money.
        if (row.lease_until && row.lease_until.getTime() > now) return null;
        await tx.query(
          'UPDATE payments SET lease_until = $3 WHERE store_id = $1 AND payment_id = $2',
          [terminal.storeId, paymentId, new Date(now + LEASE_MS)],
        );
        return row;
      },
    );
    if (answer && 'payment_id' in answer) return chargeClaimed(ctx, answer);
    if (answer) return answer;
    if (ctx.now() > deadline)
      throw new HttpError(409, 'PAYMENT_IN_PROGRESS', `payment ${paymentId} is being charged`);
    await sleep(POLL_MS);
  }
}
