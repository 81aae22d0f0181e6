import { describe, expect, it } from 'vitest';
import { fuseTemplates } from './enrolment';
import { createPopulation, pt1Similarity } from './population';

const pop = createPopulation({ seed: 11 });

describe('fuseTemplates', () => {
  it('a fused template scores later probes higher than any one of its captures', () => {
    let fused = 0;
    let single = 0;
    for (let i = 0; i < 100; i++) {
      const caps = [0, 1, 2].map((s) => pop.capture(i, 92, 1000 + s));
      const probe = pop.capture(i, 75, 1);
      fused += pt1Similarity(fuseTemplates(caps), probe);
      single += pt1Similarity(caps[0]!, probe);
    }
    expect(fused / 100).toBeGreaterThan(single / 100 + 0.03);
  });

  it('one capture fuses to itself, up to rounding; bad input is refused', () => {
    const c = pop.capture(3, 90, 1);
    expect(pt1Similarity(fuseTemplates([c]), c) / pt1Similarity(c, c)).toBeGreaterThan(0.99);
    expect(() => fuseTemplates([])).toThrow(/at least one/);
    expect(() => fuseTemplates([new Int8Array(10)])).toThrow(/512/);
    expect(() => fuseTemplates([new Int8Array(512)])).toThrow(/zeros/);
  });
});
