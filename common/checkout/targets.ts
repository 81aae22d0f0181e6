import { freshPalm, handBackParts, newCardAttempt } from './context';
import { checkout, emit, update } from './setup';
import type { CheckoutContext, LeaveTarget } from './types';

/**
 * Transitions into each tender, shared by every state that may switch to it. A state with a
 * payment in flight never uses these directly: it settles the payment first (cancelling), then
 * leaves through `afterSettled`.
 */

export const palmOffered = (c: CheckoutContext): boolean =>
  c.palmSettings !== null && c.palm.blocked === null;

/** A new palm attempt keeps what the sale has learned: failures, pauses, a block. */
export function enterPalm(c: CheckoutContext): Partial<CheckoutContext> {
  const fresh = freshPalm(c.palmSettings);
  const p = c.palm;
  return {
    leaveTo: null,
    palm: {
      ...fresh,
      captureId: p.captureId,
      failures: p.failures,
      pauses: p.pauses,
      paused: p.paused,
      blocked: p.blocked,
      stepUpTriesLeft: p.stepUpTriesLeft,
      stepUpRound: p.stepUpRound,
    },
  };
}

const clearWatchdog = emit(() => ({ type: 'timer.clear', timer: 'card-watchdog' }));

export const toCash = {
  target: '#checkout.tender.cash',
  actions: [clearWatchdog, update(() => ({ cashProblem: null, leaveTo: null }))],
} as const;

export const toCard = {
  target: '#checkout.tender.card.starting',
  actions: [update((c) => ({ ...newCardAttempt(c), leaveTo: null }))],
} as const;

export const toPalm = {
  guard: ({ context }: { context: CheckoutContext }) => palmOffered(context),
  target: '#checkout.tender.palm',
  actions: [clearWatchdog, update(enterPalm)],
} as const;

export const toScanning = {
  target: '#checkout.scanning',
  actions: [
    clearWatchdog,
    update((c) => ({ leaveTo: null, due: null, cashProblem: null, ...handBackParts(c) })),
  ],
} as const;

export const toWallet = {
  target: '#checkout.tender.wallet',
  actions: [
    clearWatchdog,
    update(() => ({
      leaveTo: null,
      wallet: { payment: null, code: null, notice: null, reason: null },
    })),
  ],
} as const;

const leavingTo =
  (t: LeaveTarget) =>
  ({ context }: { context: CheckoutContext }) =>
    context.leaveTo === t;

/** Once the tender in flight has settled without taking money: go where the cashier asked. */
export const afterSettled = [
  { ...toCash, guard: leavingTo('cash') },
  { ...toCard, guard: leavingTo('card') },
  {
    ...toPalm,
    guard: ({ context }: { context: CheckoutContext }) =>
      context.leaveTo === 'palm' && palmOffered(context),
  },
  { ...toWallet, guard: leavingTo('wallet') },
  toScanning,
];

export const setLeave = (t: LeaveTarget) => checkout.assign({ leaveTo: t });
