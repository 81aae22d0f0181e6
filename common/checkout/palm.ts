import {
  ageStillPending,
  captureFailure,
  isValidDigits,
  palmCoveredAge,
  palmWith,
} from './palm-rules';
import {
  and,
  sameCapture,
  samePayment,
  captureKind,
  decisionIs,
  resultIs,
  approvedForDue,
  toFallback,
  cancelScan,
  wipeAction,
  biometricFailure,
  startAuthorization,
  commitPalm,
  candidateFrom,
  leaveViaCancel,
  closePayment,
  leaveWith,
} from './palm-actions';
import { handBackParts } from './context';
import { assignOn, checkout, emit, update } from './setup';
import { afterSettled, setLeave } from './targets';

/**
 * The palm branch: waiting for hover → capture → match → decision → (step-up) → authorize.
 * Cash and card stay one tap away at every step; only an authorization whose outcome the lane
 * does not know is settled (cancelled at the cloud, or found approved) before another tender.
 */

export const palmStates = checkout.createStateConfig({
  initial: 'entering',
  on: leaveWith([]),
  states: {
    entering: {
      always: [
        { guard: ({ context }) => context.palm.paused, target: 'paused' },
        {
          guard: ({ context }) =>
            context.scannerState === 'absent' || context.scannerState === 'fault',
          target: 'fallback',
          actions: toFallback('scanner-unavailable'),
        },
        { target: 'waiting' },
      ],
    },
    /** Armed: the scanner waits for a hover and guides the shopper. */
    waiting: {
      entry: [
        update((c) =>
          palmWith(c, {
            captureId: c.palm.captureId + 1,
            guidance: null,
            capture: null,
            fallback: null,
          }),
        ),
        emit((c) => ({
          type: 'scanner.capture',
          captureId: c.palm.captureId,
          timeoutMs: c.palmSettings?.captureTimeoutMs ?? 15_000,
        })),
      ],
      on: {
        ...leaveWith([cancelScan]),
        PALM_GUIDANCE: {
          actions: assignOn('PALM_GUIDANCE', (c, e) =>
            palmWith(c, { guidance: e.guidance === 'HAND_REMOVED' ? null : e.guidance }),
          ),
        },
        PALM_CAPTURED: {
          guard: sameCapture,
          target: 'matching',
          actions: assignOn('PALM_CAPTURED', (c, e) =>
            palmWith(c, { capture: e.capture, notice: null }),
          ),
        },
        PALM_CAPTURE_FAILED: [
          {
            guard: and(sameCapture, captureKind('retry')),
            target: 'waiting',
            reenter: true,
            actions: assignOn('PALM_CAPTURE_FAILED', (c, e) => {
              const f = captureFailure(e.problem.code);
              return palmWith(c, { notice: f.kind === 'retry' ? f.notice : null });
            }),
          },
          ...biometricFailure('liveness', and(sameCapture, captureKind('biometric'))),
          {
            guard: sameCapture,
            target: 'fallback',
            actions: assignOn('PALM_CAPTURE_FAILED', (c, e) => {
              const f = captureFailure(e.problem.code);
              return palmWith(c, {
                fallback: f.kind === 'fallback' ? f.reason : 'scanner-unavailable',
                capture: null,
              });
            }),
          },
        ],
        SCANNER_STATUS: {
          guard: ({ event }) => event.state === 'absent' || event.state === 'fault',
          target: 'fallback',
          actions: [
            assignOn('SCANNER_STATUS', (_c, e) => ({ scannerState: e.state })),
            toFallback('scanner-unavailable'),
          ],
        },
      },
    },
    matching: {
      entry: emit((c) =>
        c.palm.capture
          ? { type: 'palm.match', captureId: c.palm.captureId, capture: c.palm.capture }
          : null,
      ),
      on: {
        PALM_MATCHED: [
          {
            guard: and(sameCapture, decisionIs('accept')),
            target: 'confirmed',
            actions: candidateFrom(false),
          },
          {
            guard: and(sameCapture, decisionIs('step-up')),
            target: 'stepUp',
            actions: candidateFrom(true),
          },
          ...biometricFailure('not-recognised', and(sameCapture, decisionIs('no-match'))),
          // The matcher's answer could not be decided on (a malformed store policy).
          { guard: sameCapture, target: 'fallback', actions: toFallback('matcher-unavailable') },
        ],
        PALM_MATCH_FAILED: {
          guard: sameCapture,
          target: 'fallback',
          actions: toFallback('matcher-unavailable'),
        },
      },
    },
    /** The on-screen keypad for the last four phone digits. */
    stepUp: {
      on: {
        STEP_UP_ENTERED: [
          {
            guard: ({ event }) => isValidDigits(event.digits),
            target: 'stepUpChecking',
            actions: [
              update((c) => palmWith(c, { notice: null })),
              emit((c, e) =>
                e.type === 'STEP_UP_ENTERED' && c.palm.candidate
                  ? {
                      type: 'palm.checkStepUp',
                      captureId: c.palm.captureId,
                      templateId: c.palm.candidate.templateId,
                      digits: e.digits,
                    }
                  : null,
              ),
            ],
          },
          { actions: update((c) => palmWith(c, { notice: 'bad-digits' })) },
        ],
      },
    },
    stepUpChecking: {
      on: {
        STEP_UP_CHECKED: [
          {
            guard: and(sameCapture, ({ event }) => event.type === 'STEP_UP_CHECKED' && event.ok),
            target: 'confirmed',
            actions: update((c) =>
              palmWith(c, { stepUpPassed: true, stepUpTriesLeft: c.palm.stepUpTriesLeft - 1 }),
            ),
          },
          {
            guard: and(sameCapture, ({ context }) => context.palm.stepUpTriesLeft <= 1),
            target: 'fallback',
            actions: [
              update((c) => palmWith(c, { stepUpTriesLeft: 0 })),
              toFallback('step-up-failed'),
            ],
          },
          {
            guard: sameCapture,
            target: 'stepUp',
            actions: update((c) =>
              palmWith(c, {
                stepUpTriesLeft: c.palm.stepUpTriesLeft - 1,
                stepUpRound: c.palm.stepUpRound + 1,
                notice: 'wrong-digits',
              }),
            ),
          },
        ],
        STEP_UP_FAILED: {
          guard: sameCapture,
          target: 'fallback',
          actions: toFallback('matcher-unavailable'),
        },
      },
    },
    /** The shopper is who the palm says. An ID check the record cannot cover goes to the cashier. */
    confirmed: {
      always: [
        {
          guard: ({ context }) => ageStillPending(context),
          target: '#checkout.scanning',
          actions: update((c) => ({
            due: null,
            ...handBackParts(c),
            ...palmWith(c, { capture: null, candidate: null, notice: 'age-not-verified' }),
          })),
        },
        {
          target: 'authorizing',
          actions: [update((c) => ({ palmAgeVerifiedFor: palmCoveredAge(c) })), startAuthorization],
        },
      ],
    },
    authorizing: {
      entry: emit((c) => {
        const p = c.palm;
        if (!p.payment || !p.capture || !p.candidate || !c.due) return null;
        return {
          type: 'palm.authorize',
          request: {
            paymentId: p.payment.paymentId,
            saleId: c.saleId,
            amount: c.due,
            lines: c.cart.lines,
            templateId: p.candidate.templateId,
            customerRef: p.candidate.shopper?.customerRef ?? null,
            capture: p.capture,
            steppedUp: p.stepUpPassed,
            paidBefore: c.paid,
          },
        };
      }),
      on: {
        ...leaveViaCancel,
        PALM_AUTHORIZED: [
          { guard: approvedForDue, target: '#checkout.committing', actions: commitPalm },
          {
            guard: resultIs('approved', 'stored'),
            target: 'fallback',
            actions: toFallback('amount-mismatch'),
          },
          {
            // The cloud's risk rules want step-up: a new attempt (new key) after the digits.
            guard: and(
              resultIs('step-up'),
              ({ context }) => !context.palm.stepUpPassed && context.palm.stepUpTriesLeft > 0,
            ),
            target: 'stepUp',
            actions: [
              closePayment,
              update((c) =>
                palmWith(c, { notice: 'cloud-step-up', stepUpRound: c.palm.stepUpRound + 1 }),
              ),
            ],
          },
          {
            guard: resultIs('refused-offline'),
            target: 'fallback',
            actions: toFallback('offline-refused'),
          },
          { guard: samePayment, target: 'fallback', actions: toFallback('declined') },
        ],
        PALM_AUTHORIZE_FAILED: { guard: samePayment, target: 'unresolved' },
      },
    },
    /** The cloud's answer was lost: retry with the same idempotency key, or settle it to leave. */
    unresolved: {
      on: {
        ...leaveViaCancel,
        PALM_RETRY: { target: 'authorizing' },
      },
    },
    cancelling: {
      entry: emit((c) =>
        c.palm.payment
          ? { type: 'palm.cancelAuthorization', paymentId: c.palm.payment.paymentId }
          : null,
      ),
      on: {
        PAY_CASH: { actions: setLeave('cash') },
        PAY_CARD: { actions: setLeave('card') },
        PAY_WALLET: { actions: setLeave('wallet') },
        BACK: { actions: setLeave('scanning') },
        PALM_AUTHORIZED: [
          { guard: approvedForDue, target: '#checkout.committing', actions: commitPalm },
          { guard: resultIs('declined', 'step-up', 'refused-offline'), target: 'settled' },
        ],
        PALM_CANCELLED: [
          { guard: approvedForDue, target: '#checkout.committing', actions: commitPalm },
          { guard: resultIs('cancelled', 'declined'), target: 'settled' },
        ],
        PALM_CANCEL_FAILED: { guard: samePayment, target: 'unresolved' },
      },
    },
    /** Transient: the authorization is over without money taken; go where the cashier asked. */
    settled: {
      always: afterSettled.map((t) => ({
        ...t,
        actions: [closePayment, wipeAction, ...t.actions],
      })),
    },
    /** Too many biometric failures in this sale: wait out the delay; cash and card highlighted. */
    paused: {
      on: {
        TIMER_FIRED: {
          guard: ({ event }) => event.timer === 'palm-pause',
          target: 'waiting',
          actions: update((c) => palmWith(c, { paused: false, notice: null })),
        },
      },
    },
    /** Palm pay cannot take this payment now; cash and card are highlighted. */
    fallback: {
      on: {
        PALM_RETRY: {
          guard: ({ context }) => context.palm.blocked === null,
          target: 'entering',
          actions: update((c) => palmWith(c, { fallback: null, reason: null })),
        },
        SCANNER_STATUS: {
          guard: ({ context, event }) =>
            event.state === 'ready' &&
            context.palm.fallback === 'scanner-unavailable' &&
            context.palm.blocked === null,
          target: 'entering',
          actions: [
            assignOn('SCANNER_STATUS', (_c, e) => ({ scannerState: e.state })),
            update((c) => palmWith(c, { fallback: null })),
          ],
        },
      },
    },
  },
});
