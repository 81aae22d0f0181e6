import type { EnrolEvent, SaveFailure } from './types';

/**
 * What the cloud's `POST /v1/enrolments` answered (docs/enrolment.md), as the flow needs it:
 * saved, "already enrolled" (with that shopper's ref, so the cashier can offer an update), or a
 * failure the flow knows how to recover from. Pure, so the mapping of every error code is tested.
 */
export type SaveAnswer =
  | { readonly kind: 'saved'; readonly customerRef: string; readonly updated: boolean }
  | { readonly kind: 'duplicate'; readonly customerRef: string }
  | { readonly kind: 'failed'; readonly reason: SaveFailure; readonly message: string };

const CAPTURE_CODES = new Set([
  'CAPTURE_INVALID',
  'CAPTURE_REUSED',
  'CAPTURE_QUALITY',
  'CAPTURE_LIVENESS',
  'CAPTURE_INCONSISTENT',
]);

/**
 * An HTTP status (0: no answer at all) and error code → why it failed. No answer, a timeout or a
 * server error is `unreachable`: nothing was saved that the cashier must know about, and the
 * same enrolment id sent again answers the first outcome if it was.
 */
export function saveFailureOf(status: number, code: string): SaveFailure {
  if (code === 'CARD_DECLINED') return 'card-declined';
  if (code === 'CARD_UNAVAILABLE') return 'card-unavailable';
  if (CAPTURE_CODES.has(code)) return 'captures-refused';
  if (code === 'STAFF_CREDENTIAL_INVALID') return 'age-refused';
  if (code === 'CONFIRMATION_FAILED') return 'confirm-failed';
  if (status === 0 || status === 408 || status >= 500) return 'unreachable';
  return 'refused';
}

/** The flow event for an answer. */
export function saveEvent(a: SaveAnswer): EnrolEvent {
  switch (a.kind) {
    case 'saved':
      return { type: 'SAVED', customerRef: a.customerRef, updated: a.updated };
    case 'duplicate':
      return { type: 'ALREADY_ENROLLED', customerRef: a.customerRef };
    case 'failed':
      return { type: 'SAVE_FAILED', reason: a.reason };
  }
}
