import { walletCodeOf } from '../wallet/code';
import type { CheckoutEvent } from './checkout-events';
import { nextId } from './context';
import type { WalletAuthorization, WalletCancelResult } from './ports';
import { checkout, emit, update } from './setup';
import { afterSettled, setLeave, toCard, toCash, toPalm, toScanning } from './targets';
import type { CheckoutContext, WalletContext } from './types';

/**
 * The wallet branch: the shopper shows a one-time payment code, the lane's barcode scanner
 * reads it (WALLET_CODE; common/wallet/code.ts tells it from a product code), the store cloud
 * authorizes it through its wallet adapter with the attempt's id as the idempotency key. Offline
 * it is refused before anything is sent, with the reason, and the other tenders stay one tap
 * away. An attempt whose answer was lost is asked again with the same key, or settled (cancelled
 * at the cloud, or found approved and completed with) before another tender.
 */

type Args = { context: CheckoutContext; event: CheckoutEvent };

const walletWith = (c: CheckoutContext, w: Partial<WalletContext>) => ({
  wallet: { ...c.wallet, ...w },
});

const scannedCode = (e: CheckoutEvent): string | null =>
  e.type === 'WALLET_CODE' ? walletCodeOf(e.code) : null;
export const validCode = ({ event }: Args): boolean => scannedCode(event) !== null;

/** A new attempt for the scanned code: a fresh id (idempotency key), the code held for retries. */
export const startWallet = checkout.assign(({ context, event }) => {
  const code = scannedCode(event);
  if (!code) return {};
  const { id, seq } = nextId(context, 'w');
  return {
    seq,
    leaveTo: null,
    wallet: { payment: { paymentId: id, open: true }, code, notice: null, reason: null },
  };
});

const samePayment = ({ context, event }: Args): boolean =>
  'paymentId' in event && context.wallet.payment?.paymentId === event.paymentId;
const resultOf = (e: CheckoutEvent): WalletAuthorization | WalletCancelResult | null =>
  e.type === 'WALLET_AUTHORIZED' || e.type === 'WALLET_CANCELLED' ? e.result : null;
const resultIs =
  (...kinds: string[]) =>
  (a: Args) =>
    samePayment(a) && kinds.includes(resultOf(a.event)?.kind ?? '');

/** Approved for exactly what is due, in its currency, under this attempt's id. */
const approvedForDue = (a: Args): boolean => {
  const r = resultOf(a.event);
  const due = a.context.due;
  return (
    samePayment(a) &&
    r?.kind === 'approved' &&
    due !== null &&
    r.tender.amount.amount === due.amount &&
    r.tender.amount.currency === due.currency &&
    r.tender.paymentId === a.context.wallet.payment?.paymentId
  );
};

const commitWallet = checkout.assign(({ context, event }) => {
  const r = resultOf(event);
  if (r?.kind !== 'approved') return {};
  return {
    tenders: [...context.paid, r.tender],
    commitProblem: null,
    ...walletWith(context, { code: null, payment: { paymentId: r.tender.paymentId, open: false } }),
  };
});

/** The attempt is over without money taken: drop the code, keep why. */
const failWith = (reason: ((a: Args) => string) | string) =>
  checkout.assign((a) => {
    const { context: c } = a;
    return walletWith(c, {
      code: null,
      reason: typeof reason === 'string' ? reason : reason(a),
      payment: c.wallet.payment ? { ...c.wallet.payment, open: false } : null,
    });
  });
const reasonOf = ({ event }: Args): string => {
  const r = resultOf(event);
  return r && 'reason' in r ? r.reason : 'WALLET_DECLINED';
};
const closeWallet = update((c) =>
  walletWith(c, {
    code: null,
    payment: c.wallet.payment ? { ...c.wallet.payment, open: false } : null,
  }),
);

const settle = '#checkout.tender.wallet.cancelling';
const leaveViaCancel = {
  PAY_CASH: { target: settle, actions: setLeave('cash') },
  PAY_CARD: { target: settle, actions: setLeave('card') },
  PAY_PALM: { target: settle, actions: setLeave('palm') },
  BACK: { target: settle, actions: setLeave('scanning') },
};

const dropCode = update((c) => walletWith(c, { code: null }));

export const walletStates = checkout.createStateConfig({
  initial: 'waiting',
  // Nothing in flight (waiting for a code, or failed): the other tenders are one tap away.
  on: {
    PAY_CASH: { ...toCash, actions: [dropCode, ...toCash.actions] },
    PAY_CARD: { ...toCard, actions: [dropCode, ...toCard.actions] },
    PAY_PALM: { ...toPalm, actions: [dropCode, ...toPalm.actions] },
    BACK: { ...toScanning, actions: [dropCode, ...toScanning.actions] },
  },
  states: {
    /** The panel's code field has the focus: the scanner types the shopper's code into it. */
    waiting: {
      on: {
        WALLET_CODE: [
          { guard: validCode, target: 'authorizing', actions: startWallet },
          { actions: update((c) => walletWith(c, { notice: 'not-a-code' })) },
        ],
      },
    },
    authorizing: {
      entry: emit((c) => {
        const w = c.wallet;
        if (!w.payment || !w.code || !c.due) return null;
        return {
          type: 'wallet.authorize',
          request: {
            paymentId: w.payment.paymentId,
            saleId: c.saleId,
            amount: c.due,
            lines: c.cart.lines,
            paidBefore: c.paid,
            code: w.code,
          },
        };
      }),
      on: {
        ...leaveViaCancel,
        WALLET_AUTHORIZED: [
          { guard: approvedForDue, target: '#checkout.committing', actions: commitWallet },
          { guard: resultIs('approved'), target: 'failed', actions: failWith('AMOUNT_MISMATCH') },
          { guard: samePayment, target: 'failed', actions: failWith(reasonOf) },
        ],
        WALLET_AUTHORIZE_FAILED: { guard: samePayment, target: 'unresolved' },
      },
    },
    /** The cloud's answer was lost: ask again with the same key, or settle it to leave. */
    unresolved: {
      on: {
        ...leaveViaCancel,
        WALLET_RETRY: {
          guard: ({ context }) => context.wallet.code !== null,
          target: 'authorizing',
        },
      },
    },
    cancelling: {
      entry: emit((c) =>
        c.wallet.payment ? { type: 'wallet.cancel', paymentId: c.wallet.payment.paymentId } : null,
      ),
      on: {
        PAY_CASH: { actions: setLeave('cash') },
        PAY_CARD: { actions: setLeave('card') },
        PAY_PALM: { actions: setLeave('palm') },
        BACK: { actions: setLeave('scanning') },
        WALLET_AUTHORIZED: [
          { guard: approvedForDue, target: '#checkout.committing', actions: commitWallet },
          { guard: resultIs('declined', 'refused-offline'), target: 'settled' },
        ],
        WALLET_CANCELLED: [
          { guard: approvedForDue, target: '#checkout.committing', actions: commitWallet },
          { guard: resultIs('cancelled', 'declined'), target: 'settled' },
        ],
        WALLET_CANCEL_FAILED: { guard: samePayment, target: 'unresolved' },
      },
    },
    /** Transient: over without money taken; go where the cashier asked. */
    settled: {
      always: afterSettled.map((t) => ({ ...t, actions: [closeWallet, ...t.actions] })),
    },
    /** Declined, expired, reused or offline: say why; a fresh code may be scanned. */
    failed: {
      on: {
        WALLET_CODE: [
          { guard: validCode, target: 'authorizing', actions: startWallet },
          { actions: update((c) => walletWith(c, { notice: 'not-a-code' })) },
        ],
      },
    },
  },
});
