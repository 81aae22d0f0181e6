import { z } from 'zod';
import type { Money } from '../money';
import {
  MAX_SALE_LINES,
  cartLine,
  cashTenderSchema,
  signedCaptureSchema,
  wireMoney,
  wireText,
} from './protocol';

/**
 * Palm payments between the lane and the store cloud (`POST /v1/payments`, signed like every
 * lane request). The lane asks; the cloud decides with its own checks (docs/payments.md): the
 * capture's signature against the store's approved scanner keys, a capture never used before,
 * the amount re-derived from the lines with the same common/ code the lane uses, a 1:1 re-match
 * against the claimed shopper's enrolled templates, its risk rules, then the card on file through
 * the processor, idempotently per `paymentId`.
 */

const id = wireText(128, 1);

/** Payment attempt ids: the idempotency key, one per attempt (a new attempt gets a new id). */
export const paymentIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, 'payment ids are 8–64 URL-safe characters');

export const paymentRequestSchema = z.strictObject({
  paymentId: paymentIdSchema,
  saleId: id,
  amount: wireMoney,
  /** The sale's lines as they stand: the cloud re-derives the total from them. */
  lines: z.array(cartLine).min(1).max(MAX_SALE_LINES),
  /**
   * Cash tendered toward the sale before this payment (split tender): the payment may charge
   * only what the lines come to less these (common/sale-check.ts remainderAfter).
   */
  paidBefore: z.array(cashTenderSchema).max(19).optional(),
  /** Who the lane's 1:N match says the palm belongs to. */
  templateId: id,
  capture: signedCaptureSchema,
  /** The last four phone digits, when the lane ran step-up or the cloud asked for it. */
  stepUp: z.strictObject({ last4: z.string().regex(/^\d{4}$/) }).optional(),
  /** The lane's 1:N search, for the risk rules (near-threshold matches per lane). */
  match: z.strictObject({
    score: z
      .number()
      .int()
      .min(-(2 ** 31))
      .max(2 ** 31),
    runnerUpScore: z
      .number()
      .int()
      .min(-(2 ** 31))
      .max(2 ** 31)
      .nullable(),
    galleryTemplates: z.number().int().min(1).max(100_000_000),
  }),
});
export type PaymentRequest = z.infer<typeof paymentRequestSchema>;

/** Why the cloud declined a palm payment or asked for step-up: a code the lane translates. */
export const PAYMENT_REASONS = [
  // the capture
  'CAPTURE_MALFORMED',
  'CAPTURE_UNSIGNED',
  'SCANNER_NOT_APPROVED',
  'CAPTURE_REPLAYED',
  // the shopper
  'SHOPPER_UNKNOWN',
  'NOT_THIS_SHOPPER',
  'STEP_UP_REQUIRED',
  'STEP_UP_FAILED',
  // the money
  'AMOUNT_MISMATCH',
  'CURRENCY_MISMATCH',
  // risk rules
  'OVER_PAYMENT_LIMIT',
  'OVER_DAILY_LIMIT',
  'VELOCITY',
  'IMPOSSIBLE_TRAVEL',
  'LANE_NEAR_THRESHOLD',
  // the processor
  'CARD_DECLINED',
  'INSUFFICIENT_FUNDS',
  'PROCESSOR_UNAVAILABLE',
  // the attempt
  'PAYMENT_CANCELLED',
] as const;
export type PaymentReason = (typeof PAYMENT_REASONS)[number];

export interface PaymentShopper {
  readonly customerRef: string;
  readonly loyaltyId: string | null;
  readonly ageVerified: boolean;
}

/** The cloud's decision (HTTP 200 for every decided outcome; 4xx only for a malformed request). */
export type PaymentOutcome =
  | {
      readonly status: 'approved';
      readonly paymentId: string;
      readonly amount: Money;
      readonly authCode: string;
      readonly card: { readonly brand: string; readonly last4: string };
      readonly shopper: PaymentShopper;
    }
  | {
      /** Ask for the last four phone digits, then try again with a NEW paymentId. */
      readonly status: 'step-up';
      readonly paymentId: string;
      readonly reason: PaymentReason;
    }
  | {
      readonly status: 'declined';
      readonly paymentId: string;
      readonly reason: PaymentReason;
      readonly message: string;
    };

/**
 * `POST /v1/payments/:paymentId/cancel`: the lane leaves a palm payment whose answer it never
 * got. The cloud answers the payment's outcome if it was decided, else records it cancelled and
 * never charges that paymentId afterwards (a late request with it is declined PAYMENT_CANCELLED).
 * It never refunds.
 */
export type PaymentCancelOutcome =
  PaymentOutcome | { readonly status: 'cancelled'; readonly paymentId: string };
