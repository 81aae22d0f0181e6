import { describe, expect, it } from 'vitest';
import { checkGuard, prefilterIsDecisive } from './guard';

const guard = { thresholds: [1000, 2000], margin: 100, slack: 50 };
const hits = (...scores: number[]) => scores.map((score, index) => ({ score, index }));

describe('prefilterIsDecisive', () => {
  it('trusts a best score far below every threshold (no match)', () => {
    expect(prefilterIsDecisive(hits(949, 900), guard)).toBe(true);
    expect(prefilterIsDecisive(hits(950, 900), guard)).toBe(false);
  });

  it('never trusts a best score between the thresholds, slack included', () => {
    for (const s of [950, 1000, 1500, 2000, 2049]) {
      expect(prefilterIsDecisive(hits(s, 0), guard)).toBe(false);
    }
  });

  it('trusts a clear accept only when the margin clears δ + slack', () => {
    expect(prefilterIsDecisive(hits(2050, 1900), guard)).toBe(true);
    expect(prefilterIsDecisive(hits(2050, 1901), guard)).toBe(false);
    expect(prefilterIsDecisive(hits(2050), guard)).toBe(false);
    expect(prefilterIsDecisive([], guard)).toBe(false);
  });

  it('refuses a malformed guard', () => {
    expect(() => checkGuard({ ...guard, thresholds: [] })).toThrow(/thresholds/);
    expect(() => checkGuard({ ...guard, thresholds: [NaN] })).toThrow(/thresholds/);
    expect(() => checkGuard({ ...guard, slack: -1 })).toThrow(/slack/);
  });
});
