import { cartTotals, type CartLine, type CartTotals } from './cart';
import { isDomainError } from './errors';
import type { CurrencyCode, Money } from './money';
import type { Sale, Tender } from './sale';
import type { TaxPolicy } from './tax';

/**
 * The one re-derivation of a sale's money, used by the lane before it writes a sale and by the
 * cloud before it counts one: lines × prices → subtotal, tax and total with the store's own tax
 * rules (common/cart.ts, common/tax.ts), and tenders that pay exactly that. The cloud never
 * believes a lane's figures; it recomputes them here and compares.
 */

/** The store's rules a sale is checked against: never taken from the sale itself. */
export interface SaleRules {
  readonly currency: CurrencyCode;
  readonly tax: TaxPolicy;
  /** Latest acceptable `completedAt` (ms since 1970): the checker's clock plus the allowed skew. */
  readonly notAfter?: number;
}

/** What the check reads; a sale being completed has no receipt number yet. */
export type SaleFigures = Pick<
  Sale,
  'currency' | 'lines' | 'totals' | 'tenders' | 'startedAt' | 'completedAt'
>;

export type SaleProblemCode =
  | 'CURRENCY'
  | 'LINES'
  | 'TOTALS'
  | 'TAX'
  | 'TENDER_AMOUNT'
  | 'TENDERS_TOTAL'
  | 'CASH_TOO_LOW'
  | 'CASH_CHANGE'
  | 'TIME';

export interface SaleProblem {
  readonly code: SaleProblemCode;
  readonly message: string;
}

const problem = (code: SaleProblemCode, message: string): SaleProblem => ({ code, message });

/** Every money value a sale carries, named for the reason text. */
function moneyFields(sale: SaleFigures): [string, Money][] {
  const fields: [string, Money][] = [
    ['subtotal', sale.totals.subtotal],
    ['tax', sale.totals.tax],
    ['total', sale.totals.total],
  ];
  sale.lines.forEach((l, i) => fields.push([`line ${i + 1} price`, l.unitPrice]));
  sale.totals.breakdown.forEach((b) => {
    fields.push([`${b.taxClass} tax base`, b.base], [`${b.taxClass} tax`, b.tax]);
  });
  sale.tenders.forEach((t, i) => {
    fields.push([`tender ${i + 1}`, t.amount]);
    if (t.kind === 'cash')
      fields.push([`tender ${i + 1} given`, t.given], [`tender ${i + 1} change`, t.change]);
  });
  return fields;
}

function checkLines(lines: readonly CartLine[]): SaleProblem | null {
  if (!lines.some((l) => !l.voided)) return problem('LINES', 'the sale has no items');
  const ids = new Set<string>();
  for (const [i, l] of lines.entries()) {
    if (ids.has(l.lineId)) return problem('LINES', `line id ${l.lineId} appears twice`);
    ids.add(l.lineId);
    if (l.unitPrice.amount < 0) return problem('LINES', `line ${i + 1} has a negative price`);
  }
  return null;
}

function derive(sale: SaleFigures, rules: SaleRules): CartTotals | SaleProblem {
  try {
    return cartTotals({ currency: rules.currency, lines: sale.lines }, rules.tax);
  } catch (e) {
    if (isDomainError(e)) return problem('TOTALS', `the lines cannot be totalled: ${e.message}`);
    throw e;
  }
}

function compareTotals(
  claimed: CartTotals,
  derived: CartTotals,
  tax: TaxPolicy,
): SaleProblem | null {
  if (claimed.total.amount < 0) return problem('TOTALS', `the total is negative`);
  if (claimed.subtotal.amount !== derived.subtotal.amount) {
    return problem(
      'TOTALS',
      `the lines add up to ${derived.subtotal.amount}, the sale says subtotal ${claimed.subtotal.amount}`,
    );
  }
  for (const row of claimed.breakdown) {
    const rate = tax.rates[row.taxClass];
    if (row.rateBasisPoints !== rate) {
      return problem(
        'TAX',
        `${row.taxClass} tax at ${row.rateBasisPoints} basis points; the store's rate is ${rate}`,
      );
    }
  }
  if (claimed.tax.amount !== derived.tax.amount) {
    return problem(
      'TAX',
      `tax is ${claimed.tax.amount}; the store's rates on these lines give ${derived.tax.amount}`,
    );
  }
  if (claimed.total.amount !== derived.total.amount) {
    const how = tax.pricesIncludeTax ? 'the subtotal (prices include tax)' : 'subtotal + tax';
    return problem(
      'TOTALS',
      `the total is ${claimed.total.amount}, ${how} is ${derived.total.amount}`,
    );
  }
  const rows = (b: CartTotals['breakdown']) =>
    JSON.stringify(b.map((r) => [r.taxClass, r.rateBasisPoints, r.base.amount, r.tax.amount]));
  if (rows(claimed.breakdown) !== rows(derived.breakdown)) {
    return problem('TAX', `the tax breakdown is not what the lines give`);
  }
  if (claimed.itemCount !== derived.itemCount) {
    return problem(
      'TOTALS',
      `item count is ${claimed.itemCount}, the lines hold ${derived.itemCount}`,
    );
  }
  return null;
}

/**
 * Tenders pay the total exactly: every amount positive; cash given at least the amount applied,
 * with change exactly given − amount. A split tender (part cash, the rest by another tender)
 * gives change only from the last tender, the one that settles the sale, and only in cash: a
 * part payment is all applied. Currencies are checked by checkSale.
 */
export function checkTenders(tenders: readonly Tender[], total: Money): SaleProblem | null {
  if (tenders.length === 0) return problem('TENDERS_TOTAL', 'the sale has no tenders');
  let paid = 0;
  for (const [i, t] of tenders.entries()) {
    const n = i + 1;
    if (t.amount.amount <= 0)
      return problem('TENDER_AMOUNT', `tender ${n} is not a positive amount`);
    if (t.kind === 'cash') {
      if (t.given.amount < t.amount.amount) {
        return problem(
          'CASH_TOO_LOW',
          `cash given (${t.given.amount}) is less than the amount due (${t.amount.amount})`,
        );
      }
      if (t.change.amount !== t.given.amount - t.amount.amount) {
        return problem(
          'CASH_CHANGE',
          `change is ${t.change.amount}; given ${t.given.amount} − amount ${t.amount.amount} is ${t.given.amount - t.amount.amount}`,
        );
      }
      if (t.change.amount > 0 && n !== tenders.length) {
        return problem(
          'CASH_CHANGE',
          `tender ${n} gives change; only the last tender, which settles the sale, may`,
        );
      }
    }
    paid += t.amount.amount;
  }
  if (paid !== total.amount) {
    return problem('TENDERS_TOTAL', `tenders add up to ${paid}, the total is ${total.amount}`);
  }
  return null;
}

function checkTimes(sale: SaleFigures, notAfter: number | undefined): SaleProblem | null {
  const started = Date.parse(sale.startedAt);
  const completed = Date.parse(sale.completedAt);
  if (Number.isNaN(started) || Number.isNaN(completed)) {
    return problem('TIME', 'startedAt and completedAt must be dates');
  }
  if (started > completed) return problem('TIME', 'the sale was started after it was completed');
  if (notAfter !== undefined && completed > notAfter) {
    return problem(
      'TIME',
      `completed at ${sale.completedAt}, later than the checker's clock allows`,
    );
  }
  return null;
}

/**
 * Checks a sale against the store's rules and returns its first problem, or null when the money
 * adds up. Order: currency, lines, the re-derived totals and tax, tenders, times.
 */
export function checkSale(sale: SaleFigures, rules: SaleRules): SaleProblem | null {
  if (sale.currency !== rules.currency) {
    return problem(
      'CURRENCY',
      `the sale is in ${sale.currency}; the store sells in ${rules.currency}`,
    );
  }
  for (const [name, m] of moneyFields(sale)) {
    if (m.currency !== rules.currency) {
      return problem(
        'CURRENCY',
        `${name} is in ${m.currency}; the store sells in ${rules.currency}`,
      );
    }
  }
  const derived = derive(sale, rules);
  return (
    checkLines(sale.lines) ??
    ('code' in derived ? derived : compareTotals(sale.totals, derived, rules.tax)) ??
    checkTenders(sale.tenders, sale.totals.total) ??
    checkTimes(sale, rules.notAfter)
  );
}

/**
 * What a payment taking the rest of a split sale may charge: the total the lines come to under
 * the store's rules (the caller derives it with cartTotals) less the cash tendered before it.
 * Each part must be cash, positive, all applied (given = amount, no change), and together less
 * than the total, so the payment itself is positive. Returns the amount or the problem.
 */
export function remainderAfter(
  parts: readonly Tender[],
  total: Money,
): { readonly due: Money } | SaleProblem {
  let paid = 0;
  for (const [i, t] of parts.entries()) {
    const n = i + 1;
    if (t.kind !== 'cash')
      return problem('TENDER_AMOUNT', `part ${n} is ${t.kind}; only cash is paid in part`);
    if (t.amount.currency !== total.currency || t.given.currency !== total.currency)
      return problem('CURRENCY', `part ${n} is in another currency than the sale`);
    if (t.amount.amount <= 0) return problem('TENDER_AMOUNT', `part ${n} is not a positive amount`);
    if (t.given.amount !== t.amount.amount || t.change.amount !== 0)
      return problem('CASH_CHANGE', `part ${n} gives change; a part payment is all applied`);
    paid += t.amount.amount;
  }
  if (paid >= total.amount)
    return problem('TENDERS_TOTAL', `parts add up to ${paid}, leaving nothing of ${total.amount}`);
  return { due: { amount: total.amount - paid, currency: total.currency } };
}
