import { describe, expect, it } from 'vitest';
import {
  demoCard,
  demoCardBehaviour,
  demoHasLowDailyLimit,
  demoPopulation,
  demoShopper,
} from './demo-shoppers';

describe('demoCard', () => {
  it('gives the behaviours design-11 lists by index mod 100', () => {
    expect(demoCard(7).token).toMatch(/^tok_emu_decline_[0-9a-f]{24}$/);
    expect(demoCard(107).token).toMatch(/^tok_emu_decline_/);
    expect(demoCard(13).token).toMatch(/^tok_emu_insufficient_/);
    expect(demoCard(1213).token).toMatch(/^tok_emu_insufficient_/);
    expect(demoCard(21).token).toMatch(/^tok_emu_down_/);
    expect(demoCard(0).token).toMatch(/^tok_emu_approve_/);
    expect(demoCard(17).token).toMatch(/^tok_emu_approve_/);
    expect(demoCardBehaviour(99_921)).toBe('processor-down');
  });

  it('is Visa for even indexes, Mastercard for odd, with four derived digits', () => {
    expect(demoCard(4).brand).toBe('Visa');
    expect(demoCard(5).brand).toBe('Mastercard');
    const lasts = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const c = demoCard(i);
      expect(c.last4).toMatch(/^\d{4}$/);
      lasts.add(c.last4);
      expect(demoCard(i)).toEqual(c); // deterministic
    }
    expect(lasts.size).toBeGreaterThan(150); // derived from the index, not a constant
  });

  it('refuses an index that is not a shopper', () => {
    expect(() => demoCard(-1)).toThrow(RangeError);
    expect(() => demoCard(1.5)).toThrow(RangeError);
  });
});

describe('demo limits', () => {
  const population = demoPopulation();

  it('gives shoppers N mod 100 = 42 a daily limit of 10.00, reachable in two sales', () => {
    for (const n of [42, 142, 99_942]) {
      expect(demoHasLowDailyLimit(n)).toBe(true);
      expect(demoShopper(population, n).limits).toEqual({
        currency: 'USD',
        perPayment: 1_000,
        perDay: 1_000,
      });
    }
  });

  it('gives every other shopper 50, 100 or 200 a payment and ten times that a day', () => {
    for (const n of [0, 1, 2, 41, 43, 141, 1_000]) {
      expect(demoHasLowDailyLimit(n)).toBe(false);
      const { perPayment, perDay } = demoShopper(population, n).limits;
      expect([5_000, 10_000, 20_000]).toContain(perPayment);
      expect(perDay).toBe(perPayment * 10);
    }
  });
});
