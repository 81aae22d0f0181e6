import { describe, expect, it } from 'vitest';
import { shuffledDigits } from './keypad';

describe('step-up keypad', () => {
  it('holds each digit once', () => {
    for (let i = 0; i < 50; i++) expect([...shuffledDigits()].sort()).toEqual([...'0123456789']);
  });

  it('is uniform: each digit lands in each position about equally often', () => {
    const n = 20_000;
    const counts = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
    for (let i = 0; i < n; i++) shuffledDigits().forEach((d, pos) => counts[pos]![Number(d)]!++);
    // Expected n/10 per cell; 5 standard deviations of a binomial(n, 0.1) is ±212.
    for (const row of counts) for (const c of row) expect(Math.abs(c - n / 10)).toBeLessThan(212);
  });

  it('rejects the biased tail of the random source', () => {
    const draws = [2 ** 32 - 1, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const used: number[] = [];
    shuffledDigits(() => {
      const r = draws.shift() ?? 0;
      used.push(r);
      return r;
    });
    // 2^32 − 1 is in the biased tail for n = 10 (2^32 mod 10 ≠ 0) and must be redrawn.
    expect(used.length).toBe(10);
  });
});
