import { describe, expect, it } from 'vitest';
import { addProduct, cartTotals, emptyCart } from './cart';
import type { Product } from './catalog';
import { money } from './money';
import { checkRefund, type EarlierRefund, type Refund } from './refund-check';
import type { Tender } from './sale';
import { storeProfile } from './store-profile';

const de = storeProfile('de'); // gross prices, per-total rounding: the hard case for parts
const product = (id: string, price: number): Product => ({
  id,
  barcode: '4006381333931',
  name: id,
  price,
  taxClass: 'standard',
  minimumAge: 0,
  category: 'x',
});
const cart = addProduct(
  addProduct(emptyCart('EUR'), product('a', 333), 'l1', 3),
  product('b', 1000),
  'l2',
);
const totals = cartTotals(cart, de.tax); // 1999
const eur = (a: number) => money(a, 'EUR');
const tenders: Tender[] = [
  { kind: 'card', amount: eur(1500), paymentId: 'p', authCode: 'A', brand: 'visa', last4: '4242' },
  { kind: 'cash', amount: eur(499), given: eur(500), change: eur(1) },
];
const sale = {
  id: 's1',
  currency: 'EUR' as const,
  lines: cart.lines,
  totals,
  tenders,
  completedAt: '2026-03-02T11:00:00.000Z',
};
const rules = { tax: de.tax, notAfter: Date.parse('2026-03-03T00:00:00Z'), maxSkewMs: 300_000 };
const refund = (r: Partial<Refund>): Refund => ({
  refundId: 'r1',
  saleId: 's1',
  amount: eur(100),
  tender: 'card',
  refundedAt: '2026-03-02T12:00:00.000Z',
  ...r,
});
const check = (r: Partial<Refund>, earlier: EarlierRefund[] = []) =>
  checkRefund(refund(r), sale, earlier, rules);

describe('checkRefund', () => {
  it('accepts an amount refund within the sale and the tender, and a refund of lines at their price', () => {
    expect(totals.total.amount).toBe(1999);
    expect(check({})).toBeNull();
    expect(check({ amount: eur(333), lines: [{ lineId: 'l1', quantity: 1 }] })).toBeNull();
  });

  it('never refunds more than is left of the sale', () => {
    expect(check({ amount: eur(2000) })).toMatch(/more than the 1999 left/);
    const earlier: EarlierRefund[] = [{ amount: 1400, tender: 'card' }];
    expect(check({ amount: eur(600), tender: 'cash' }, earlier)).toMatch(/more than the 599 left/);
  });

  it('never refunds more in a tender kind than the sale took in it', () => {
    expect(check({ amount: eur(500), tender: 'cash' })).toMatch(
      /more than the 499 .* took in cash/,
    );
    expect(check({ amount: eur(200) }, [{ amount: 1400, tender: 'card' }])).toMatch(
      /more than the 100 .* took in card/,
    );
  });

  it('refuses zero, negative, another currency and times out of range', () => {
    expect(check({ amount: eur(0) })).toMatch(/positive/);
    expect(check({ amount: eur(-5) })).toMatch(/positive/);
    expect(check({ amount: money(100, 'USD') })).toMatch(/refund in USD/);
    expect(check({ refundedAt: '2026-03-04T00:00:00.000Z' })).toMatch(/later than/);
    expect(check({ refundedAt: '2026-03-01T00:00:00.000Z' })).toMatch(/before sale s1/);
  });

  it('line refunds: at their price, never more of a line than was sold, the last one pays what is left', () => {
    expect(check({ amount: eur(334), lines: [{ lineId: 'l1', quantity: 1 }] })).toMatch(
      /they cost 333/,
    );
    expect(check({ amount: eur(999), lines: [{ lineId: 'l1', quantity: 4 }] })).toMatch(
      /4 refunded of 3/,
    );
    expect(check({ lines: [{ lineId: 'nope', quantity: 1 }] })).toMatch(/no line nope/);
    expect(
      check({
        lines: [
          { lineId: 'l1', quantity: 1 },
          { lineId: 'l1', quantity: 1 },
        ],
      }),
    ).toMatch(/twice/);
    const earlier: EarlierRefund[] = [
      { amount: 999, tender: 'card', lines: [{ lineId: 'l1', quantity: 3 }] },
    ];
    expect(check({ amount: eur(400), lines: [{ lineId: 'l1', quantity: 1 }] }, earlier)).toMatch(
      /4 refunded of 3/,
    );
  });

  it('the refund that returns the last of every line pays exactly what is left (rounding on parts)', () => {
    const us = storeProfile('us'); // tax per line on net prices: a third of a line rounds apart
    const usCart = addProduct(emptyCart('USD'), product('a', 333), 'l1', 3);
    const usTotals = cartTotals(usCart, us.tax);
    expect(usTotals.total.amount).toBe(1081); // 999 + 82.4 tax
    const usd = (a: number) => money(a, 'USD');
    const usSale = {
      ...sale,
      currency: 'USD' as const,
      lines: usCart.lines,
      totals: usTotals,
      tenders: [{ kind: 'cash' as const, amount: usd(1081), given: usd(1081), change: usd(0) }],
    };
    const one = [{ lineId: 'l1', quantity: 1 }];
    const part = (amount: number, earlier: EarlierRefund[]) =>
      checkRefund(refund({ amount: usd(amount), tender: 'cash', lines: one }), usSale, earlier, {
        ...rules,
        tax: us.tax,
      });
    expect(part(360, [])).toBeNull(); // 333 + 27.47 tax
    const two: EarlierRefund[] = [
      { amount: 360, tender: 'cash', lines: one },
      { amount: 360, tender: 'cash', lines: one },
    ];
    expect(part(360, two)).toMatch(/they cost 361 \(what is left of the sale\)/);
    expect(part(361, two)).toBeNull();
  });
});
