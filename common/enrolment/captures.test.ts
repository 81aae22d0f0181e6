import { describe, expect, it } from 'vitest';
import { createPopulation, pt1Similarity } from '../palm/population';
import { CONSISTENCY_MIN, captureProblem, cosine, fuseTemplates, leastAgreement } from './captures';

const pop = createPopulation({ seed: 1 });

describe('enrolment captures', () => {
  it('refuses low quality, failed liveness and a wrong length, in that order of blame', () => {
    const t = pop.capture(5, 90, 1);
    expect(captureProblem({ template: t, quality: 90, liveness: 90 })).toBeNull();
    expect(captureProblem({ template: t, quality: 50, liveness: 90 })).toBe('quality');
    expect(captureProblem({ template: t, quality: 50, liveness: 10 })).toBe('liveness');
    expect(captureProblem({ template: t, quality: Number.NaN, liveness: 90 })).toBe('quality');
    expect(captureProblem({ template: new Int8Array(10), quality: 90, liveness: 90 })).toBe(
      'format',
    );
  });

  it('fusion scores a fresh probe higher than any single capture does, impostors not', () => {
    let fusedWins = 0;
    for (let s = 0; s < 50; s++) {
      const caps = [0, 1, 2].map((k) => pop.capture(s, 80, 900_000 + k));
      const fused = fuseTemplates(caps);
      const probe = pop.capture(s, 80, 1);
      const single = pt1Similarity(caps[0]!, probe);
      if (pt1Similarity(fused, probe) > single) fusedWins++;
      expect(Math.abs(cosine(fused, pop.capture(s + 5000, 80, 1)))).toBeLessThan(0.4);
    }
    expect(fusedWins).toBeGreaterThan(45);
  });

  it('captures of one palm agree, of two palms do not', () => {
    const a = [0, 1, 2].map((k) => pop.capture(7, 90, k + 1));
    expect(leastAgreement(a)).toBeGreaterThan(CONSISTENCY_MIN);
    expect(leastAgreement([...a, pop.capture(8, 90, 1)])).toBeLessThan(CONSISTENCY_MIN);
    expect(() => fuseTemplates([])).toThrow(RangeError);
  });
});
