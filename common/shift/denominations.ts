import { DomainError } from '../errors';
import { MAX_AMOUNT, type CurrencyCode } from '../money';

/**
 * The notes and coins a till holds, per currency, in minor units, largest first. A drawer is
 * counted by denomination (how many of each), never typed as one total, so a miscount can be
 * traced to the tray it came from.
 */
export const DENOMINATIONS: Readonly<Record<CurrencyCode, readonly number[]>> = {
  USD: [10000, 5000, 2000, 1000, 500, 200, 100, 25, 10, 5, 1],
  EUR: [50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1],
  GBP: [5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1],
  KRW: [50000, 10000, 5000, 1000, 500, 100, 50, 10],
  JPY: [10000, 5000, 2000, 1000, 500, 100, 50, 10, 5, 1],
};

/** How many of one note or coin were counted. */
export interface DenominationCount {
  readonly value: number;
  readonly count: number;
}

/** The most of one denomination a drawer count may name (a bank bag of coins, not a typo's 10^9). */
export const MAX_DENOMINATION_COUNT = 100_000;

/**
 * The counted cash: Σ value × count. Throws for a value the currency does not have, a count that
 * is not a whole number from 0 to MAX_DENOMINATION_COUNT, or a denomination named twice.
 */
export function countedTotal(currency: CurrencyCode, counts: readonly DenominationCount[]): number {
  const known = DENOMINATIONS[currency];
  const seen = new Set<number>();
  let total = 0;
  for (const c of counts) {
    if (!known.includes(c.value)) {
      throw new DomainError('BAD_COUNT', `${currency} has no ${c.value} note or coin`);
    }
    if (seen.has(c.value)) throw new DomainError('BAD_COUNT', `${c.value} is counted twice`);
    seen.add(c.value);
    if (!Number.isInteger(c.count) || c.count < 0 || c.count > MAX_DENOMINATION_COUNT) {
      throw new DomainError(
        'BAD_COUNT',
        `the count of ${c.value} must be a whole number from 0 to ${MAX_DENOMINATION_COUNT}`,
      );
    }
    total += c.value * c.count;
  }
  if (total > MAX_AMOUNT) throw new DomainError('BAD_COUNT', 'the counted cash is out of range');
  return total;
}
