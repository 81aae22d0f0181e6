import { describe, expect, it } from 'vitest';
import { matchPolicySchema } from '../sync/protocol';
import { decide, thresholds } from './policy';
import type { MatchPolicy } from './policy';
import {
  checkMeasured,
  measuredThreshold,
  measureNonMated,
  MIN_FALSE_MATCHES,
} from './policy-measured';

// 100 000 non-mated best scores 0 … 99 999 (shuffled): FPIR(t) = (100 000 − t) / 100 000.
const scores = Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 100_000);
const m = measureNonMated(scores, 50_000);
const countAtOrAbove = (t: number) => scores.filter((s) => s >= t).length;

describe('measured non-mated policy', () => {
  it('keeps the top 2 % of the best scores, descending', () => {
    expect(m.searches).toBe(100_000);
    expect(m.top).toHaveLength(2000);
    expect(m.top[0]).toBe(99_999);
    expect(m.top.at(-1)).toBe(98_000);
    expect(() => checkMeasured(m)).not.toThrow();
  });

  it('at the measured size, a target FPIR is the least threshold the measured scores allow', () => {
    for (const fpir of [1e-4, 1e-3, 1e-2]) {
      const t = measuredThreshold(m, 50_000, fpir);
      expect(countAtOrAbove(t)).toBeLessThanOrEqual(fpir * 100_000);
      expect(countAtOrAbove(t - 1)).toBeGreaterThan(fpir * 100_000);
    }
  });

  it('carries the rate to other gallery sizes: higher for a larger gallery, lower for a smaller', () => {
    const at = (n: number) => measuredThreshold(m, n, 1e-3);
    expect(at(500_000)).toBeGreaterThan(at(50_000));
    expect(at(5_000)).toBeLessThan(at(50_000));
    // 10x the gallery at FPIR 1e-3 is the measured 1e-4 quantile (10 false matches: still read).
    expect(countAtOrAbove(at(500_000))).toBeLessThanOrEqual(10);
    expect(countAtOrAbove(at(500_000) - 1)).toBeGreaterThan(9);
  });

  it(`beyond ${MIN_FALSE_MATCHES} measured false matches, extends the measured top with an exponential`, () => {
    const t = measuredThreshold(m, 5_000_000, 1e-4);
    expect(t).toBeGreaterThan(99_999); // above every score measured
    expect(measuredThreshold(m, 50_000_000, 1e-4)).toBeGreaterThan(t);
  });

  it('is what thresholds() and decide() use when a policy carries it, and the wire accepts it', () => {
    const policy: MatchPolicy = {
      acceptFpir: 1e-4,
      stepUpFpir: 1e-2,
      margin: 1000,
      tail: { u: 0, pu: 0.5, beta: 1e6 }, // would put thresholds far higher
      measured: m,
    };
    const t = thresholds(policy, 50_000);
    expect(t.accept).toBe(measuredThreshold(m, 50_000, 1e-4));
    expect(decide(policy, 50_000, { templateId: 'x', score: t.accept, runnerUpScore: 0 })).toEqual({
      kind: 'accept',
      templateId: 'x',
    });
    expect(matchPolicySchema.safeParse(policy).success).toBe(true);
    expect(
      matchPolicySchema.safeParse({ ...policy, measured: { ...m, searches: 5 } }).success,
    ).toBe(false);
  });

  it('refuses too few searches or a list out of order', () => {
    expect(() => measureNonMated([1, 2, 3], 10)).toThrow(/100/);
    expect(() => checkMeasured({ ...m, top: [...m.top].reverse() })).toThrow(/descend/);
  });
});
