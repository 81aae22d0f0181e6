import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add,
  divRoundHalfAwayFromZero,
  formatMoney,
  MAX_AMOUNT,
  money,
  multiply,
  parseMoneyInput,
  subtract,
  sum,
} from './money';

describe('money', () => {
  it('keeps integer minor units and refuses fractions', () => {
    expect(money(1999, 'USD').amount).toBe(1999);
    expect(() => money(19.99, 'USD')).toThrow(/not an integer/);
    expect(money(-0, 'USD').amount).toBe(0);
    expect(Object.is(money(-0, 'USD').amount, -0)).toBe(false);
  });

  it('refuses mixing currencies', () => {
    expect(() => add(money(1, 'USD'), money(1, 'EUR'))).toThrow(/Cannot combine USD with EUR/);
  });

  it('guards against overflow in add, multiply and sum', () => {
    expect(() => add(money(MAX_AMOUNT, 'USD'), money(1, 'USD'))).toThrow(/exceeds/);
    expect(() => multiply(money(MAX_AMOUNT / 10, 'USD'), 11)).toThrow(/exceeds/);
    expect(() => multiply(money(5, 'USD'), 1.5)).toThrow(/whole numbers/);
    expect(sum([money(1, 'KRW'), money(2, 'KRW')], 'KRW')).toEqual(money(3, 'KRW'));
    expect(subtract(money(100, 'EUR'), money(250, 'EUR')).amount).toBe(-150);
  });

  it('rounds half away from zero', () => {
    expect(divRoundHalfAwayFromZero(5n, 10n)).toBe(1n);
    expect(divRoundHalfAwayFromZero(4n, 10n)).toBe(0n);
    expect(divRoundHalfAwayFromZero(-5n, 10n)).toBe(-1n);
    expect(divRoundHalfAwayFromZero(-4n, 10n)).toBe(0n);
    expect(divRoundHalfAwayFromZero(15n, 10n)).toBe(2n);
  });

  it('formats per locale, KRW without decimals', () => {
    expect(formatMoney(money(123456, 'USD'), 'en-US')).toBe('$1,234.56');
    expect(formatMoney(money(123456, 'EUR'), 'de-DE')).toBe('1.234,56\u00a0€');
    expect(formatMoney(money(12300, 'KRW'), 'ko-KR')).toBe('₩12,300');
    expect(formatMoney(money(0, 'USD'), 'en-US')).toBe('$0.00');
  });

  it('parses what cashiers type, per locale', () => {
    expect(parseMoneyInput('20', 'USD', 'en-US').amount).toBe(2000);
    expect(parseMoneyInput('20.5', 'USD', 'en-US').amount).toBe(2050);
    expect(parseMoneyInput('$1,234.56', 'USD', 'en-US').amount).toBe(123456);
    expect(parseMoneyInput('20,50', 'EUR', 'de-DE').amount).toBe(2050);
    expect(parseMoneyInput('1.234,56 €', 'EUR', 'de-DE').amount).toBe(123456);
    expect(parseMoneyInput('₩10,000', 'KRW', 'ko-KR').amount).toBe(10000);
  });

  it('refuses what is not an amount, with the input in the message', () => {
    expect(() => parseMoneyInput('abc', 'USD', 'en-US')).toThrow('“abc” is not an amount');
    expect(() => parseMoneyInput('', 'USD', 'en-US')).toThrow(/not an amount/);
    expect(() => parseMoneyInput('1.234', 'USD', 'en-US')).toThrow(/more decimals/);
    expect(() => parseMoneyInput('10.5', 'KRW', 'ko-KR')).toThrow(/more decimals than KRW/);
    expect(() => parseMoneyInput('1e5', 'USD', 'en-US')).toThrow(/not an amount/);
    expect(() => parseMoneyInput('99999999999999999', 'USD', 'en-US')).toThrow(/too large/);
  });

  it('parse(format(x)) is x for every amount and store locale', () => {
    const cases = [
      ['USD', 'en-US'],
      ['EUR', 'de-DE'],
      ['KRW', 'ko-KR'],
    ] as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.constantFrom(...cases),
        (amount, [cur, loc]) => {
          const m = money(amount, cur);
          expect(parseMoneyInput(formatMoney(m, loc), cur, loc)).toEqual(m);
        },
      ),
    );
  });
});
