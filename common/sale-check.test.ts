import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addProduct, cartTotals, emptyCart, setQuantity, voidLine, type Cart } from './cart';
import type { Product } from './catalog';
import { money, type CurrencyCode, type Money } from './money';
import type { Tender } from './sale';
import { checkSale, remainderAfter, type SaleFigures, type SaleRules } from './sale-check';
import { STORE_PROFILES, storeProfile, type StoreProfile } from './store-profile';
import { TAX_CLASSES } from './tax';

const COMPLETED = '2026-03-01T12:00:00.000Z';
const rulesOf = (p: StoreProfile): SaleRules => ({
  currency: p.currency,
  tax: p.tax,
  notAfter: Date.parse(COMPLETED) + 60_000,
});

/** A sale exactly as the lane's completeSale builds it from a cart and tenders. */
function saleOf(cart: Cart, p: StoreProfile, tenders: (total: Money) => Tender[]): SaleFigures {
  const totals = cartTotals(cart, p.tax);
  return {
    currency: cart.currency,
    lines: cart.lines,
    totals,
    tenders: tenders(totals.total),
    startedAt: '2026-03-01T11:58:00.000Z',
    completedAt: COMPLETED,
  };
}

const exactCash = (t: Money): Tender[] => [
  { kind: 'cash', amount: t, given: t, change: money(0, t.currency) },
];
const card = (t: Money, paymentId = 'pay-1'): Tender => ({
  kind: 'card',
  amount: t,
  paymentId,
  authCode: 'A1',
  brand: 'visa',
  last4: '4242',
});

const us = storeProfile('us');
const product = (id: string, price: number, taxClass: Product['taxClass']): Product => ({
  id,
  barcode: '4006381333931',
  name: id,
  price,
  taxClass,
  minimumAge: 0,
  category: 'x',
});
const usCart = addProduct(
  addProduct(emptyCart('USD'), product('chips', 349, 'standard'), 'l1', 2),
  product('juice', 199, 'reduced'),
  'l2',
);
const valid = saleOf(usCart, us, exactCash);
const reason = (s: SaleFigures, rules = rulesOf(us)) => checkSale(s, rules)?.message;
const usd = (a: number) => money(a, 'USD');

describe('checkSale: what a lane builds passes, each attack names its reason', () => {
  it('passes a sale the cart code built', () => {
    expect(checkSale(valid, rulesOf(us))).toBeNull();
  });

  it('refuses a negative total', () => {
    const neg = { ...usCart.lines[0]!, unitPrice: usd(-349) };
    expect(reason({ ...valid, lines: [neg, usCart.lines[1]!] })).toMatch(/negative price/);
    const totals = { ...valid.totals, total: usd(-valid.totals.total.amount) };
    expect(reason({ ...valid, totals })).toMatch(/the total is negative/);
  });

  it('refuses lines that do not add up to the subtotal, and a total that is not subtotal + tax', () => {
    const subtotal = usd(valid.totals.subtotal.amount - 100);
    expect(reason({ ...valid, totals: { ...valid.totals, subtotal } })).toMatch(
      /the lines add up to 897, the sale says subtotal 797/,
    );
    const total = usd(valid.totals.total.amount + 1);
    expect(
      reason({ ...valid, totals: { ...valid.totals, total }, tenders: exactCash(total) }),
    ).toMatch(/the total is 956, subtotal \+ tax is 955/);
  });

  it("refuses tax that is not the store's rate for the line's class", () => {
    const breakdown = valid.totals.breakdown.map((b) =>
      b.taxClass === 'standard' ? { ...b, rateBasisPoints: 100 } : b,
    );
    expect(reason({ ...valid, totals: { ...valid.totals, breakdown } })).toMatch(
      /standard tax at 100 basis points; the store's rate is 825/,
    );
    const tax = usd(valid.totals.tax.amount - 10);
    expect(reason({ ...valid, totals: { ...valid.totals, tax } })).toMatch(
      /tax is 48; the store's rates on these lines give 58/,
    );
  });

  it("refuses another currency than the store's", () => {
    expect(reason(valid, { ...rulesOf(us), currency: 'EUR' })).toMatch(
      /the sale is in USD; the store sells in EUR/,
    );
    const tenders = exactCash(money(valid.totals.total.amount, 'EUR'));
    expect(reason({ ...valid, tenders })).toMatch(/tender 1 is in EUR/);
  });

  it('refuses cash change below zero or other than given − amount, and tenders that do not cover', () => {
    const total = valid.totals.total;
    const cash = (given: number, change: number): Tender[] => [
      { kind: 'cash', amount: total, given: usd(given), change: usd(change) },
    ];
    expect(reason({ ...valid, tenders: cash(total.amount - 5, -5) })).toMatch(
      /cash given \(950\) is less than the amount due \(955\)/,
    );
    expect(reason({ ...valid, tenders: cash(2000, 1000) })).toMatch(/change is 1000/);
    expect(reason({ ...valid, tenders: [card(usd(total.amount - 1))] })).toMatch(
      /tenders add up to 954, the total is 955/,
    );
    expect(reason({ ...valid, tenders: [card(usd(total.amount + 5)), card(usd(-5))] })).toMatch(
      /tender 2 is not a positive amount/,
    );
  });

  it('passes a split tender (part cash, the rest by card) and refuses change from a part', () => {
    const total = valid.totals.total.amount;
    const part: Tender = { kind: 'cash', amount: usd(500), given: usd(500), change: usd(0) };
    expect(reason({ ...valid, tenders: [part, card(usd(total - 500))] })).toBeUndefined();
    // Cash parts then cash for the rest, with change from the last one only.
    const rest: Tender = {
      kind: 'cash',
      amount: usd(total - 500),
      given: usd(2000),
      change: usd(2000 - (total - 500)),
    };
    expect(reason({ ...valid, tenders: [part, rest] })).toBeUndefined();
    // Change handed out by a part payment: money leaves the drawer before the sale is settled.
    const changing: Tender = { kind: 'cash', amount: usd(500), given: usd(1000), change: usd(500) };
    expect(reason({ ...valid, tenders: [changing, card(usd(total - 500))] })).toMatch(
      /tender 1 gives change; only the last tender/,
    );
    expect(reason({ ...valid, tenders: [part, card(usd(total - 400))] })).toMatch(
      /tenders add up to/,
    );
  });

  it('derives the rest of a split sale from its cash parts, and refuses parts that are not', () => {
    const total = usd(955);
    const cash = (amount: number, given = amount): Tender => ({
      kind: 'cash',
      amount: usd(amount),
      given: usd(given),
      change: usd(given - amount),
    });
    expect(remainderAfter([], total)).toEqual({ due: usd(955) });
    expect(remainderAfter([cash(300), cash(155)], total)).toEqual({ due: usd(500) });
    const msg = (parts: Tender[]) => {
      const r = remainderAfter(parts, total);
      return 'message' in r ? r.message : null;
    };
    expect(msg([card(usd(100))])).toMatch(/part 1 is card; only cash is paid in part/);
    expect(msg([cash(300, 500)])).toMatch(/part 1 gives change/);
    expect(msg([cash(0)])).toMatch(/part 1 is not a positive amount/);
    expect(msg([cash(955)])).toMatch(/leaving nothing of 955/);
    expect(msg([{ ...cash(100), amount: money(100, 'EUR') }])).toMatch(/another currency/);
  });

  it('refuses a completion after the clock allows, and a start after the completion', () => {
    expect(reason({ ...valid, completedAt: '2099-01-01T00:00:00.000Z' })).toMatch(
      /later than the checker's clock allows/,
    );
    expect(reason({ ...valid, startedAt: '2026-03-01T12:00:01.000Z' })).toMatch(
      /started after it was completed/,
    );
  });

  it('refuses a sale with no items or a line id twice', () => {
    expect(reason({ ...valid, lines: usCart.lines.map((l) => ({ ...l, voided: true })) })).toMatch(
      /no items/,
    );
    expect(reason({ ...valid, lines: [usCart.lines[0]!, usCart.lines[0]!] })).toMatch(/twice/);
  });
});

// ---- properties ----

const productArb = fc.record({
  price: fc.integer({ min: 1, max: 2_000_000 }),
  taxClass: fc.constantFrom(...TAX_CLASSES),
});

type Op =
  | { op: 'add'; product: number; quantity: number }
  | { op: 'quantity'; line: number; quantity: number }
  | { op: 'void'; line: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('add' as const),
      product: fc.nat(),
      quantity: fc.integer({ min: 1, max: 20 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('quantity' as const),
      line: fc.nat(),
      quantity: fc.integer({ min: 1, max: 999 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('void' as const), line: fc.nat() }) },
);

/** Carts built the way the lane builds them (scan, change quantity, void), with lane tenders. */
const laneSaleArb = fc
  .record({
    profile: fc.constantFrom(...STORE_PROFILES),
    products: fc.array(productArb, { minLength: 1, maxLength: 6 }),
    ops: fc.array(opArb, { minLength: 1, maxLength: 25 }),
    pay: fc.constantFrom('cash', 'card', 'split'),
    extraCash: fc.integer({ min: 0, max: 100_000 }),
  })
  .map(({ profile, products, ops, pay, extraCash }) => {
    let cart = addProduct(
      emptyCart(profile.currency),
      product('p0', products[0]!.price, products[0]!.taxClass),
      'line-0',
    );
    ops.forEach((o, i) => {
      const active = cart.lines.filter((l) => !l.voided);
      try {
        if (o.op === 'add') {
          const p = products[o.product % products.length]!;
          cart = addProduct(
            cart,
            product(`p${o.product % products.length}`, p.price, p.taxClass),
            `line-${i + 1}`,
            o.quantity,
          );
        } else if (active.length > 1) {
          const line = active[o.line % active.length]!;
          cart =
            o.op === 'void'
              ? voidLine(cart, line.lineId)
              : setQuantity(cart, line.lineId, o.quantity);
        }
      } catch {
        // The lane refuses it (quantity over 999 on a bump): the cart stays as it was.
      }
    });
    const cashOf = (amount: Money): Tender => ({
      kind: 'cash',
      amount,
      given: money(amount.amount + extraCash, amount.currency),
      change: money(extraCash, amount.currency),
    });
    const tenders = (t: Money): Tender[] => {
      if (pay === 'card' || t.amount < 2) return [card(t)];
      if (pay === 'cash') return [cashOf(t)];
      const half = Math.floor(t.amount / 2);
      return [card(money(half, t.currency)), cashOf(money(t.amount - half, t.currency))];
    };
    return { profile, sale: saleOf(cart, profile, tenders) };
  });

const other = (c: CurrencyCode): CurrencyCode => (c === 'USD' ? 'EUR' : 'USD');

/** One field of a valid sale changed; every one of these must be caught. */
const TAMPERS: ((s: SaleFigures, d: number) => SaleFigures)[] = [
  (s, d) =>
    mapActiveLine(s, (l) => ({
      ...l,
      unitPrice: { ...l.unitPrice, amount: l.unitPrice.amount + d },
    })),
  (s, d) =>
    mapActiveLine(s, (l) => ({ ...l, quantity: 1 + ((l.quantity + (Math.abs(d) % 998)) % 999) })),
  (s, d) =>
    mapActiveLine(s, (l) => ({
      ...l,
      taxClass: TAX_CLASSES[(TAX_CLASSES.indexOf(l.taxClass) + 1 + (Math.abs(d) % 2)) % 3]!,
    })),
  (s) => ({ ...s, lines: s.lines.map((l, i) => (i === 0 ? { ...l, voided: !l.voided } : l)) }),
  (s, d) => ({ ...s, totals: { ...s.totals, subtotal: bump(s.totals.subtotal, d) } }),
  (s, d) => ({ ...s, totals: { ...s.totals, tax: bump(s.totals.tax, d) } }),
  (s, d) => ({ ...s, totals: { ...s.totals, total: bump(s.totals.total, d) } }),
  (s, d) => ({ ...s, totals: { ...s.totals, itemCount: s.totals.itemCount + d } }),
  (s, d) => mapRow(s, (b) => ({ ...b, rateBasisPoints: b.rateBasisPoints + d })),
  (s, d) => mapRow(s, (b) => ({ ...b, base: bump(b.base, d) })),
  (s, d) => mapRow(s, (b) => ({ ...b, tax: bump(b.tax, d) })),
  (s, d) => ({
    ...s,
    tenders: s.tenders.map((t, i) => (i === 0 ? { ...t, amount: bump(t.amount, d) } : t)),
  }),
  (s, d) => ({
    ...s,
    tenders: s.tenders.map((t) =>
      t.kind === 'cash' ? { ...t, change: bump(t.change, d) } : { ...t, amount: bump(t.amount, d) },
    ),
  }),
  (s, d) => ({
    ...s,
    tenders: s.tenders.map((t) =>
      t.kind === 'cash' ? { ...t, given: bump(t.given, d) } : { ...t, amount: bump(t.amount, d) },
    ),
  }),
  (s) => ({ ...s, currency: other(s.currency) }),
  (s) => ({
    ...s,
    lines: s.lines.map((l, i) =>
      i === 0 ? { ...l, unitPrice: { ...l.unitPrice, currency: other(l.unitPrice.currency) } } : l,
    ),
  }),
  (s) => ({
    ...s,
    tenders: s.tenders.map((t, i) =>
      i === 0 ? { ...t, amount: { ...t.amount, currency: other(t.amount.currency) } } : t,
    ),
  }),
  (s) => ({
    ...s,
    totals: { ...s.totals, total: { ...s.totals.total, amount: -s.totals.total.amount } },
  }),
  (s, d) => ({ ...s, startedAt: new Date(Date.parse(s.completedAt) + Math.abs(d)).toISOString() }),
  (s, d) => ({
    ...s,
    completedAt: new Date(Date.parse(COMPLETED) + 60_000 + Math.abs(d)).toISOString(),
  }),
  (s) => ({ ...s, lines: [...s.lines, s.lines[0]!] }),
  (s) => ({ ...s, lines: s.lines.filter((l) => l !== firstActive(s)) }),
];

const bump = (m: Money, d: number): Money => ({ ...m, amount: m.amount + d });
const firstActive = (s: SaleFigures) => s.lines.find((l) => !l.voided)!;
function mapActiveLine(
  s: SaleFigures,
  f: (l: SaleFigures['lines'][number]) => SaleFigures['lines'][number],
): SaleFigures {
  const target = firstActive(s);
  return { ...s, lines: s.lines.map((l) => (l === target ? f(l) : l)) };
}
function mapRow(
  s: SaleFigures,
  f: (b: SaleFigures['totals']['breakdown'][number]) => SaleFigures['totals']['breakdown'][number],
): SaleFigures {
  return {
    ...s,
    totals: { ...s.totals, breakdown: s.totals.breakdown.map((b, i) => (i === 0 ? f(b) : b)) },
  };
}

describe('checkSale properties', () => {
  it('passes every sale the lane builds, in every store profile', () => {
    fc.assert(
      fc.property(laneSaleArb, ({ profile, sale }) => {
        expect(checkSale(sale, rulesOf(profile))).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('catches any single-field tamper of a valid sale', () => {
    const delta = fc
      .tuple(fc.integer({ min: 1, max: 1_000_000 }), fc.boolean())
      .map(([n, neg]) => (neg ? -n : n));
    fc.assert(
      fc.property(
        laneSaleArb,
        fc.nat({ max: TAMPERS.length - 1 }),
        delta,
        ({ profile, sale }, which, d) => {
          const tampered = TAMPERS[which]!(sale, d);
          expect(checkSale(tampered, rulesOf(profile)), `tamper ${which}`).not.toBeNull();
        },
      ),
      { numRuns: 1500 },
    );
  });
});
