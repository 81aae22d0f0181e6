import type { CheckoutEvent } from './checkout-events';
import { nextId } from './context';
import {
  captureFailure,
  decisionFor,
  failureReachesLimit,
  palmWith,
  pauseMs,
  tenderMatchesDue,
  wipe,
} from './palm-rules';
import type { PalmAuthorization, PalmCancelResult } from './ports';
import { assignOn, checkout, emit, update } from './setup';
import { setLeave, toCard, toCash, toScanning, toWallet } from './targets';
import {
  PALM_BLOCKING,
  type CheckoutContext,
  type PalmFallbackReason,
  type PalmNotice,
} from './types';

/** Guards and actions of the palm branch (palm.ts lays out the states that use them). */

export type Args = { context: CheckoutContext; event: CheckoutEvent };
export type Guard = (a: Args) => boolean;
export const and =
  (...gs: Guard[]): Guard =>
  (a) =>
    gs.every((g) => g(a));

export const sameCapture: Guard = ({ context, event }) =>
  'captureId' in event && event.captureId === context.palm.captureId;
export const samePayment: Guard = ({ context, event }) =>
  'paymentId' in event && context.palm.payment?.paymentId === event.paymentId;
export const failureCode = (event: CheckoutEvent): string =>
  event.type === 'PALM_CAPTURE_FAILED' ? event.problem.code : '';
export const captureKind =
  (kind: 'retry' | 'biometric'): Guard =>
  ({ event }) =>
    event.type === 'PALM_CAPTURE_FAILED' && captureFailure(failureCode(event)).kind === kind;
export const decisionIs =
  (kind: 'accept' | 'step-up' | 'no-match'): Guard =>
  ({ event }) =>
    event.type === 'PALM_MATCHED' && decisionFor(event.match)?.kind === kind;
export const authResult = (event: CheckoutEvent): PalmAuthorization | PalmCancelResult | null =>
  event.type === 'PALM_AUTHORIZED' || event.type === 'PALM_CANCELLED' ? event.result : null;
export const resultIs =
  (...kinds: string[]): Guard =>
  (a) =>
    samePayment(a) && kinds.includes(authResult(a.event)?.kind ?? '');
export const approvedForDue: Guard = (a) => {
  const r = authResult(a.event);
  return samePayment(a) && r !== null && r.kind !== 'cancelled' && tenderMatchesDue(a.context, r);
};

/** Palm pay stops for this payment; a blocking reason keeps it off for the rest of the sale. */
export const toFallback = (reason: PalmFallbackReason) =>
  checkout.assign(({ context: c, event }) => {
    const r = authResult(event);
    return palmWith(c, {
      capture: null,
      candidate: null,
      fallback: reason,
      blocked: PALM_BLOCKING.includes(reason) ? reason : c.palm.blocked,
      reason: r && 'reason' in r ? r.reason : null,
      payment: c.palm.payment ? { ...c.palm.payment, open: false } : null,
    });
  });

export const cancelScan = emit(() => ({ type: 'scanner.cancel' }));
export const wipeAction = update(wipe);

/** A biometric failure: count it; at the limit, pause palm pay for this sale. */
export const biometricFailure = (notice: PalmNotice, when: Guard) => [
  {
    guard: and(when, ({ context }) => failureReachesLimit(context)),
    target: '#checkout.tender.palm.paused',
    actions: [
      emit((c) => ({ type: 'timer.start', timer: 'palm-pause', ms: pauseMs(c) })),
      update((c) =>
        palmWith(c, {
          failures: c.palm.failures + 1,
          pauses: c.palm.pauses + 1,
          paused: true,
          notice,
          capture: null,
          candidate: null,
        }),
      ),
    ],
  },
  {
    guard: when,
    target: '#checkout.tender.palm.waiting',
    reenter: true,
    actions: update((c) =>
      palmWith(c, { failures: c.palm.failures + 1, notice, capture: null, candidate: null }),
    ),
  },
];

export const startAuthorization = update((c) => {
  const { id, seq } = nextId(c, 'p');
  return { seq, ...palmWith(c, { payment: { paymentId: id, open: true } }) };
});

/** Once authorized or stored for the amount due: commit the sale with the palm tender. */
export const commitPalm = checkout.assign(({ context, event }) => {
  const r = authResult(event);
  if (!r || r.kind === 'cancelled' || !tenderMatchesDue(context, r)) return {};
  return {
    tenders: [...context.paid, r.tender],
    commitProblem: null,
    ...palmWith(context, {
      capture: null,
      candidate: null,
      payment: { paymentId: r.tender.paymentId, open: false },
    }),
  };
});

export const candidateFrom = (stepUp: boolean) =>
  assignOn('PALM_MATCHED', (c, e) => {
    const d = decisionFor(e.match);
    if (!d || d.kind === 'no-match') return {};
    return palmWith(c, {
      candidate: { templateId: d.templateId, shopper: e.match.shopper, decision: d },
      stepUpRound: c.palm.stepUpRound + (stepUp ? 1 : 0),
    });
  });

export const leaveViaCancel = {
  PAY_CASH: { target: '#checkout.tender.palm.cancelling', actions: setLeave('cash') },
  PAY_CARD: { target: '#checkout.tender.palm.cancelling', actions: setLeave('card') },
  PAY_WALLET: { target: '#checkout.tender.palm.cancelling', actions: setLeave('wallet') },
  BACK: { target: '#checkout.tender.palm.cancelling', actions: setLeave('scanning') },
};
export const closePayment = update((c) =>
  c.palm.payment ? palmWith(c, { payment: { ...c.palm.payment, open: false } }) : {},
);
export const leaveWith = (first: ReturnType<typeof emit>[]) => ({
  PAY_CASH: { ...toCash, actions: [...first, wipeAction, ...toCash.actions] },
  PAY_CARD: { ...toCard, actions: [...first, wipeAction, ...toCard.actions] },
  PAY_WALLET: { ...toWallet, actions: [...first, wipeAction, ...toWallet.actions] },
  BACK: { ...toScanning, actions: [...first, wipeAction, ...toScanning.actions] },
});
