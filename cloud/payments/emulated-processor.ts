import { createHash } from 'node:crypto';
import { DEMO_CARD_TOKEN_PREFIX, type DemoCardBehaviour } from '../demo-shoppers';
import type {
  ChargeRequest,
  ChargeResult,
  PaymentProcessor,
  RefundRequest,
  RefundResult,
} from './processor';

/** Stripe answers a reused idempotency key with other parameters with an error; so does this. */
export class IdempotencyKeyReused extends Error {}

const behaviourOf = (token: string): DemoCardBehaviour | null => {
  for (const [b, prefix] of Object.entries(DEMO_CARD_TOKEN_PREFIX))
    if (token.startsWith(prefix)) return b as DemoCardBehaviour;
  return null;
};

/**
 * A processor in memory with deterministic test tokens (cloud/demo-shoppers.ts demoCard):
 * `tok_emu_approve_…` approves, `tok_emu_decline_…` declines, `tok_emu_insufficient_…` lacks
 * funds, `tok_emu_down_…` finds the processor down; any other token is declined. Keeps each
 * idempotency key's first result, as Stripe does for 24 h, so a key charges at most once.
 */
export class EmulatedProcessor implements PaymentProcessor {
  readonly name = 'emulated';
  private readonly results = new Map<string, { fingerprint: string; result: ChargeResult }>();
  /** Every approved charge, in order (what a test counts to prove "exactly one charge"). */
  readonly charges: { idempotencyKey: string; amount: number; currency: string }[] = [];
  /** Calls made, repeats included. */
  calls = 0;
  private readonly refundResults = new Map<string, { fingerprint: string; result: RefundResult }>();
  /** Every refund made, in order (what a test counts to prove "exactly one refund"). */
  readonly refunds: { idempotencyKey: string; chargeKey: string; amount: number }[] = [];

  async refund(req: RefundRequest): Promise<RefundResult> {
    const fingerprint = `${req.chargeKey}|${req.amount.amount}|${req.amount.currency}`;
    const earlier = this.refundResults.get(req.idempotencyKey);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint)
        throw new IdempotencyKeyReused(
          `idempotency key ${req.idempotencyKey} was used with other parameters`,
        );
      return earlier.result;
    }
    const charge = this.charges.find((c) => c.idempotencyKey === req.chargeKey);
    const back = this.refunds
      .filter((r) => r.chargeKey === req.chargeKey)
      .reduce((n, r) => n + r.amount, 0);
    const result: RefundResult = !charge
      ? { status: 'refused', message: `no charge ${req.chargeKey}` }
      : charge.currency !== req.amount.currency || !(req.amount.amount > 0)
        ? { status: 'refused', message: 'the refund does not fit the charge' }
        : req.amount.amount > charge.amount - back
          ? { status: 'refused', message: `only ${charge.amount - back} is left of the charge` }
          : {
              status: 'refunded',
              refundRef: `re_emu_${createHash('sha256').update(`emu-refund|${req.idempotencyKey}`).digest('hex').slice(0, 16)}`,
            };
    this.refundResults.set(req.idempotencyKey, { fingerprint, result });
    if (result.status === 'refunded')
      this.refunds.push({
        idempotencyKey: req.idempotencyKey,
        chargeKey: req.chargeKey,
        amount: req.amount.amount,
      });
    return result;
  }

  async charge(req: ChargeRequest): Promise<ChargeResult> {
    this.calls++;
    const fingerprint = `${req.cardToken}|${req.amount.amount}|${req.amount.currency}`;
    const earlier = this.results.get(req.idempotencyKey);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint)
        throw new IdempotencyKeyReused(
          `idempotency key ${req.idempotencyKey} was used with other parameters`,
        );
      return earlier.result;
    }
    const result = this.decide(req);
    // "Down" is not a decision: a later retry with the same key may get through (as with Stripe,
    // a request that failed before the processor acted is not kept under its key).
    if (result.status !== 'unavailable')
      this.results.set(req.idempotencyKey, { fingerprint, result });
    if (result.status === 'approved')
      this.charges.push({
        idempotencyKey: req.idempotencyKey,
        amount: req.amount.amount,
        currency: req.amount.currency,
      });
    return result;
  }

  private decide(req: ChargeRequest): ChargeResult {
    if (!(req.amount.amount > 0))
      return { status: 'declined', reason: 'CARD_DECLINED', message: 'amount must be positive' };
    switch (behaviourOf(req.cardToken)) {
      case 'approve': {
        const h = createHash('sha256').update(`emu|${req.idempotencyKey}`).digest();
        return {
          status: 'approved',
          authCode: `E${h.readUInt32BE(0).toString(36).toUpperCase().padStart(7, '0').slice(-7)}`,
          chargeId: `ch_emu_${h.subarray(4, 16).toString('hex')}`,
        };
      }
      case 'decline':
        return { status: 'declined', reason: 'CARD_DECLINED', message: 'the card was declined' };
      case 'insufficient-funds':
        return {
          status: 'declined',
          reason: 'INSUFFICIENT_FUNDS',
          message: 'the card has insufficient funds',
        };
      case 'processor-down':
        return { status: 'unavailable', message: 'the emulated processor is down for this card' };
      case null:
        return { status: 'declined', reason: 'CARD_DECLINED', message: 'unknown card token' };
    }
  }
}
