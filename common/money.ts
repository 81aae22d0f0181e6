import { DomainError } from './errors';

/**
 * Money is an integer count of the currency's minor unit (cents, euro cents, won) plus its ISO 4217
 * code. Floats never hold money: every operation checks that it stays a safe integer.
 */
export interface Money {
  readonly amount: number;
  readonly currency: CurrencyCode;
}

/** Currencies this terminal knows, with their ISO 4217 minor-unit exponent. */
export const CURRENCIES = {
  USD: { exponent: 2 },
  EUR: { exponent: 2 },
  GBP: { exponent: 2 },
  KRW: { exponent: 0 },
  JPY: { exponent: 0 },
} as const;

export type CurrencyCode = keyof typeof CURRENCIES;

export function isCurrencyCode(code: string): code is CurrencyCode {
  return Object.hasOwn(CURRENCIES, code);
}

export function minorUnitExponent(currency: CurrencyCode): number {
  const c = CURRENCIES[currency];
  if (!c) throw new DomainError('UNKNOWN_CURRENCY', `Unknown currency ${String(currency)}`);
  return c.exponent;
}

/**
 * The largest amount a single money value may hold: well inside Number.MAX_SAFE_INTEGER so that
 * a tax multiplication (amount × basis points) can be done exactly in BigInt and still fit back.
 * 10^13 minor units is 100 billion dollars, or 10 trillion won: far beyond any till.
 */
export const MAX_AMOUNT = 10_000_000_000_000;

export function assertSafeAmount(amount: number): number {
  if (!Number.isInteger(amount)) {
    throw new DomainError('MONEY_NOT_INTEGER', `Amount ${amount} is not an integer of minor units`);
  }
  if (Math.abs(amount) > MAX_AMOUNT) {
    throw new DomainError('MONEY_OVERFLOW', `Amount ${amount} exceeds the supported range`);
  }
  return amount === 0 ? 0 : amount; // normalise -0
}

export function money(amount: number, currency: CurrencyCode): Money {
  minorUnitExponent(currency);
  return { amount: assertSafeAmount(amount), currency };
}

export function zero(currency: CurrencyCode): Money {
  return money(0, currency);
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new DomainError('CURRENCY_MISMATCH', `Cannot combine ${a.currency} with ${b.currency}`);
  }
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return money(a.amount - b.amount, a.currency);
}

export function sum(values: readonly Money[], currency: CurrencyCode): Money {
  return values.reduce((acc, v) => add(acc, v), zero(currency));
}

export function multiply(a: Money, factor: number): Money {
  if (!Number.isInteger(factor)) {
    throw new DomainError('INVALID_AMOUNT', `Money can only be multiplied by whole numbers`);
  }
  const product = BigInt(a.amount) * BigInt(factor);
  if (product > BigInt(MAX_AMOUNT) || product < -BigInt(MAX_AMOUNT)) {
    throw new DomainError('MONEY_OVERFLOW', `Amount exceeds the supported range`);
  }
  return money(Number(product), a.currency);
}

export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.amount < b.amount ? -1 : a.amount > b.amount ? 1 : 0;
}

/**
 * Divide two BigInts and round half away from zero — the rounding used for tax in this terminal
 * (it matches most US state rules and German/Korean VAT practice on receipts).
 */
export function divRoundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('denominator must be positive');
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  const q = n / denominator;
  const r = n % denominator;
  const rounded = r * 2n >= denominator ? q + 1n : q;
  return negative ? -rounded : rounded;
}

/** Formatters by locale and currency: making one costs ~75 µs, using one under 1 µs. */
const formatters = new Map<string, Intl.NumberFormat>();

/** Format with Intl for the store's locale; KRW shows no decimals because its exponent is 0. */
export function formatMoney(value: Money, locale: string): string {
  const exponent = minorUnitExponent(value.currency);
  const key = `${locale}|${value.currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: value.currency,
      minimumFractionDigits: exponent,
      maximumFractionDigits: exponent,
    });
    formatters.set(key, formatter);
  }
  return formatter.format(value.amount / 10 ** exponent);
}

/**
 * Parse what a cashier types into a money amount: "20", "20.5", "20,50" (de-DE), "₩10,000".
 * The locale decides which of "." and "," is the decimal separator. More decimals than the
 * currency has is an error rather than silent rounding: the cashier meant something else.
 */
export function parseMoneyInput(input: string, currency: CurrencyCode, locale: string): Money {
  const exponent = minorUnitExponent(currency);
  const parts = new Intl.NumberFormat(locale).formatToParts(12345.6);
  const decimal = parts.find((p) => p.type === 'decimal')?.value ?? '.';
  const group = parts.find((p) => p.type === 'group')?.value ?? ',';
  let text = input.trim().replace(/[\s\u00a0\u202f]/g, '');
  text = text.replace(/^[^\d-]+|[^\d]+$/g, ''); // currency symbols before or after
  if (text === '' || !/^-?[\d.,']+$/.test(text)) {
    throw new DomainError('INVALID_AMOUNT', `“${input}” is not an amount`, { input });
  }
  // Remove group separators, then use '.' as decimal separator.
  const groupRe = new RegExp(`\\${group}(?=\\d{3}(\\D|$))`, 'g');
  text = text.replace(groupRe, '');
  if (decimal !== '.') text = text.replace(decimal, '.');
  if (!/^-?\d+(\.\d*)?$/.test(text)) {
    throw new DomainError('INVALID_AMOUNT', `“${input}” is not an amount`, { input });
  }
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  if (fraction.length > exponent) {
    throw new DomainError(
      'INVALID_AMOUNT',
      `“${input}” has more decimals than ${currency} allows`,
      { input },
    );
  }
  const minor =
    BigInt(whole) * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, '0') || '0');
  if (minor > BigInt(MAX_AMOUNT)) {
    throw new DomainError('MONEY_OVERFLOW', `“${input}” is too large`, { input });
  }
  const signed = text.startsWith('-') ? -Number(minor) : Number(minor);
  return money(signed, currency);
}
