import { createHash } from 'node:crypto';
import type { CurrencyCode } from '../../common/money';
import type {
  WalletCancelOutcome,
  WalletOutcome,
  WalletReason,
  WalletRequest,
} from '../../common/sync/wallet';
import { walletCodeLast4 } from '../../common/wallet/code';
import type { AuthenticatedTerminal } from '../auth';
import type { Database, Queryable } from '../db/types';
import { HttpError, notFound } from '../errors';
import { checkAmount } from '../payments/amount';
import { canonical } from '../payments/records';
import { loadRulesHistory, rulesAt } from '../settings-history';
import { chargeWalletSafely, type WalletAdapter } from './adapter';

/**
 * `POST /v1/wallet-payments`: the cloud claims the payment id (idempotency), re-derives the
 * amount from the lines (less a split sale's cash parts), spends the code (one code, one
 * attempt, ever: `wallet_codes` holds its SHA-256), then charges through the wallet adapter with
 * the payment id as its idempotency key. Every step is recorded, so the same request again — a
 * retry after a lost answer, concurrently, after this worker died — gets the one outcome.
 */

const LEASE_MS = 30_000;
const WAIT_MS = 15_000;
const POLL_MS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface WalletContext {
  readonly db: Database;
  readonly wallet: WalletAdapter;
  readonly now: () => number;
}

interface WalletRecord {
  readonly payment_id: string;
  readonly terminal_id: string;
  readonly fingerprint: string;
  readonly status: 'pending' | 'approved' | 'declined' | 'cancelled';
  readonly sale_id: string | null;
  readonly amount: number | null;
  readonly currency: string | null;
  readonly outcome: WalletOutcome | null;
  readonly lease_until: Date | null;
}

export const codeHash = (code: string): string =>
  createHash('sha256').update('palm-checkout wallet code/1\n').update(code).digest('hex');

const fingerprintOf = (terminalId: string, req: WalletRequest) =>
  createHash('sha256').update(terminalId).update('\n').update(canonical(req)).digest('hex');

const declined = (paymentId: string, reason: WalletReason, message: string): WalletOutcome => ({
  status: 'declined',
  paymentId,
  reason,
  message,
});

async function record(tx: Queryable, storeId: string, outcome: WalletOutcome, now: number) {
  await tx.query(
    `UPDATE wallet_payments SET status = $3, outcome = $4::jsonb, reason = $5, decided_at = $6,
       lease_until = NULL WHERE store_id = $1 AND payment_id = $2 AND status = 'pending'`,
    [
      storeId,
      outcome.paymentId,
      outcome.status,
      JSON.stringify(outcome),
      outcome.status === 'declined' ? `${outcome.reason}: ${outcome.message}` : null,
      new Date(now),
    ],
  );
}

type Step = { kind: 'answer'; outcome: WalletOutcome } | { kind: 'charge' } | { kind: 'busy' };

/** Claims the id and runs the checks that need no wallet, in one transaction. */
async function claim(
  ctx: WalletContext,
  terminal: AuthenticatedTerminal,
  req: WalletRequest,
  fp: string,
): Promise<Step> {
  return ctx.db.transaction(async (tx): Promise<Step> => {
    const now = ctx.now();
    const lease = new Date(now + LEASE_MS);
    const inserted = await tx.query(
      `INSERT INTO wallet_payments (store_id, payment_id, terminal_id, fingerprint, status, sale_id, amount, currency, lease_until)
       VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [
        terminal.storeId,
        req.paymentId,
        terminal.terminalId,
        fp,
        req.saleId,
        req.amount.amount,
        req.amount.currency,
        lease,
      ],
    );
    if (inserted.affected === 0) {
      const row = (
        await tx.query<WalletRecord>(
          'SELECT * FROM wallet_payments WHERE store_id = $1 AND payment_id = $2 FOR UPDATE',
          [terminal.storeId, req.paymentId],
        )
      ).rows[0]!;
      if (row.status === 'cancelled' && row.terminal_id === terminal.terminalId)
        return {
          kind: 'answer',
          outcome: declined(req.paymentId, 'PAYMENT_CANCELLED', 'the lane cancelled this payment'),
        };
      if (row.fingerprint !== fp)
        throw new HttpError(
          422,
          'IDEMPOTENCY_MISMATCH',
          `payment ${req.paymentId} was first asked with another request; a new attempt needs a new paymentId`,
        );
      if (row.outcome) return { kind: 'answer', outcome: row.outcome };
      if (row.lease_until && row.lease_until.getTime() > now) return { kind: 'busy' };
      // The worker that held it is gone: charge again under the same key (the wallet answers
      // the first result for a key it has seen).
      await tx.query(
        'UPDATE wallet_payments SET lease_until = $3 WHERE store_id = $1 AND payment_id = $2',
        [terminal.storeId, req.paymentId, lease],
      );
      return { kind: 'charge' };
    }
    const refuse = async (reason: WalletReason, message: string): Promise<Step> => {
      const outcome = declined(req.paymentId, reason, message);
      await record(tx, terminal.storeId, outcome, now);
      return { kind: 'answer', outcome };
    };
    const rules = rulesAt(await loadRulesHistory(tx, terminal.storeId), now);
    const wrong = checkAmount(req.amount, req.lines, rules, req.paidBefore ?? []);
    if (wrong)
      return refuse(
        wrong.reason === 'CURRENCY_MISMATCH' ? 'CURRENCY_MISMATCH' : 'AMOUNT_MISMATCH',
        wrong.message,
      );
    const spent = await tx.query(
      `INSERT INTO wallet_codes (code_hash, store_id, payment_id) VALUES ($1, $2, $3)
       ON CONFLICT DO NOTHING`,
      [codeHash(req.code), terminal.storeId, req.paymentId],
    );
    if (spent.affected === 0)
      return refuse('WALLET_CODE_REUSED', 'this code was presented for another payment before');
    return { kind: 'charge' };
  });
}

async function charge(
  ctx: WalletContext,
  terminal: AuthenticatedTerminal,
  req: WalletRequest,
): Promise<WalletOutcome> {
  const result = await chargeWalletSafely(ctx.wallet, {
    idempotencyKey: req.paymentId,
    code: req.code,
    amount: req.amount,
    description: `sale ${req.saleId}`,
  });
  const outcome: WalletOutcome =
    result.status === 'approved'
      ? {
          status: 'approved',
          paymentId: req.paymentId,
          amount: { amount: req.amount.amount, currency: req.amount.currency as CurrencyCode },
          wallet: ctx.wallet.name,
          codeLast4: walletCodeLast4(req.code),
          authCode: result.transactionId,
        }
      : result.status === 'declined'
        ? declined(req.paymentId, result.reason, result.message)
        : declined(req.paymentId, 'WALLET_UNAVAILABLE', result.message);
  await ctx.db.transaction((tx) => record(tx, terminal.storeId, outcome, ctx.now()));
  return outcome;
}

export async function authorizeWallet(
  ctx: WalletContext,
  terminal: AuthenticatedTerminal,
  req: WalletRequest,
): Promise<WalletOutcome> {
  const fp = fingerprintOf(terminal.terminalId, req);
  const deadline = ctx.now() + WAIT_MS;
  for (;;) {
    const step = await claim(ctx, terminal, req, fp);
    if (step.kind === 'answer') return step.outcome;
    if (step.kind === 'charge') return charge(ctx, terminal, req);
    if (ctx.now() > deadline)
      throw new HttpError(409, 'PAYMENT_IN_PROGRESS', `payment ${req.paymentId} is being decided`);
    await sleep(POLL_MS);
  }
}

/**
 * `POST /v1/wallet-payments/:paymentId/cancel`: a decided payment answers its outcome (an
 * approval completes the sale at the lane); one never seen is recorded cancelled so a late
 * request is refused; one whose worker died mid-charge is reversed at the wallet, then
 * cancelled. One being charged right now is waited for.
 */
export async function cancelWallet(
  ctx: WalletContext,
  terminal: AuthenticatedTerminal,
  paymentId: string,
): Promise<WalletCancelOutcome> {
  const deadline = ctx.now() + WAIT_MS;
  for (;;) {
    const answer = await ctx.db.transaction(
      async (tx): Promise<WalletCancelOutcome | 'reverse' | null> => {
        const now = ctx.now();
        const inserted = await tx.query(
          `INSERT INTO wallet_payments (store_id, payment_id, terminal_id, fingerprint, status, reason, decided_at)
           VALUES ($1, $2, $3, '', 'cancelled', 'cancelled by the lane before it was asked', $4)
           ON CONFLICT DO NOTHING`,
          [terminal.storeId, paymentId, terminal.terminalId, new Date(now)],
        );
        if (inserted.affected === 1) return { status: 'cancelled', paymentId };
        const row = (
          await tx.query<WalletRecord>(
            'SELECT * FROM wallet_payments WHERE store_id = $1 AND payment_id = $2 FOR UPDATE',
            [terminal.storeId, paymentId],
          )
        ).rows[0]!;
        if (row.terminal_id !== terminal.terminalId)
          throw notFound(`Payment ${paymentId} of this lane`);
        if (row.status === 'cancelled') return { status: 'cancelled', paymentId };
        if (row.outcome) return row.outcome;
        if (row.lease_until && row.lease_until.getTime() > now) return null;
        await tx.query(
          'UPDATE wallet_payments SET lease_until = $3 WHERE store_id = $1 AND payment_id = $2',
          [terminal.storeId, paymentId, new Date(now + LEASE_MS)],
        );
        return 'reverse';
      },
    );
    if (answer === 'reverse') {
      await ctx.wallet.cancel(paymentId);
      await ctx.db.query(
        `UPDATE wallet_payments SET status = 'cancelled', reason = 'cancelled by the lane; reversed at the wallet',
           lease_until = NULL, decided_at = $3 WHERE store_id = $1 AND payment_id = $2 AND status = 'pending'`,
        [terminal.storeId, paymentId, new Date(ctx.now())],
      );
      return { status: 'cancelled', paymentId };
    }
    if (answer) return answer;
    if (ctx.now() > deadline)
      throw new HttpError(409, 'PAYMENT_IN_PROGRESS', `payment ${paymentId} is being charged`);
    await sleep(POLL_MS);
  }
}
