import type { OfflineRefusal } from '../../../common/checkout/ports';
import type { OfflineLimits } from '../../../common/offline-payments';
import type { Money } from '../../../common/money';
import type { ShardRecord } from '../../../common/shard/format';

/**
 * The lane's store-and-forward limits for one palm payment, checked before it is stored (the
 * cloud checks the same again when it syncs, with the limits as they stood): the store's limit
 * per payment, the store's cap on what this lane holds unsettled, and the shopper's own limits
 * from their shard record — per payment, and per day counting what this lane stored for them
 * in the last 24 h. Square and Stripe Terminal keep offline payments within the same kinds of
 * limit; over any of them the lane needs the network ("palm pay needs the network…").
 */

/** Used until the lane has pulled its store's settings: 100.00 a payment, 500.00 held, 24 h. */
export const DEFAULT_OFFLINE_LIMITS: OfflineLimits = {
  perPaymentLimit: 10_000,
  totalStoredCap: 50_000,
  maxAgeHours: 24,
};

/** Stored payments must reach the cloud within a day (issue 11), however long the store allows. */
export const MAX_STORED_AGE_HOURS = 24;

export interface OfflineCheck {
  readonly amount: Money;
  /** The store's currency: a stored payment in another is never taken. */
  readonly storeCurrency: string;
  readonly limits: OfflineLimits;
  /** The matched record's own limits; null when the match named no shopper. */
  readonly shopperLimits: ShardRecord['limits'] | null;
  /** Stored payments this lane holds not yet settled by the cloud (minor units). */
  readonly laneUnsettled: number;
  /** What this lane stored for this shopper in the last 24 h (minor units). */
  readonly shopperToday: number;
}

/** The first limit the payment would break, or null when it may be stored. */
export function offlineRefusal(c: OfflineCheck): OfflineRefusal | null {
  const amount = c.amount.amount;
  if (c.limits.perPaymentLimit <= 0 || c.limits.totalStoredCap <= 0 || c.shopperLimits === null)
    return 'offline-disabled';
  if (c.amount.currency !== c.storeCurrency || amount <= 0) return 'offline-disabled';
  // A record's limits in another currency say nothing about this one; the store's still hold.
  const own = c.shopperLimits.currency === c.amount.currency ? c.shopperLimits : null;
  if (amount > c.limits.perPaymentLimit || (own && amount > own.perPayment))
    return 'over-payment-limit';
  if (c.laneUnsettled + amount > c.limits.totalStoredCap) return 'over-stored-total';
  if (own && c.shopperToday + amount > own.perDay) return 'over-shopper-daily';
  return null;
}
