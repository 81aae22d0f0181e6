import type { Product } from './catalog';
import { DomainError } from './errors';
import { money, multiply, type CurrencyCode, type Money } from './money';
import { computeTax, type TaxClass, type TaxPolicy, type TaxResult } from './tax';

/** A cashier never sells more than this many of one line in one go; more is a typo. */
export const MAX_QUANTITY = 999;

export interface CartLine {
  readonly lineId: string;
  readonly productId: string;
  readonly barcode: string;
  readonly name: string;
  readonly unitPrice: Money;
  readonly quantity: number;
  readonly taxClass: TaxClass;
  readonly minimumAge: number;
  /** Voided lines stay on the cart (and the receipt's audit trail) but count for nothing. */
  readonly voided: boolean;
}

export interface Cart {
  readonly currency: CurrencyCode;
  readonly lines: readonly CartLine[];
}

export interface CartTotals extends TaxResult {
  readonly itemCount: number;
}

export function emptyCart(currency: CurrencyCode): Cart {
  return { currency, lines: [] };
}

export function activeLines(cart: Cart): CartLine[] {
  return cart.lines.filter((l) => !l.voided);
}

export function assertQuantity(quantity: number): number {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    throw new DomainError(
      'QUANTITY_OUT_OF_RANGE',
      `Quantity must be a whole number from 1 to ${MAX_QUANTITY}`,
      { quantity: String(quantity), max: MAX_QUANTITY },
    );
  }
  return quantity;
}

/**
 * Scanning the same product again right after it bumps that line's quantity, as cashiers expect;
 * scanning it after something else starts a new line, so the cart reads in scan order.
 */
export function addProduct(cart: Cart, product: Product, newLineId: string, quantity = 1): Cart {
  assertQuantity(quantity);
  const last = cart.lines.at(-1);
  if (last && !last.voided && last.productId === product.id) {
    return setQuantity(cart, last.lineId, last.quantity + quantity);
  }
  const line: CartLine = {
    lineId: newLineId,
    productId: product.id,
    barcode: product.barcode,
    name: product.name,
    unitPrice: money(product.price, cart.currency),
    quantity,
    taxClass: product.taxClass,
    minimumAge: product.minimumAge,
    voided: false,
  };
  return { ...cart, lines: [...cart.lines, line] };
}

function findLine(cart: Cart, lineId: string): CartLine {
  const line = cart.lines.find((l) => l.lineId === lineId);
  if (!line) throw new DomainError('LINE_NOT_FOUND', `No line ${lineId} on this sale`);
  return line;
}

export function setQuantity(cart: Cart, lineId: string, quantity: number): Cart {
  const line = findLine(cart, lineId);
  if (line.voided) throw new DomainError('LINE_VOIDED', `Line ${line.name} is voided`);
  assertQuantity(quantity);
  lineAmount({ ...line, quantity }); // overflow guard before accepting
  return {
    ...cart,
    lines: cart.lines.map((l) => (l.lineId === lineId ? { ...l, quantity } : l)),
  };
}

export function voidLine(cart: Cart, lineId: string): Cart {
  const line = findLine(cart, lineId);
  if (line.voided) throw new DomainError('LINE_VOIDED', `Line ${line.name} is already voided`);
  return {
    ...cart,
    lines: cart.lines.map((l) => (l.lineId === lineId ? { ...l, voided: true } : l)),
  };
}

export function lineAmount(line: CartLine): Money {
  return multiply(line.unitPrice, line.quantity);
}

export function cartTotals(cart: Cart, policy: TaxPolicy): CartTotals {
  const lines = activeLines(cart);
  const tax = computeTax(
    lines.map((l) => ({ amount: lineAmount(l), taxClass: l.taxClass })),
    policy,
    cart.currency,
  );
  return { ...tax, itemCount: lines.reduce((n, l) => n + l.quantity, 0) };
}

/** The highest minimum age among the active lines: 0 when no ID check is needed. */
export function requiredAge(cart: Cart): number {
  return activeLines(cart).reduce((age, l) => Math.max(age, l.minimumAge), 0);
}
