import { describe, expect, it } from 'vitest';
import { money } from './money';
import { computeTax, taxOn, type TaxPolicy } from './tax';

const usPerLine: TaxPolicy = {
  rates: { standard: 825, reduced: 0, exempt: 0 },
  pricesIncludeTax: false,
  rounding: 'per-line',
};
const usPerTotal: TaxPolicy = { ...usPerLine, rounding: 'per-total' };
const de: TaxPolicy = {
  rates: { standard: 1900, reduced: 700, exempt: 0 },
  pricesIncludeTax: true,
  rounding: 'per-total',
};
const kr: TaxPolicy = {
  rates: { standard: 1000, reduced: 0, exempt: 0 },
  pricesIncludeTax: true,
  rounding: 'per-total',
};

describe('tax', () => {
  it('adds US sales tax on net prices, rounding half away from zero', () => {
    expect(taxOn(money(100, 'USD'), 825, false).amount).toBe(8); // 8.25 → 8
    expect(taxOn(money(200, 'USD'), 825, false).amount).toBe(17); // 16.5 → 17
    expect(taxOn(money(-200, 'USD'), 825, false).amount).toBe(-17); // refunds mirror sales
  });

  it('extracts VAT contained in gross prices', () => {
    expect(taxOn(money(119, 'EUR'), 1900, true).amount).toBe(19);
    expect(taxOn(money(1100, 'KRW'), 1000, true).amount).toBe(100);
  });

  it('per-line and per-total rounding differ exactly where they should', () => {
    // Three lines of 0.10 at 8.25 %: each line's 0.825¢ rounds to 1¢ (3¢ in all), while the total
    // 30¢ × 8.25 % = 2.475¢ rounds to 2¢.
    const lines = [0, 1, 2].map(() => ({
      amount: money(10, 'USD'),
      taxClass: 'standard' as const,
    }));
    expect(computeTax(lines, usPerLine, 'USD').tax.amount).toBe(3);
    expect(computeTax(lines, usPerTotal, 'USD').tax.amount).toBe(2);
    expect(computeTax(lines, usPerLine, 'USD').total.amount).toBe(33);
  });

  it('breaks tax down by class; gross totals do not grow', () => {
    const r = computeTax(
      [
        { amount: money(1190, 'EUR'), taxClass: 'standard' },
        { amount: money(107, 'EUR'), taxClass: 'reduced' },
        { amount: money(500, 'EUR'), taxClass: 'exempt' },
      ],
      de,
      'EUR',
    );
    expect(r.total.amount).toBe(1797);
    expect(r.breakdown.map((b) => [b.taxClass, b.tax.amount])).toEqual([
      ['standard', 190],
      ['reduced', 7],
      ['exempt', 0],
    ]);
    expect(r.tax.amount).toBe(197);
  });

  it('handles KRW, which has no minor unit', () => {
    const r = computeTax([{ amount: money(3500, 'KRW'), taxClass: 'standard' }], kr, 'KRW');
    expect(r.tax.amount).toBe(318); // 3500 × 10/110 = 318.18
    expect(r.total.amount).toBe(3500);
  });

  it('a zero total is zero tax', () => {
    expect(computeTax([], usPerLine, 'USD')).toMatchObject({
      subtotal: { amount: 0 },
      tax: { amount: 0 },
      total: { amount: 0 },
    });
    expect(
      computeTax([{ amount: money(0, 'USD'), taxClass: 'standard' }], usPerLine, 'USD').total
        .amount,
    ).toBe(0);
  });

  it('refuses bad rates and mixed currencies', () => {
    expect(() =>
      computeTax([], { ...usPerLine, rates: { ...usPerLine.rates, standard: 8.25 } }, 'USD'),
    ).toThrow(/basis points/);
    expect(() =>
      computeTax([], { ...usPerLine, rates: { ...usPerLine.rates, standard: -1 } }, 'USD'),
    ).toThrow();
    expect(() =>
      computeTax([{ amount: money(1, 'EUR'), taxClass: 'standard' }], usPerLine, 'USD'),
    ).toThrow(/EUR/);
  });

  it('never overflows silently on huge carts', () => {
    const big = [{ amount: money(9_000_000_000_000, 'USD'), taxClass: 'standard' as const }];
    expect(() => computeTax([...big, ...big], usPerLine, 'USD')).toThrow(/exceeds/);
  });
});
