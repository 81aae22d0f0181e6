import { describe, expect, it } from 'vitest';
import { StepUpGuard } from './step-up-guard';

describe('StepUpGuard', () => {
  it('refuses a record after too many wrong tries within the window, and only that record', () => {
    const g = new StepUpGuard(3, 1000);
    for (let i = 0; i < 3; i++) {
      expect(g.allows('a', i)).toBe(true);
      g.record('a', false, i);
    }
    expect(g.allows('a', 10)).toBe(false);
    expect(g.allows('b', 10)).toBe(true);
    // The oldest wrong try leaves the window: one more try is allowed.
    expect(g.allows('a', 1000)).toBe(true);
  });

  it('a right answer clears the count', () => {
    const g = new StepUpGuard(2, 1000);
    g.record('a', false, 0);
    g.record('a', true, 1);
    g.record('a', false, 2);
    expect(g.allows('a', 3)).toBe(true);
  });
});
