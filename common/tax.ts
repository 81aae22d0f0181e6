import { DomainError } from './errors';
import { divRoundHalfAwayFromZero, money, type CurrencyCode, type Money } from './money';

/** Tax classes a product may carry; each store maps them to a rate. */
export const TAX_CLASSES = ['standard', 'reduced', 'exempt'] as const;
export type TaxClass = (typeof TAX_CLASSES)[number];

/**
 * How a store taxes:
 * - `rates` are basis points (825 = 8.25 %), so rates stay integers too;
 * - `pricesIncludeTax`: shelf prices are gross (EU VAT, Korean VAT) or net (US sales tax);
 * - `rounding`: `per-line` rounds each line's tax, `per-total` sums each class's base first and
 *   rounds once per class. The two can differ by a minor unit per line; stores pick the one their
 *   tax authority requires.
 * Every rounding is half away from zero.
 */
export interface TaxPolicy {
  readonly rates: Readonly<Record<TaxClass, number>>;
  readonly pricesIncludeTax: boolean;
  readonly rounding: 'per-line' | 'per-total';
}

export interface TaxableLine {
  readonly amount: Money; // price × quantity, as shelf prices are written (net or gross)
  readonly taxClass: TaxClass;
}

export interface TaxBreakdownRow {
  readonly taxClass: TaxClass;
  readonly rateBasisPoints: number;
  readonly base: Money; // the line amounts of this class, as written
  readonly tax: Money;
}

export interface TaxResult {
  readonly subtotal: Money; // sum of line amounts as written
  readonly tax: Money;
  readonly total: Money; // what the customer pays
  readonly breakdown: readonly TaxBreakdownRow[];
}

export function validateTaxPolicy(policy: TaxPolicy): void {
  for (const c of TAX_CLASSES) {
    const r = policy.rates[c];
    if (!Number.isInteger(r) || r < 0 || r > 10_000) {
      throw new DomainError('INVALID_TAX_RATE', `Tax rate for ${c} must be 0–10000 basis points`, {
        taxClass: c,
      });
    }
  }
}

/** Tax on one amount at a rate, for net (tax added) or gross (tax contained) prices. */
export function taxOn(amount: Money, rateBasisPoints: number, pricesIncludeTax: boolean): Money {
  const a = BigInt(amount.amount);
  const r = BigInt(rateBasisPoints);
  const tax = pricesIncludeTax
    ? divRoundHalfAwayFromZero(a * r, 10_000n + r)
    : divRoundHalfAwayFromZero(a * r, 10_000n);
  return money(Number(tax), amount.currency);
}

export function computeTax(
  lines: readonly TaxableLine[],
  policy: TaxPolicy,
  currency: CurrencyCode,
): TaxResult {
  validateTaxPolicy(policy);
  const byClass = new Map<TaxClass, { base: number; tax: number }>();
  for (const line of lines) {
    if (line.amount.currency !== currency) {
      throw new DomainError(
        'CURRENCY_MISMATCH',
        `Line in ${line.amount.currency}, cart in ${currency}`,
      );
    }
    const row = byClass.get(line.taxClass) ?? { base: 0, tax: 0 };
    row.base = money(row.base + line.amount.amount, currency).amount;
    if (policy.rounding === 'per-line') {
      const t = taxOn(line.amount, policy.rates[line.taxClass], policy.pricesIncludeTax);
      row.tax = money(row.tax + t.amount, currency).amount;
    }
    byClass.set(line.taxClass, row);
  }
  const breakdown: TaxBreakdownRow[] = [];
  let subtotal = 0;
  let tax = 0;
  for (const taxClass of TAX_CLASSES) {
    const row = byClass.get(taxClass);
    if (!row) continue;
    const rate = policy.rates[taxClass];
    const rowTax =
      policy.rounding === 'per-total'
        ? taxOn(money(row.base, currency), rate, policy.pricesIncludeTax).amount
        : row.tax;
    breakdown.push({
      taxClass,
      rateBasisPoints: rate,
      base: money(row.base, currency),
      tax: money(rowTax, currency),
    });
    subtotal = money(subtotal + row.base, currency).amount;
    tax = money(tax + rowTax, currency).amount;
  }
  const total = policy.pricesIncludeTax ? subtotal : money(subtotal + tax, currency).amount;
  return {
    subtotal: money(subtotal, currency),
    tax: money(tax, currency),
    total: money(total, currency),
    breakdown,
  };
}
