import { z } from 'zod';
import { STAFF_ID_PATTERN } from '../staff';
import { paymentIdSchema } from './payments';
import { MAX_SALE_LINES, wireMoney, wireText } from './protocol';

/**
 * A refund back to a palm payment's card on file (`POST /v1/palm-refunds`, signed by the lane).
 * The processor sits behind the store cloud, so the cloud sends the money back itself, after
 * the same refund check the push runs (common/refund-check.ts: never more than is left of the
 * sale, nor than it took by palm), with the refund id as the processor's idempotency key. The
 * lane then records its `sale.refunded` (tender `palm`, the processor's reference), which the
 * push accepts only if it matches a refund made here.
 */
export const palmRefundRequestSchema = z.strictObject({
  refundId: paymentIdSchema,
  saleId: wireText(128, 1),
  amount: wireMoney,
  lines: z
    .array(z.strictObject({ lineId: wireText(128, 1), quantity: z.number().int().min(1).max(999) }))
    .min(1)
    .max(MAX_SALE_LINES)
    .optional(),
  reason: wireText(500, 1),
  /** The manager who approved it at the lane (an active manager of the store). */
  approvedBy: z.string().regex(STAFF_ID_PATTERN, 'is a staff id'),
});
export type PalmRefundRequest = z.infer<typeof palmRefundRequestSchema>;

export type PalmRefundOutcome =
  | { readonly status: 'refunded'; readonly refundId: string; readonly processorRef: string }
  | { readonly status: 'refused'; readonly refundId: string; readonly message: string };
