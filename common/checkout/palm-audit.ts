import type { CheckoutEvent } from './checkout-events';
import { decisionFor } from './palm-rules';
import { palmStep } from './phase';
import type { CheckoutSnapshot } from './step';

/**
 * Palm pay's decisions as audit events, read off one machine step (the snapshot before, the
 * event, the snapshot after). Each names the sale, the pseudonymous shopper and the payment
 * where there is one, and the reason; never a template, a score or the step-up digits.
 */
export interface PalmAuditEvent {
  readonly kind: `palm.${string}`;
  readonly detail: Readonly<Record<string, string | number | boolean>>;
}

export function palmAudit(
  prev: CheckoutSnapshot,
  event: CheckoutEvent,
  next: CheckoutSnapshot,
): PalmAuditEvent[] {
  if (prev === next) return [];
  const before = palmStep(prev);
  const after = palmStep(next);
  const p = prev.context.palm;
  const n = next.context.palm;
  const base: Record<string, string | number | boolean> = { saleId: prev.context.saleId };
  const shopper = p.candidate?.shopper?.customerRef;
  if (shopper) base.customerRef = shopper;
  const out: PalmAuditEvent[] = [];
  const add = (kind: `palm.${string}`, detail: Record<string, string | number | boolean> = {}) =>
    out.push({ kind, detail: { ...base, ...detail } });

  if (event.type === 'PALM_MATCHED' && before === 'matching' && event.captureId === p.captureId) {
    const d = decisionFor(event.match);
    const ref = event.match.shopper?.customerRef;
    const who: Record<string, string> =
      ref && d && d.kind !== 'no-match' ? { customerRef: ref } : {};
    if (!d) add('palm.undecidable');
    else if (d.kind === 'accept') add('palm.accept', who);
    else if (d.kind === 'step-up') add('palm.step-up', { ...who, reason: d.reason });
    else add('palm.no-match', { failures: n.failures });
  } else if (event.type === 'PALM_CAPTURE_FAILED' && n.failures > p.failures) {
    add('palm.liveness-failed', { failures: n.failures });
  } else if (event.type === 'STEP_UP_CHECKED' && before === 'stepUpChecking') {
    if (event.ok) add('palm.step-up-passed');
    else add('palm.step-up-wrong', { triesLeft: n.stepUpTriesLeft });
  } else if (
    (event.type === 'PALM_AUTHORIZED' || event.type === 'PALM_CANCELLED') &&
    event.paymentId === p.payment?.paymentId &&
    (before === 'authorizing' || before === 'cancelling')
  ) {
    const r = event.result;
    const detail: Record<string, string | number | boolean> = { paymentId: event.paymentId };
    if (r.kind === 'approved' || r.kind === 'stored') {
      detail.amount = r.tender.amount.amount;
      detail.currency = r.tender.amount.currency;
    }
    if ('reason' in r) detail.reason = r.reason;
    const kind = r.kind === 'approved' ? 'authorized' : r.kind;
    add(`palm.${kind}`, detail);
  }

  if (after === 'paused' && before !== 'paused')
    add('palm.paused', { failures: n.failures, pauses: n.pauses });
  if (after === 'fallback' && before !== 'fallback' && n.fallback)
    add('palm.fallback', { reason: n.fallback, ...(n.reason ? { code: n.reason } : {}) });
  if (before === 'matching' || before === 'stepUpChecking') {
    // Confirmed: the record's age-verified flag covered the cart's ID check, or it did not.
    if (next.context.palmAgeVerifiedFor > prev.context.palmAgeVerifiedFor)
      add('palm.age-verified', { age: next.context.palmAgeVerifiedFor });
    if (n.notice === 'age-not-verified' && p.notice !== 'age-not-verified')
      add('palm.age-not-verified');
  }
  return out;
}
