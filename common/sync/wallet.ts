import { z } from 'zod';
import type { Money } from '../money';
import { WALLET_CODE_PATTERN } from '../wallet/code';
import { paymentIdSchema } from './payments';
import { MAX_SALE_LINES, cartLine, cashTenderSchema, wireMoney, wireText } from './protocol';

/**
 * Wallet payments between the lane and the store cloud (`POST /v1/wallet-payments`, signed like
 * every lane request). The cloud re-derives the amount from the lines (less any cash parts of a
 * split sale), refuses a code it has seen before, and authorizes through its wallet adapter with
 * `paymentId` as the idempotency key; `…/:paymentId/cancel` gives an attempt up (reversing it at
 * the wallet if it was charged).
 */
export const walletRequestSchema = z.strictObject({
  paymentId: paymentIdSchema,
  saleId: wireText(128, 1),
  amount: wireMoney,
  lines: z.array(cartLine).min(1).max(MAX_SALE_LINES),
  paidBefore: z.array(cashTenderSchema).max(19).optional(),
  code: z.string().regex(WALLET_CODE_PATTERN, 'is a wallet payment code'),
});
export type WalletRequest = z.infer<typeof walletRequestSchema>;

export const WALLET_REASONS = [
  'WALLET_DECLINED',
  'WALLET_INSUFFICIENT_FUNDS',
  'WALLET_CODE_EXPIRED',
  'WALLET_CODE_REUSED',
  'WALLET_UNAVAILABLE',
  'AMOUNT_MISMATCH',
  'CURRENCY_MISMATCH',
  'PAYMENT_CANCELLED',
] as const;
export type WalletReason = (typeof WALLET_REASONS)[number];

export type WalletOutcome =
  | {
      readonly status: 'approved';
      readonly paymentId: string;
      readonly amount: Money;
      readonly wallet: string;
      readonly codeLast4: string;
      readonly authCode: string;
    }
  | {
      readonly status: 'declined';
      readonly paymentId: string;
      readonly reason: WalletReason;
      readonly message: string;
    };

/**
 * Leaving an attempt whose answer the lane never got: its outcome if it was decided (an approval
 * completes the sale with it, as a palm one does), else cancelled for good — a late request with
 * that paymentId is then declined PAYMENT_CANCELLED and the code is never charged by it.
 */
export type WalletCancelOutcome =
  WalletOutcome | { readonly status: 'cancelled'; readonly paymentId: string };
