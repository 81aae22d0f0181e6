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

/**
 * A palm payment: the shopper's card on file charged through the store cloud (approved online),
 * or stored on the lane within the store's offline limits and authorized when it syncs.
 */
export interface PalmTender {
  readonly kind: 'palm';
  readonly amount: Money;
  /** The payment attempt's idempotency key (POST /v1/payments, payment.stored). */
  readonly paymentId: string;
  /** Pseudonymous shopper reference (never a name or phone number). */
  readonly customerRef: string;
  readonly loyaltyId: string | null;
  /** The card on file, masked; null while a stored payment waits for its authorization. */
  readonly card: { readonly brand: string; readonly last4: string } | null;
  /** The processor's code; null for a payment stored offline. */
  readonly authCode: string | null;
  readonly stored: boolean;
}

/**
 * A wallet payment: the one-time code the shopper's wallet app showed (common/wallet/code.ts),
 * authorized online by the store cloud through its wallet adapter. Never stored offline.
 */
export interface WalletTender {
  readonly kind: 'wallet';
  readonly amount: Money;
  /** The attempt's idempotency key (POST /v1/wallet-payments). */
  readonly paymentId: string;
  /** Which wallet took it (the adapter's name, e.g. "EmuPay"). */
  readonly wallet: string;
  /** The last four digits of the code: the code itself is a bearer credential, never kept. */
  readonly codeLast4: string;
  /** The wallet's transaction reference. */
  readonly authCode: string;
}

export type Tender = CashTender | CardTender | PalmTender | WalletTender;

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
