import { describe, expect, it } from 'vitest';
import { decide, fitImpostorTail, thresholdFor, thresholds } from './policy';
import type { MatchPolicy } from './policy';

const tail = { u: 100_000, pu: 0.01, beta: 20_000 };
const policy: MatchPolicy = { acceptFpir: 1e-4, stepUpFpir: 1e-2, margin: 30_000, tail };

describe('match policy', () => {
  it('raises the threshold with the gallery size: ln(10) x beta per decade', () => {
    const t10k = thresholdFor(tail, 10_000, 1e-4);
    const t100k = thresholdFor(tail, 100_000, 1e-4);
    const t1m = thresholdFor(tail, 1_000_000, 1e-4);
    expect(t100k - t10k).toBeCloseTo(tail.beta * Math.log(10), 0);
    expect(t1m - t100k).toBeCloseTo(tail.beta * Math.log(10), 0);
    // 1 − (1 − FMR(t))^N = FPIR, with FMR(t) the model's false-match rate at the threshold.
    const fmr = tail.pu * Math.exp(-(t1m - tail.u) / tail.beta);
    expect(-Math.expm1(1_000_000 * Math.log1p(-fmr))).toBeCloseTo(1e-4, 12);
    expect(thresholdFor(tail, 1, 0.5)).toBe(tail.u);
  });

  it('accepts, steps up on a thin score or margin, and otherwise says no match', () => {
    const n = 100_000;
    const t = thresholds(policy, n);
    expect(t.accept).toBeGreaterThan(t.stepUp);
    const at = (score: number, runnerUpScore: number | null) =>
      decide(policy, n, { templateId: 'x', score, runnerUpScore });
    expect(at(t.accept, t.accept - 30_000)).toEqual({ kind: 'accept', templateId: 'x' });
    expect(at(t.accept, null)).toEqual({ kind: 'accept', templateId: 'x' });
    expect(at(t.accept, t.accept - 29_999)).toEqual({
      kind: 'step-up',
      templateId: 'x',
      reason: 'margin',
    });
    expect(at(t.accept - 1, 0)).toEqual({ kind: 'step-up', templateId: 'x', reason: 'score' });
    expect(at(t.stepUp - 1, 0)).toEqual({ kind: 'no-match' });
    // The same score that is accepted among 10k is only a step-up among 1M.
    const s = thresholds(policy, 10_000).accept;
    expect(decide(policy, 10_000, { templateId: 'x', score: s, runnerUpScore: 0 }).kind).toBe(
      'accept',
    );
    expect(decide(policy, 1_000_000, { templateId: 'x', score: s, runnerUpScore: 0 }).kind).toBe(
      'step-up',
    );
    expect(decide(policy, 0, { templateId: null, score: 0, runnerUpScore: null })).toEqual({
      kind: 'no-match',
    });
  });

  it('fits an exponential tail: recovers the scale of exponential data', () => {
    let seed = 1;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
    const scores = Array.from({ length: 100_000 }, () => -5000 * Math.log(rnd()));
    const fit = fitImpostorTail(scores, 0.01);
    expect(fit.pu).toBeCloseTo(0.01, 6);
    expect(fit.beta).toBeGreaterThan(4500);
    expect(fit.beta).toBeLessThan(5500);
    expect(() => fitImpostorTail([1, 2, 3])).toThrow(/at least/);
  });
});
