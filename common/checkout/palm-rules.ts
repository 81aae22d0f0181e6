import { requiredAge } from '../cart';
import { checkPolicy, decide, type Decision } from '../shard/policy';
import { pendingAgeLine } from './context';
import type { PalmAuthorization, PalmMatch, PalmTender } from './ports';
import type { CheckoutContext, PalmContext, PalmFallbackReason, PalmNotice } from './types';

/** Pure rules of the palm branch, kept apart from the state chart so each reads on its own. */

/** The store policy's decision, or null when the matcher's answer cannot be decided on. */
export function decisionFor(m: PalmMatch): Decision | null {
  try {
    checkPolicy(m.policy);
    return decide(m.policy, m.galleryTemplates, m.outcome);
  } catch {
    return null;
  }
}

export type CaptureFailure =
  | { readonly kind: 'retry'; readonly notice: PalmNotice }
  | { readonly kind: 'biometric'; readonly notice: PalmNotice }
  | { readonly kind: 'fallback'; readonly reason: PalmFallbackReason };

/**
 * What a failed capture means. Timeouts and poor quality re-arm the scanner without counting;
 * a failed liveness check counts as a biometric failure (it may be a presentation attack);
 * anything about the scanner itself shows the fallback.
 */
export function captureFailure(code: string): CaptureFailure {
  switch (code) {
    case 'CAPTURE_TIMEOUT':
      return { kind: 'retry', notice: 'timeout' };
    case 'QUALITY_TOO_LOW':
      return { kind: 'retry', notice: 'quality' };
    case 'LIVENESS_FAILED':
      return { kind: 'biometric', notice: 'liveness' };
    case 'CAPTURE_CANCELLED':
      return { kind: 'fallback', reason: 'capture-stopped' };
    case 'DEVICE_BUSY':
      return { kind: 'fallback', reason: 'scanner-busy' };
    case 'CAPTURE_REJECTED':
    case 'SCANNER_KEY_PENDING':
    case 'SCANNER_KEY_MISMATCH':
      return { kind: 'fallback', reason: 'scanner-untrusted' };
    default:
      return { kind: 'fallback', reason: 'scanner-unavailable' };
  }
}

/** Whether one more biometric failure reaches the limit (NIST SP 800-63B: 5, then a delay). */
export const failureReachesLimit = (c: CheckoutContext): boolean =>
  c.palm.failures + 1 >= (c.palmSettings?.maxFailures ?? 1);

/** Each pause in the same sale doubles the one before (NIST: an increasing delay). */
export const pauseMs = (c: CheckoutContext): number =>
  (c.palmSettings?.pauseMs ?? 30_000) * 2 ** Math.min(c.palm.pauses, 10);

export const palmWith = (c: CheckoutContext, p: Partial<PalmContext>): { palm: PalmContext } => ({
  palm: { ...c.palm, ...p },
});

/** Drop the capture and the candidate: a probe lives only for one decision and authorization. */
export const wipe = (c: CheckoutContext) => palmWith(c, { capture: null, candidate: null });

/**
 * Whether the confirmed shopper leaves an ID check pending: the record's age-verified flag
 * covers any restricted item (verified at enrolment); without it, the cashier checks ID.
 */
export function ageStillPending(c: CheckoutContext): boolean {
  return pendingAgeLine(c) !== null && c.palm.candidate?.shopper?.ageVerified !== true;
}

/** The age the shopper's verified record covers for this cart (0 when it covers nothing). */
export const palmCoveredAge = (c: CheckoutContext): number =>
  c.palm.candidate?.shopper?.ageVerified
    ? Math.max(c.palmAgeVerifiedFor, requiredAge(c.cart))
    : c.palmAgeVerifiedFor;

/** A tender the sale may be completed with: exactly the amount due, in its currency. */
export function tenderMatchesDue(
  c: CheckoutContext,
  r: PalmAuthorization,
): r is Extract<PalmAuthorization, { tender: PalmTender }> {
  if (r.kind !== 'approved' && r.kind !== 'stored') return false;
  return (
    c.due !== null &&
    r.tender.amount.amount === c.due.amount &&
    r.tender.amount.currency === c.due.currency &&
    r.tender.paymentId === c.palm.payment?.paymentId
  );
}

export const isValidDigits = (digits: string): boolean => /^\d{4}$/.test(digits);
