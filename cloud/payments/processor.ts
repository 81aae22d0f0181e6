import { boundedCall } from '../bounded-call';
import type { Money } from '../../common/money';

/**
 * The card-on-file processor behind palm pay. The cloud charges a shopper's stored card token
 * through this interface and nothing else; the emulated processor (emulated-processor.ts)
 * implements it for the demo and tests, and a real one (Stripe PaymentIntents confirmed
 * off-session: docs/payments.md) implements the same three outcomes.
 */
export interface ChargeRequest {
  /**
   * The payment id: the same key always yields the first result and never a second charge
   * (a retry after a lost answer, or a worker taking over from one that died).
   */
  readonly idempotencyKey: string;
  /** The processor's token for the card on file (never a card number). */
  readonly cardToken: string;
  readonly amount: Money;
  /** What the shopper's statement and the processor's dashboard show. */
  readonly description: string;
  readonly metadata: {
    readonly storeId: string;
    readonly saleId: string;
    readonly customerRef: string;
  };
}

export type ChargeResult =
  | { readonly status: 'approved'; readonly authCode: string; readonly chargeId: string }
  | {
      readonly status: 'declined';
      readonly reason: 'CARD_DECLINED' | 'INSUFFICIENT_FUNDS';
      readonly message: string;
    }
  /** The processor could not be reached or failed: nothing was charged, or it will tell on retry. */
  | { readonly status: 'unavailable'; readonly message: string };

/** Money sent back on a charge (Stripe: a Refund on the PaymentIntent). */
export interface RefundRequest {
  /** The refund id: the same key always yields the first result and never a second refund. */
  readonly idempotencyKey: string;
  /** The charge's own idempotency key (the palm payment id). */
  readonly chargeKey: string;
  readonly amount: Money;
  readonly reason: string;
}

export type RefundResult =
  | { readonly status: 'refunded'; readonly refundRef: string }
  /** The processor will not: more than the charge has left, an unknown charge. */
  | { readonly status: 'refused'; readonly message: string }
  /** Not reached, or failed before acting: ask again with the same key. */
  | { readonly status: 'unavailable'; readonly message: string };

export interface PaymentProcessor {
  readonly name: string;
  /** Never throws for a decision; a thrown error is treated as `unavailable`. */
  charge(request: ChargeRequest): Promise<ChargeResult>;
  /** Never throws for a decision; a thrown error is treated as `unavailable`. */
  refund(request: RefundRequest): Promise<RefundResult>;
}

/** Runs a refund so that a throwing or hanging processor becomes `unavailable`. */
export async function refundSafely(
  processor: PaymentProcessor,
  request: RefundRequest,
  timeoutMs = 10_000,
): Promise<RefundResult> {
  return boundedCall(() => processor.refund(request), timeoutMs);
}

/** Runs a charge so that a throwing or hanging processor becomes `unavailable`. */
export async function chargeSafely(
  processor: PaymentProcessor,
  request: ChargeRequest,
  timeoutMs = 10_000,
): Promise<ChargeResult> {
  return boundedCall(() => processor.charge(request), timeoutMs);
}
