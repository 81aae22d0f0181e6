import { isFinalCardState, type CardPaymentUpdate } from '../host/contract';
import {
  cardApprovedForDue,
  cardTender,
  isCurrentCard,
  newCardAttempt,
  withCardUpdate,
} from './context';
import { checkout, emit, emitOn, update } from './setup';
import { afterSettled, setLeave, toCash, toPalm, toScanning, toWallet } from './targets';
import type { CheckoutContext, Problem } from './types';

/**
 * The card branch: begin → waiting-for-card → processing → approved | declined | cancelled |
 * timed-out | failed, a watchdog for a terminal that stops updating, and resuming a payment
 * after a reload. A payment that may be live at the terminal (`card.open`) is never abandoned:
 * leaving it cancels it and waits until the terminal confirms it is over — and if it turns out
 * approved, the sale completes with it rather than taking a second tender.
 */

/** Errors that prove the terminal refused to start the payment (so nothing is in flight). */
const REFUSALS = ['DEVICE_BUSY', 'DEVICE_OFFLINE', 'BAD_REQUEST', 'NOT_ALLOWED', 'UNKNOWN_METHOD'];

type UpdateArgs = { context: CheckoutContext; event: { update: CardPaymentUpdate | null } };
const current = ({ context, event }: { context: CheckoutContext; event: { paymentId: string } }) =>
  isCurrentCard(context, event.paymentId);
const currentUpdate = ({ context, event }: UpdateArgs) =>
  event.update !== null && isCurrentCard(context, event.update.paymentId);
const finalUpdate = (a: UpdateArgs) => currentUpdate(a) && isFinalCardState(a.event.update!.state);

const watchdogStart = emit((c) => ({
  type: 'timer.start',
  timer: 'card-watchdog',
  ms: c.cardWatchdogMs,
}));
const watchdogClear = emit(() => ({ type: 'timer.clear', timer: 'card-watchdog' }));

const record = checkout.assign(({ context, event }) => {
  const u = (event as { update?: CardPaymentUpdate | null }).update;
  return u && context.card ? { card: withCardUpdate(u) } : {};
});

const recordDecline = emit((c) => {
  const u = c.card?.update;
  if (!u || u.state !== 'declined') return null;
  return {
    type: 'card.recordDecline',
    saleId: c.saleId,
    paymentId: u.paymentId,
    reason: u.reason ?? 'generic_decline',
    amount: u.amount,
  };
});

const AMOUNT_MISMATCH: Problem = {
  code: 'CARD_AMOUNT_MISMATCH',
  message: 'The card terminal approved a different amount than the sale total',
};

const commitCard = checkout.assign(({ context }) => ({
  tenders: [...context.paid, cardTender(context.card!.update!)],
  commitProblem: null,
}));

/** A terminal update for the current payment, from any state of the branch. */
const onUpdate = [
  {
    guard: (a: UpdateArgs) => currentUpdate(a) && !isFinalCardState(a.event.update!.state),
    target: '#checkout.tender.card.inProgress',
    reenter: true,
    actions: [record],
  },
  {
    guard: (a: UpdateArgs) => currentUpdate(a) && cardApprovedForDue(a.context, a.event.update!),
    target: '#checkout.committing',
    actions: [record, watchdogClear, commitCard],
  },
  {
    guard: finalUpdate,
    target: '#checkout.tender.card.failed',
    actions: [
      record,
      watchdogClear,
      recordDecline,
      checkout.assign(({ context }) =>
        context.card?.update?.state === 'approved'
          ? { card: { ...context.card, problem: AMOUNT_MISMATCH } }
          : {},
      ),
    ],
  },
];

/** While the payment may be live, switching tender or going back first settles it. */
const leaveViaCancel = {
  PAY_CASH: { target: '#checkout.tender.card.cancelling', actions: setLeave('cash') },
  PAY_PALM: { target: '#checkout.tender.card.cancelling', actions: setLeave('palm') },
  PAY_WALLET: { target: '#checkout.tender.card.cancelling', actions: setLeave('wallet') },
  BACK: { target: '#checkout.tender.card.cancelling', actions: setLeave('scanning') },
};

const unknownOutcome = (problem: Problem) => !REFUSALS.includes(problem.code);
const withProblem = (open: boolean) =>
  checkout.assign(({ context, event }) => {
    const problem = (event as { problem?: Problem }).problem ?? null;
    const answered = event.type === 'CARD_BEGIN_FAILED' ? { awaitingBegin: false } : {};
    return context.card ? { card: { ...context.card, open, problem, ...answered } } : {};
  });
const awaitingBegin = ({ context }: { context: CheckoutContext }) =>
  context.card?.awaitingBegin === true;
const cancelAgain = emit((c) =>
  c.card?.awaitingBegin ? { type: 'card.cancel', paymentId: c.card.paymentId } : null,
);

/** Settled without money taken: the payment is closed and the lane goes where it was asked. */
const closeCard = update((c) => (c.card ? { card: { ...c.card, open: false } } : {}));
const settledLeave = afterSettled.map((t) => ({ ...t, actions: [closeCard, ...t.actions] }));

export const cardStates = checkout.createStateConfig({
  initial: 'starting',
  on: {
    // Defaults for a closed payment (failed): the other tenders are one tap away.
    PAY_CASH: toCash,
    PAY_PALM: toPalm,
    PAY_WALLET: toWallet,
    BACK: toScanning,
    // A late answer to a begin: remember it was answered (the states that care handle it first).
    CARD_BEGIN_FAILED: {
      guard: current,
      actions: update((c) => ({ card: { ...c.card!, awaitingBegin: false } })),
    },
  },
  states: {
    starting: {
      entry: [
        update((c) => (c.card ? { card: { ...c.card, awaitingBegin: true } } : {})),
        emit((c) =>
          c.card && c.due
            ? { type: 'card.begin', paymentId: c.card.paymentId, amount: c.due }
            : null,
        ),
      ],
      on: {
        ...leaveViaCancel,
        CARD_UPDATE: onUpdate,
        CARD_BEGIN_FAILED: [
          {
            guard: ({ context, event }) =>
              isCurrentCard(context, event.paymentId) && unknownOutcome(event.problem),
            target: 'notResponding',
            actions: withProblem(true),
          },
          { guard: current, target: 'failed', actions: withProblem(false) },
        ],
      },
    },
    /** After a reload (or a retry of an unanswered payment): ask the terminal where it is. */
    resuming: {
      entry: emit((c) => (c.card ? { type: 'card.status', paymentId: c.card.paymentId } : null)),
      on: {
        ...leaveViaCancel,
        CARD_UPDATE: onUpdate,
        CARD_STATUS: [
          // The terminal never heard of it: begin it (same id, so a late duplicate is harmless).
          {
            guard: ({ context, event }) => current({ context, event }) && event.update === null,
            target: 'starting',
          },
          ...onUpdate,
        ],
        CARD_STATUS_FAILED: { guard: current, target: 'notResponding', actions: withProblem(true) },
      },
    },
    inProgress: {
      entry: watchdogStart,
      exit: watchdogClear,
      on: {
        ...leaveViaCancel,
        CARD_UPDATE: onUpdate,
        CARD_STATUS: onUpdate,
        CARD_CANCEL: {
          guard: ({ context }) => context.card?.update?.state === 'waiting-for-card',
          actions: emit((c) => ({ type: 'card.cancel', paymentId: c.card!.paymentId })),
        },
        // E.g. already processing: the terminal will still send the final state.
        CARD_CANCEL_FAILED: { guard: current, actions: withProblem(true) },
        TIMER_FIRED: {
          guard: ({ event }) => event.timer === 'card-watchdog',
          target: 'notResponding',
          actions: update((c) => ({
            card: {
              ...c.card!,
              problem: {
                code: 'DEVICE_NOT_RESPONDING',
                message: 'The card terminal stopped updating',
              },
            },
          })),
        },
      },
    },
    /** The outcome is unknown: the payment stays open until the terminal answers. */
    notResponding: {
      on: {
        ...leaveViaCancel,
        CARD_UPDATE: onUpdate,
        CARD_RETRY: { target: 'resuming' },
      },
    },
    /** Over without money taken (declined, cancelled, timed out, refused). */
    failed: {
      on: {
        CARD_RETRY: { target: 'starting', actions: update(newCardAttempt) },
      },
    },
    /** Leaving a payment that may be live: cancel, then confirm it is over before moving on. */
    cancelling: {
      entry: [
        watchdogStart,
        emit((c) => (c.card ? { type: 'card.cancel', paymentId: c.card.paymentId } : null)),
      ],
      exit: watchdogClear,
      on: {
        PAY_CASH: { actions: setLeave('cash') },
        PAY_PALM: { actions: setLeave('palm') },
        PAY_WALLET: { actions: setLeave('wallet') },
        BACK: { actions: setLeave('scanning') },
        CARD_UPDATE: [
          {
            guard: (a) => currentUpdate(a) && cardApprovedForDue(a.context, a.event.update),
            target: '#checkout.committing',
            actions: [record, commitCard],
          },
          { guard: finalUpdate, actions: [record, recordDecline], target: 'settled' },
          // The begin's answer, after the cancel overtook it: cancel again now it is known.
          { guard: currentUpdate, actions: [cancelAgain, record] },
        ],
        CARD_BEGIN_FAILED: [
          {
            guard: ({ context, event }) =>
              isCurrentCard(context, event.paymentId) && !unknownOutcome(event.problem),
            target: 'settled',
            actions: withProblem(false),
          },
          {
            guard: current,
            actions: [
              withProblem(true),
              emit((c) => ({ type: 'card.cancel', paymentId: c.card!.paymentId })),
            ],
          },
        ],
        // The cancel was accepted, or the payment was already over: ask which it is.
        CARD_CANCEL_DONE: {
          guard: current,
          actions: emitOn('CARD_CANCEL_DONE', (_c, e) => ({
            type: 'card.status',
            paymentId: e.paymentId,
          })),
        },
        CARD_STATUS: [
          {
            guard: ({ context, event }) =>
              current({ context, event }) && event.update === null && !awaitingBegin({ context }),
            target: 'settled',
          },
          { guard: ({ context, event }) => current({ context, event }) && event.update === null },
          {
            guard: (a) => currentUpdate(a) && cardApprovedForDue(a.context, a.event.update!),
            target: '#checkout.committing',
            actions: [record, commitCard],
          },
          { guard: finalUpdate, actions: [record, recordDecline], target: 'settled' },
          { guard: currentUpdate, actions: record },
        ],
        CARD_CANCEL_FAILED: [
          // Never reached the terminal (and no begin still on its way): nothing to settle.
          {
            guard: ({ context, event }) =>
              current({ context, event }) &&
              event.problem.code === 'UNKNOWN_PAYMENT' &&
              !awaitingBegin({ context }),
            target: 'settled',
          },
          // The begin is still on its way: wait for its answer, then cancel again.
          {
            guard: ({ context, event }) =>
              current({ context, event }) && event.problem.code === 'UNKNOWN_PAYMENT',
          },
          // Already processing: wait for its final state (the watchdog still runs).
          {
            guard: ({ context, event }) =>
              current({ context, event }) && event.problem.code === 'DEVICE_BUSY',
            actions: withProblem(true),
          },
          { guard: current, target: 'unresolved', actions: withProblem(true) },
        ],
        CARD_STATUS_FAILED: { guard: current, target: 'unresolved', actions: withProblem(true) },
        TIMER_FIRED: {
          guard: ({ event }) => event.timer === 'card-watchdog',
          target: 'unresolved',
        },
      },
    },
    /** The terminal cannot confirm the payment is over: no other tender until it does. */
    unresolved: {
      on: {
        PAY_CASH: { target: 'cancelling', actions: setLeave('cash') },
        PAY_PALM: { target: 'cancelling', actions: setLeave('palm') },
        PAY_WALLET: { target: 'cancelling', actions: setLeave('wallet') },
        BACK: { target: 'cancelling', actions: setLeave('scanning') },
        CARD_RETRY: { target: 'cancelling' },
        CARD_UPDATE: [
          {
            guard: (a) => currentUpdate(a) && cardApprovedForDue(a.context, a.event.update),
            target: '#checkout.committing',
            actions: [record, commitCard],
          },
          { guard: finalUpdate, actions: [record, recordDecline], target: 'settled' },
        ],
      },
    },
    /** Transient: the payment is over without money taken; go where the cashier asked. */
    settled: {
      always: settledLeave,
    },
  },
});
