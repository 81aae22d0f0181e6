import type { CurrencyCode, Money } from './money';
import type { Sale } from './sale';

/**
 * Offline (store-and-forward) payment limits, Square / Stripe Terminal style, configured per
 * store: what one stored payment may be, what one lane may hold unsettled in total, and how old
 * a stored payment may be when it reaches the cloud. Checked by the cloud with the limits as
 * they stood when the payment was taken; the lane will check the same before taking one.
 */
export interface OfflineLimits {
  readonly perPaymentLimit: number;
  readonly totalStoredCap: number;
  readonly maxAgeHours: number;
}

export interface StoredPayment {
  readonly paymentId: string;
  readonly saleId: string;
  readonly method: 'palm' | 'card';
  readonly amount: Money;
  readonly storedAt: string;
}

export interface StoredPaymentContext {
  readonly currency: CurrencyCode;
  /** The limits in force at the payment's `storedAt`. */
  readonly limits: OfflineLimits;
  /** When the payment reached the checker (ms since 1970). */
  readonly receivedAt: number;
  /** How far the lane's clock may run ahead of the checker's. */
  readonly maxSkewMs: number;
  /** The lane's stored payments not yet settled, before this one (minor units). */
  readonly unsettled: number;
  /** The sale the payment paid for, as the checker recorded it; null when it has none. */
  readonly sale: Pick<Sale, 'id' | 'tenders' | 'startedAt' | 'completedAt'> | null;
}

const HOUR_MS = 3_600_000;

/** The first reason a stored payment may not be counted, or null when it keeps to the limits. */
export function checkStoredPayment(p: StoredPayment, ctx: StoredPaymentContext): string | null {
  const { limits } = ctx;
  if (p.amount.currency !== ctx.currency) {
    return `stored payment in ${p.amount.currency}; the store takes ${ctx.currency}`;
  }
  if (p.amount.amount <= 0) return 'a stored payment must be a positive amount';
  if (p.amount.amount > limits.perPaymentLimit) {
    return `stored payment of ${p.amount.amount} is over the store's offline limit of ${limits.perPaymentLimit} a payment`;
  }
  const storedAt = Date.parse(p.storedAt);
  if (storedAt > ctx.receivedAt + ctx.maxSkewMs) {
    return `stored at ${p.storedAt}, later than the cloud's clock allows`;
  }
  const ageHours = (ctx.receivedAt - storedAt) / HOUR_MS;
  if (ageHours > limits.maxAgeHours) {
    return `stored payment is ${ageHours.toFixed(1)} h old; the store accepts at most ${limits.maxAgeHours} h`;
  }
  const sale = ctx.sale;
  if (!sale) return `sale ${p.saleId} is not recorded for this lane`;
  const tender = sale.tenders.find(
    (t) => t.kind === p.method && 'paymentId' in t && t.paymentId === p.paymentId,
  );
  if (!tender) return `sale ${sale.id} has no ${p.method} tender for payment ${p.paymentId}`;
  if (tender.amount.amount !== p.amount.amount) {
    return `sale ${sale.id} took ${tender.amount.amount} for payment ${p.paymentId}, not ${p.amount.amount}`;
  }
  if (
    storedAt < Date.parse(sale.startedAt) - ctx.maxSkewMs ||
    storedAt > Date.parse(sale.completedAt) + ctx.maxSkewMs
  ) {
    return `stored at ${p.storedAt}, outside its sale (${sale.startedAt} to ${sale.completedAt})`;
  }
  if (ctx.unsettled + p.amount.amount > limits.totalStoredCap) {
    return `the lane would hold ${ctx.unsettled + p.amount.amount} in stored payments; the store's cap is ${limits.totalStoredCap}`;
  }
  return null;
}
