import {
  activeLines,
  addProduct,
  cartTotals,
  emptyCart,
  setQuantity,
  voidLine,
  type Cart,
  type CartLine,
} from '../cart';
import { isDomainError } from '../errors';
import { HostError, isFinalCardState, type CardPaymentUpdate } from '../host/contract';
import type { Money } from '../money';
import type { CheckoutEvent } from './checkout-events';
import type {
  CardAttempt,
  CheckoutContext,
  CheckoutDraft,
  CheckoutInput,
  PalmContext,
  Problem,
  WalletContext,
} from './types';

/** Pure helpers over the checkout context: the machine's assigns and guards call these. */

export function freshPalm(settings: CheckoutInput['palm']): PalmContext {
  return {
    captureId: 0,
    guidance: null,
    notice: null,
    failures: 0,
    pauses: 0,
    paused: false,
    candidate: null,
    capture: null,
    stepUpTriesLeft: settings?.stepUpTries ?? 0,
    stepUpRound: 0,
    stepUpPassed: false,
    payment: null,
    fallback: null,
    blocked: null,
    reason: null,
  };
}

export const FRESH_WALLET: WalletContext = {
  payment: null,
  code: null,
  notice: null,
  reason: null,
};

export function initialContext(input: CheckoutInput): CheckoutContext {
  if (!/^[A-Za-z0-9_-]{8,40}$/.test(input.instanceId))
    throw new RangeError('instanceId must be 8–40 URL-safe characters');
  return {
    instanceId: input.instanceId,
    seq: 0,
    currency: input.currency,
    tax: input.tax,
    cardWatchdogMs: input.cardWatchdogMs,
    palmSettings: input.palm,
    saleId: input.saleId,
    startedAt: input.startedAt,
    cart: emptyCart(input.currency),
    ageCheckedFor: 0,
    palmAgeVerifiedFor: 0,
    cartProblem: null,
    due: null,
    paid: [],
    handBack: null,
    cashProblem: null,
    card: null,
    leaveTo: null,
    scannerState: 'unknown',
    palm: freshPalm(input.palm),
    wallet: FRESH_WALLET,
    tenders: null,
    commitProblem: null,
    receipt: null,
  };
}

/** A fresh sale on the same lane: only the lane's own settings and id counter carry over. */
export function newSaleContext(c: CheckoutContext, saleId: string, startedAt: string) {
  return {
    ...c,
    saleId,
    startedAt,
    cart: emptyCart(c.currency),
    ageCheckedFor: 0,
    palmAgeVerifiedFor: 0,
    cartProblem: null,
    due: null,
    paid: [],
    handBack: null,
    cashProblem: null,
    card: null,
    leaveTo: null,
    palm: freshPalm(c.palmSettings),
    wallet: FRESH_WALLET,
    tenders: null,
    commitProblem: null,
    receipt: null,
  } satisfies CheckoutContext;
}

/** A draft fits this lane only in its currency and with something on it. */
export function usableDraft(c: CheckoutContext, d: CheckoutDraft | null): d is CheckoutDraft {
  return d !== null && d.cart.currency === c.currency && d.cart.lines.length > 0;
}

export function restoreDraft(c: CheckoutContext, d: CheckoutDraft): CheckoutContext {
  return {
    ...c,
    saleId: d.saleId,
    startedAt: d.startedAt,
    cart: d.cart,
    ageCheckedFor: d.ageCheckedFor,
    paid: d.paidCash ?? [],
    card: d.pendingCardPaymentId
      ? {
          paymentId: d.pendingCardPaymentId,
          update: null,
          open: true,
          problem: null,
          awaitingBegin: false,
        }
      : null,
    // The capture is gone with the page: the authorization can only be settled, not retried.
    palm: d.pendingPalmPaymentId
      ? { ...c.palm, payment: { paymentId: d.pendingPalmPaymentId, open: true } }
      : c.palm,
    wallet: d.pendingWalletPaymentId
      ? { ...FRESH_WALLET, payment: { paymentId: d.pendingWalletPaymentId, open: true } }
      : FRESH_WALLET,
    leaveTo: d.pendingPalmPaymentId || d.pendingWalletPaymentId ? 'scanning' : null,
  };
}

export function total(c: Pick<CheckoutContext, 'cart' | 'tax'>): Money {
  return cartTotals(c.cart, c.tax).total;
}

/** Cash already tendered toward the sale (part payments). */
export const paidSum = (c: Pick<CheckoutContext, 'paid'>): number =>
  c.paid.reduce((n, t) => n + t.amount.amount, 0);

/** What the next tender must pay: the total less the part payments. */
export function remaining(c: Pick<CheckoutContext, 'cart' | 'tax' | 'paid'>): Money {
  const t = total(c);
  return { amount: t.amount - paidSum(c), currency: t.currency };
}

/**
 * Leaving the tender for the cart: part payments are handed back (the cash is still in the
 * cashier's hand; the drawer opens only once the sale is written), and the view says how much.
 */
export function handBackParts(c: CheckoutContext): Pick<CheckoutContext, 'paid' | 'handBack'> {
  const sum = paidSum(c);
  return {
    paid: [],
    handBack: sum > 0 ? { amount: sum, currency: c.currency } : c.handBack,
  };
}

export const hasItems = (c: CheckoutContext): boolean => activeLines(c.cart).length > 0;

/**
 * The line the cashier must check ID for: of the active lines whose minimum age neither the
 * cashier nor a palm shopper's verified record covers, the strictest (latest among equals).
 * Derived, never stored: confirming covers every line up to that age, and another stricter line
 * asks again, so no restricted line is ever sold unchecked.
 */
export function pendingAgeLine(c: CheckoutContext): CartLine | null {
  const covered = Math.max(c.ageCheckedFor, c.palmAgeVerifiedFor);
  let found: CartLine | null = null;
  for (const l of activeLines(c.cart)) {
    if (l.minimumAge > covered && (!found || l.minimumAge >= found.minimumAge)) found = l;
  }
  return found;
}

/** Any thrown value as a Problem (DomainError and HostError keep their codes). */
export function problemOf(e: unknown): Problem {
  if (isDomainError(e)) return { code: e.code, message: e.message, details: e.details };
  if (e instanceof HostError) return { code: e.code, message: e.message };
  if (e instanceof Error) return { code: 'INTERNAL', message: e.message };
  return { code: 'INTERNAL', message: String(e) };
}

/** Applies a cart edit; a refused one (bad quantity, unknown line) changes nothing but says why. */
export function editCart(
  c: CheckoutContext,
  e: Extract<CheckoutEvent, { type: 'ADD_PRODUCT' | 'SET_QUANTITY' | 'VOID_LINE' }>,
): Pick<CheckoutContext, 'cart' | 'cartProblem'> {
  try {
    let cart: Cart;
    if (e.type === 'ADD_PRODUCT') cart = addProduct(c.cart, e.product, e.lineId, e.quantity);
    else if (e.type === 'SET_QUANTITY') cart = setQuantity(c.cart, e.lineId, e.quantity);
    else cart = voidLine(c.cart, e.lineId);
    return { cart, cartProblem: null };
  } catch (err) {
    return { cart: c.cart, cartProblem: problemOf(err) };
  }
}

export const SALE_LOCKED: Problem = {
  code: 'SALE_LOCKED',
  message: 'Finish or cancel the payment before changing the sale',
};

/** Payment ids: the instance id plus a counter (unique per page load, 8–64 URL-safe chars). */
export function nextId(c: CheckoutContext, kind: 'c' | 'p' | 'w'): { id: string; seq: number } {
  const seq = c.seq + 1;
  return { id: `${c.instanceId}${kind}${seq.toString(36)}`, seq };
}

export function newCardAttempt(c: CheckoutContext): Pick<CheckoutContext, 'card' | 'seq'> {
  const { id, seq } = nextId(c, 'c');
  return {
    seq,
    card: { paymentId: id, update: null, open: true, problem: null, awaitingBegin: false },
  };
}

export const isCurrentCard = (c: CheckoutContext, paymentId: string): boolean =>
  c.card !== null && c.card.paymentId === paymentId;

/** Records a terminal update on the current attempt; final states close it. */
export function withCardUpdate(u: CardPaymentUpdate): CardAttempt {
  return {
    paymentId: u.paymentId,
    update: u,
    open: !isFinalCardState(u.state),
    problem: null,
    awaitingBegin: false,
  };
}

export const cardApprovedForDue = (c: CheckoutContext, u: CardPaymentUpdate): boolean =>
  u.state === 'approved' &&
  c.due !== null &&
  u.amount.amount === c.due.amount &&
  u.amount.currency === c.due.currency &&
  /^\d{4}$/.test(u.last4 ?? '');

/** The card tender for an approved update. */
export function cardTender(u: CardPaymentUpdate) {
  return {
    kind: 'card' as const,
    amount: u.amount,
    paymentId: u.paymentId,
    authCode: u.authCode ?? '',
    brand: u.brand ?? 'Card',
    last4: u.last4 ?? '',
  };
}

/** Whether a card payment may still be live at the terminal. */
export const cardInFlight = (c: CheckoutContext): boolean => c.card?.open === true;

/** Whether a palm authorization may still be in progress at the cloud. */
export const palmInFlight = (c: CheckoutContext): boolean => c.palm.payment?.open === true;

/** Whether a wallet authorization may still be in progress at the cloud. */
export const walletInFlight = (c: CheckoutContext): boolean => c.wallet.payment?.open === true;

/**
 * What the drafts table should hold for this context: the sale in progress (null when its cart
 * is empty, which clears the draft). The pending card id is kept from begin until the sale is
 * committed, so a reload between approval and commit still completes the sale.
 */
export function draftOf(c: CheckoutContext): CheckoutDraft | null {
  if (c.cart.lines.length === 0) return null;
  const approved = c.card?.update?.state === 'approved';
  const pending = c.card && (c.card.open || approved) ? c.card.paymentId : undefined;
  const palm = c.palm.payment?.open ? c.palm.payment.paymentId : undefined;
  const wallet = c.wallet.payment?.open ? c.wallet.payment.paymentId : undefined;
  return {
    saleId: c.saleId,
    startedAt: c.startedAt,
    cart: c.cart,
    ageCheckedFor: c.ageCheckedFor,
    ...(pending ? { pendingCardPaymentId: pending } : {}),
    ...(palm ? { pendingPalmPaymentId: palm } : {}),
    ...(wallet ? { pendingWalletPaymentId: wallet } : {}),
    ...(c.paid.length > 0 ? { paidCash: c.paid } : {}),
  };
}
