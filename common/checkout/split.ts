import type { Money } from '../money';
import type { CheckoutEvent } from './checkout-events';
import { assignOn } from './setup';
import type { CheckoutContext, Problem } from './types';

/**
 * Split tender: part of the amount due in cash, the rest by the next tender (card, palm, wallet
 * or more cash). A part payment is the cash handed over, all of it applied: it never gives
 * change (only the tender that settles the sale does, and only cash), so it must be less than
 * what is due — cash covering it all is the ordinary CASH_GIVEN.
 */

const isPart = (c: CheckoutContext, given: Money): boolean =>
  c.due !== null &&
  given.currency === c.due.currency &&
  Number.isSafeInteger(given.amount) &&
  given.amount > 0 &&
  given.amount < c.due.amount;

export const validPart = ({ context, event }: { context: CheckoutContext; event: CheckoutEvent }) =>
  event.type === 'CASH_PART' && isPart(context, event.given);

export const cashPart = assignOn('CASH_PART', (c, e) => ({
  cashProblem: null,
  paid: [
    ...c.paid,
    {
      kind: 'cash',
      amount: e.given,
      given: e.given,
      change: { amount: 0, currency: e.given.currency },
    },
  ],
  due: { amount: c.due!.amount - e.given.amount, currency: c.due!.currency },
}));

export function partProblem(c: CheckoutContext, given: Money): Problem {
  if (c.due && given.currency !== c.due.currency)
    return { code: 'CURRENCY_MISMATCH', message: 'Cash is in another currency' };
  return {
    code: 'CASH_PART_INVALID',
    message: 'A part payment must be more than nothing and less than the amount due',
    details: { given: given.amount, total: c.due?.amount ?? 0 },
  };
}
