import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countedTotal, DENOMINATIONS } from './denominations';
import { TENDER_KINDS, zReport, type ShiftFacts, type ShiftSale } from './z-report';

const amount = fc.integer({ min: 1, max: 1_000_000 });
const kind = fc.constantFrom(...TENDER_KINDS);
/** A sale paid by one to three tenders that add up to its total. */
const sale: fc.Arbitrary<ShiftSale> = fc
  .record({
    parts: fc.array(fc.record({ kind, amount }), { minLength: 1, maxLength: 3 }),
    voided: fc.boolean(),
  })
  .map(({ parts, voided }) => ({
    total: parts.reduce((n, p) => n + p.amount, 0),
    tenders: parts,
    voided,
  }));
const facts: fc.Arbitrary<ShiftFacts> = fc.record({
  currency: fc.constant('USD' as const),
  float: fc.integer({ min: 0, max: 100_000 }),
  sales: fc.array(sale, { maxLength: 30 }),
  refunds: fc.array(fc.record({ amount, tender: kind }), { maxLength: 10 }),
  cash: fc.array(
    fc.record({ kind: fc.constantFrom('pay-in' as const, 'pay-out' as const), amount }),
    {
      maxLength: 6,
    },
  ),
  counted: fc.option(fc.integer({ min: 0, max: 10_000_000 }), { nil: null }),
});

describe('the Z report', () => {
  it('totals equal the sum of the day’s sales, refunds and voids', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const z = zReport(f);
        const all = f.sales.reduce((n, s) => n + s.total, 0);
        expect(z.gross + z.voided).toBe(all);
        expect(z.salesCount + z.voidsCount).toBe(f.sales.length);
        expect(z.refunded).toBe(f.refunds.reduce((n, r) => n + r.amount, 0));
        expect(z.refundsCount).toBe(f.refunds.length);
        expect(z.net).toBe(z.gross - z.refunded);
        // Every tender's figures add up to the whole: nothing is counted twice or dropped.
        const tenders = Object.values(z.tenders);
        expect(tenders.reduce((n, t) => n + t.sales, 0)).toBe(z.gross);
        expect(tenders.reduce((n, t) => n + t.refunds, 0)).toBe(z.refunded);
        expect(tenders.reduce((n, t) => n + t.net, 0)).toBe(z.net);
      }),
    );
  });

  it('expects the float, the cash taken less the cash paid back, and the pay-ins less pay-outs', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const z = zReport(f);
        const cashIn = f.sales
          .filter((s) => !s.voided)
          .flatMap((s) => s.tenders)
          .filter((t) => t.kind === 'cash')
          .reduce((n, t) => n + t.amount, 0);
        const cashOut = f.refunds
          .filter((r) => r.tender === 'cash')
          .reduce((n, r) => n + r.amount, 0);
        const moved = f.cash.reduce((n, c) => n + (c.kind === 'pay-in' ? c.amount : -c.amount), 0);
        expect(z.expectedCash).toBe(f.float + cashIn - cashOut + moved);
        expect(z.overShort).toBe(f.counted === null ? null : f.counted - z.expectedCash);
      }),
    );
  });

  it('a drawer 0.50 short: 100.00 float and 12.34 in cash, counted 111.84', () => {
    const z = zReport({
      currency: 'USD',
      float: 10_000,
      sales: [{ total: 1234, tenders: [{ kind: 'cash', amount: 1234 }], voided: false }],
      refunds: [],
      cash: [],
      counted: countedTotal('USD', [
        { value: 10000, count: 1 },
        { value: 1000, count: 1 },
        { value: 100, count: 1 },
        { value: 25, count: 3 },
        { value: 5, count: 1 },
        { value: 1, count: 4 },
      ]),
    });
    expect(z.expectedCash).toBe(11_234);
    expect(z.countedCash).toBe(11_184);
    expect(z.overShort).toBe(-50);
  });

  it('a split sale counts each tender under its own kind; only its cash is in the drawer', () => {
    const z = zReport({
      currency: 'USD',
      float: 5_000,
      sales: [
        {
          total: 3_550,
          tenders: [
            { kind: 'cash', amount: 2_000 },
            { kind: 'card', amount: 1_550 },
          ],
          voided: false,
        },
        {
          total: 1_000,
          tenders: [
            { kind: 'cash', amount: 300 },
            { kind: 'wallet', amount: 700 },
          ],
          voided: false,
        },
      ],
      refunds: [],
      cash: [],
      counted: null,
    });
    expect(z.gross).toBe(4_550);
    expect(z.tenders.cash.sales).toBe(2_300);
    expect(z.tenders.card.sales).toBe(1_550);
    expect(z.tenders.wallet.sales).toBe(700);
    expect(z.expectedCash).toBe(7_300);
  });
});

describe('counting a drawer by denomination', () => {
  it('sums value × count in minor units for every currency it knows', () => {
    for (const [currency, values] of Object.entries(DENOMINATIONS)) {
      const counts = values.map((value, i) => ({ value, count: i + 1 }));
      const expected = values.reduce((n, v, i) => n + v * (i + 1), 0);
      expect(countedTotal(currency as keyof typeof DENOMINATIONS, counts)).toBe(expected);
    }
  });

  it('refuses a coin the currency lacks, a part or negative count, and a denomination twice', () => {
    expect(() => countedTotal('KRW', [{ value: 1, count: 1 }])).toThrow(/no 1 note or coin/);
    expect(() => countedTotal('USD', [{ value: 25, count: 1.5 }])).toThrow(/whole number/);
    expect(() => countedTotal('USD', [{ value: 25, count: -1 }])).toThrow(/whole number/);
    expect(() =>
      countedTotal('EUR', [
        { value: 200, count: 1 },
        { value: 200, count: 2 },
      ]),
    ).toThrow(/counted twice/);
  });
});
