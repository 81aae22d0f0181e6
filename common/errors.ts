/**
 * Domain errors carry a stable machine-readable code plus the values a UI needs to explain the
 * problem in the shopper's or cashier's language. Messages here are English fallbacks for logs.
 */
export type DomainErrorCode =
  | 'MONEY_OVERFLOW'
  | 'MONEY_NOT_INTEGER'
  | 'CURRENCY_MISMATCH'
  | 'UNKNOWN_CURRENCY'
  | 'INVALID_AMOUNT'
  | 'BARCODE_MALFORMED'
  | 'BARCODE_CHECK_DIGIT'
  | 'PRODUCT_NOT_FOUND'
  | 'QUANTITY_OUT_OF_RANGE'
  | 'LINE_NOT_FOUND'
  | 'LINE_VOIDED'
  | 'CART_EMPTY'
  | 'CASH_TOO_LOW'
  | 'SALE_INVALID'
  | 'INVALID_TAX_RATE'
  // The till and post-sale corrections (common/shift/, renderer/src/db/shift.ts, post-sale.ts)
  | 'BAD_COUNT'
  | 'SHIFT_STATE'
  | 'NOT_VOIDABLE'
  | 'REFUND_INVALID';

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details: Readonly<Record<string, string | number>>;

  constructor(
    code: DomainErrorCode,
    message: string,
    details: Record<string, string | number> = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
