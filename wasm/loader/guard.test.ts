import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkGuard, prefilterIsDecisive } from './guard';
import type { PrefilterGuard } from './guard';

const guard: PrefilterGuard = { stepUp: 1000, accept: 2000, margin: 100, slack: 50 };
const hits = (...scores: number[]) => scores.map((score, index) => ({ score, index }));

/** The policy's decision from a best and runner-up score (common/shard/policy.ts `decide`). */
function decision(g: PrefilterGuard, best: number, runnerUp: number): string {
  if (best < g.stepUp) return 'no-match';
  if (best >= g.accept && best - runnerUp >= g.margin) return 'accept';
  return best >= g.accept ? 'step-up margin' : 'step-up score';
}

describe('prefilterIsDecisive', () => {
  it('trusts a no match only while no skipped row can reach the step-up threshold', () => {
    expect(prefilterIsDecisive(hits(990, 949), guard)).toBe(true);
    expect(prefilterIsDecisive(hits(990, 950), guard)).toBe(false);
  });

  it('trusts a step-up for its score when the runner-up is far enough below the best', () => {
    expect(prefilterIsDecisive(hits(1500, 1449), guard)).toBe(true);
    expect(prefilterIsDecisive(hits(1000, 949), guard)).toBe(true);
    expect(prefilterIsDecisive(hits(1500, 1450), guard)).toBe(false);
  });

  it('trusts an accept or a thin-margin step-up only when a skipped row cannot flip it', () => {
    expect(prefilterIsDecisive(hits(2050, 1900), guard)).toBe(true); // margin 150 = δ + slack
    expect(prefilterIsDecisive(hits(2050, 1901), guard)).toBe(false);
    expect(prefilterIsDecisive(hits(2050, 2000), guard)).toBe(false); // a skipped row may tie the best
    expect(prefilterIsDecisive(hits(2100, 2001), guard)).toBe(true); // 99 < δ: step-up either way
  });

  it('never trusts a list without a runner-up', () => {
    expect(prefilterIsDecisive(hits(2050), guard)).toBe(false);
    expect(prefilterIsDecisive([], guard)).toBe(false);
  });

  it('is never wrong when skipped rows respect the slack (property)', () => {
    // Any skipped row scoring at most runnerUp + slack: when the guard says decisive, the exact
    // best/runner-up (found ∪ skipped) must give the same decision as the pre-filtered pair.
    const score = fc.integer({ min: 0, max: 3000 });
    fc.assert(
      fc.property(score, score, fc.array(fc.integer({ min: 0, max: 50 })), (a, b, below) => {
        const [best, runnerUp] = a >= b ? [a, b] : [b, a];
        if (!prefilterIsDecisive(hits(best, runnerUp), guard)) return;
        const skipped = below.map((d) => runnerUp + guard.slack - d);
        const all = [best, runnerUp, ...skipped].sort((x, y) => y - x);
        // A skipped row tying the best would win on a lower index: the guard must have excluded it.
        expect(skipped.every((s) => s < best) || best < guard.stepUp).toBe(true);
        expect(decision(guard, all[0]!, all[1]!)).toBe(decision(guard, best, runnerUp));
      }),
    );
  });

  it('refuses a malformed guard', () => {
    expect(() => checkGuard({ ...guard, accept: NaN })).toThrow(/thresholds/);
    expect(() => checkGuard({ ...guard, accept: 999 })).toThrow(/accept >= stepUp/);
    expect(() => checkGuard({ ...guard, slack: -1 })).toThrow(/slack/);
  });
});
