import type { VerifiedCapture } from '../../../common/host/contract';
import type { DeletionRequest } from '../../../common/sync/enrolment';

/**
 * A shopper deleting their own data at the lane: the lane's matcher names the record the palm
 * matches (accept or step-up, as for a payment), and the cloud decides — it re-matches the
 * signed capture 1:1 against that shopper and checks the last four digits of their phone, so the
 * lane's match alone deletes nobody.
 */
export type PalmLookup =
  { readonly kind: 'matched'; readonly templateId: string } | { readonly kind: 'not-enrolled' };

export function lookupFromDecision(d: { kind: string; templateId: string | null }): PalmLookup {
  return d.kind !== 'no-match' && d.templateId
    ? { kind: 'matched', templateId: d.templateId }
    : { kind: 'not-enrolled' };
}

export function palmDeletionRequest(
  templateId: string,
  capture: Pick<VerifiedCapture, 'signed' | 'scannerSerial'>,
  last4: string,
): DeletionRequest | null {
  if (!/^\d{4}$/.test(last4)) return null;
  return {
    via: 'palm',
    templateId,
    capture: { signed: capture.signed, scannerSerial: capture.scannerSerial },
    last4,
  };
}

export const CUSTOMER_REF = /^cus_[a-z0-9]{8,40}$/;
