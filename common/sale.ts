import type { CartLine, CartTotals } from './cart';
import type { CurrencyCode, Money } from './money';

export interface CashTender {
  readonly kind: 'cash';
  readonly amount: Money; // applied to the sale
  readonly given: Money; // handed over by the customer
  readonly change: Money;
}

export interface CardTender {
  readonly kind: 'card';
  readonly amount: Money;
  readonly paymentId: string;
  readonly authCode: string;
  readonly brand: string;
  readonly last4: string;
}

export type Tender = CashTender | CardTender;

/** A completed sale. Immutable once written: corrections are new records, never edits. */
export interface Sale {
  readonly id: string;
  readonly receiptNo: string;
  readonly terminalId: string;
  readonly currency: CurrencyCode;
  readonly locale: string;
  readonly lines: readonly CartLine[];
  readonly totals: CartTotals;
  readonly tenders: readonly Tender[];
  readonly ageCheckedFor: number; // minimum age the cashier confirmed, 0 when none
  readonly startedAt: string; // ISO 8601
  readonly completedAt: string; // ISO 8601
}
