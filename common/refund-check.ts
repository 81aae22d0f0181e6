import { cartTotals, type CartLine } from './cart';
import { isDomainError } from './errors';
import type { Money } from './money';
import type { Sale } from './sale';
import type { TaxPolicy } from './tax';

/**
 * Refunds: money paid back on an earlier sale. A refund never exceeds what is left of the sale
 * (its total less earlier refunds), never pays back more in one tender kind than the sale took
 * in it (a card sale refunded in cash is the classic refund fraud), and a refund of lines costs
 * what those lines cost under the store's tax rules, re-derived with the same cart and tax code
 * as the sale.
 */

export type RefundTender = 'cash' | 'card' | 'palm';

export interface RefundLine {
  readonly lineId: string;
  readonly quantity: number;
}

export interface Refund {
  readonly refundId: string;
  readonly saleId: string;
  readonly amount: Money;
  readonly lines?: readonly RefundLine[] | undefined;
  readonly tender: RefundTender;
  readonly refundedAt: string;
}

/** A refund already recorded against the same sale. */
export interface EarlierRefund {
  readonly amount: number;
  readonly tender: RefundTender;
  readonly lines?: readonly RefundLine[] | null | undefined;
}

export interface RefundRules {
  /** The store's tax rules the sale was made under. */
  readonly tax: TaxPolicy;
  /** Latest acceptable `refundedAt` (ms since 1970): the checker's clock plus the skew. */
  readonly notAfter: number;
  /** How far one lane's clock may trail another's (a refund dated just before its sale). */
  readonly maxSkewMs: number;
}

type RefundedSale = Pick<Sale, 'id' | 'currency' | 'lines' | 'totals' | 'tenders' | 'completedAt'>;

/** The first reason a refund may not be counted, or null when it keeps within the sale. */
export function checkRefund(
  refund: Refund,
  sale: RefundedSale,
  earlier: readonly EarlierRefund[],
  rules: RefundRules,
): string | null {
  const amount = refund.amount.amount;
  if (refund.amount.currency !== sale.currency) {
    return `refund in ${refund.amount.currency}; sale ${sale.id} was in ${sale.currency}`;
  }
  if (amount <= 0) return 'a refund must be a positive amount';
  const at = Date.parse(refund.refundedAt);
  if (at > rules.notAfter)
    return `refunded at ${refund.refundedAt}, later than the cloud's clock allows`;
  if (at < Date.parse(sale.completedAt) - rules.maxSkewMs) {
    return `refunded at ${refund.refundedAt}, before sale ${sale.id} was completed`;
  }
  const left = sale.totals.total.amount - earlier.reduce((n, r) => n + r.amount, 0);
  if (amount > left) return `refund of ${amount} is more than the ${left} left of sale ${sale.id}`;
  const taken =
    sale.tenders.filter((t) => t.kind === refund.tender).reduce((n, t) => n + t.amount.amount, 0) -
    earlier.filter((r) => r.tender === refund.tender).reduce((n, r) => n + r.amount, 0);
  if (amount > taken) {
    return `refund of ${amount} in ${refund.tender} is more than the ${taken} sale ${sale.id} took in ${refund.tender}`;
  }
  return refund.lines
    ? checkRefundLines(refund.lines, amount, left, sale, earlier, rules.tax)
    : null;
}

function checkRefundLines(
  lines: readonly RefundLine[],
  amount: number,
  left: number,
  sale: RefundedSale,
  earlier: readonly EarlierRefund[],
  tax: TaxPolicy,
): string | null {
  const refunded = new Map<string, number>();
  for (const r of earlier) {
    for (const l of r.lines ?? [])
      refunded.set(l.lineId, (refunded.get(l.lineId) ?? 0) + l.quantity);
  }
  const seen = new Set<string>();
  const back: CartLine[] = [];
  for (const l of lines) {
    if (seen.has(l.lineId)) return `line ${l.lineId} appears twice in the refund`;
    seen.add(l.lineId);
    const line = sale.lines.find((s) => s.lineId === l.lineId && !s.voided);
    if (!line) return `sale ${sale.id} has no line ${l.lineId}`;
    const before = refunded.get(l.lineId) ?? 0;
    if (before + l.quantity > line.quantity) {
      return `line ${l.lineId}: ${before + l.quantity} refunded of ${line.quantity} sold`;
    }
    refunded.set(l.lineId, before + l.quantity);
    back.push({ ...line, quantity: l.quantity });
  }
  let derived: number;
  try {
    derived = cartTotals({ currency: sale.currency, lines: back }, tax).total.amount;
  } catch (e) {
    if (isDomainError(e)) return `the refunded lines cannot be totalled: ${e.message}`;
    throw e;
  }
  // Refunding the last of every line pays back exactly what is left: per-total tax rounding on
  // parts may differ from the whole by a minor unit, and the customer gets the sale's own total.
  const everything = sale.lines.every((s) => s.voided || refunded.get(s.lineId) === s.quantity);
  const expected = everything ? left : derived;
  if (amount !== expected) {
    return `refund of ${amount} for these lines; they cost ${expected}${everything ? ' (what is left of the sale)' : ''}`;
  }
  return null;
}
