import { cartTotals, type CartLine } from '../../common/cart';
import { isDomainError } from '../../common/errors';
import type { CurrencyCode, Money } from '../../common/money';
import type { CashTender } from '../../common/sale';
import { remainderAfter } from '../../common/sale-check';
import type { TaxPolicy } from '../../common/tax';
import { decline, type Finding } from './decline';

/**
 * The amount a palm (or wallet) payment may charge: what the sale's lines cost under the
 * store's own currency and tax (common/cart.ts, the code the lane totals with), never what the
 * lane says, less the cash tendered before it in a split sale (common/sale-check.ts). The
 * payment pays the rest of the sale, exactly.
 */
export function checkAmount(
  amount: Money,
  lines: readonly CartLine[],
  rules: { readonly currency: CurrencyCode; readonly tax: TaxPolicy },
  paidBefore: readonly CashTender[] = [],
): Finding | null {
  if (amount.currency !== rules.currency)
    return decline(
      'CURRENCY_MISMATCH',
      `the payment is in ${amount.currency}; the store takes ${rules.currency}`,
    );
  const foreign = lines.find((l) => l.unitPrice.currency !== rules.currency);
  if (foreign)
    return decline(
      'CURRENCY_MISMATCH',
      `line ${foreign.lineId} is priced in ${foreign.unitPrice.currency}; the store sells in ${rules.currency}`,
    );
  if (lines.some((l) => l.unitPrice.amount < 0))
    return decline('AMOUNT_MISMATCH', 'a line has a negative price');
  if (!lines.some((l) => !l.voided)) return decline('AMOUNT_MISMATCH', 'the sale has no items');
  let total: number;
  try {
    total = cartTotals({ currency: rules.currency, lines }, rules.tax).total.amount;
  } catch (e) {
    if (isDomainError(e))
      return decline('AMOUNT_MISMATCH', `the lines cannot be totalled: ${e.message}`);
    throw e;
  }
  if (total <= 0) return decline('AMOUNT_MISMATCH', 'the sale total is not positive');
  const rest = remainderAfter(paidBefore, { amount: total, currency: rules.currency });
  if ('code' in rest) return decline('AMOUNT_MISMATCH', `the cash parts: ${rest.message}`);
  if (rest.due.amount !== amount.amount)
    return decline(
      'AMOUNT_MISMATCH',
      paidBefore.length > 0
        ? `the lines come to ${total} under the store's rules, ${rest.due.amount} after the cash parts; the payment asks for ${amount.amount}`
        : `the lines come to ${total} under the store's rules; the payment asks for ${amount.amount}`,
    );
  return null;
}
