import { describe, expect, it } from 'vitest';
import { DEMO_POLICY, demoPhoneLast4, demoPopulation, demoShopper } from '../demo-shoppers';
import { bestScore, digitsMatch, judgeMatch } from './rematch';

const population = demoPopulation();
const enrolled = (i: number) => [population.enrollTemplate(i)];

describe('1:1 re-match against the claimed shopper', () => {
  it('a capture of the shopper clears the 1:1 threshold and is a clear accept', () => {
    const score = bestScore(population.capture(5, 90, 1), enrolled(5));
    const j = judgeMatch({
      policy: DEMO_POLICY,
      score,
      galleryTemplates: 2000,
      laneMargin: null,
    });
    expect(j.finding).toBeNull();
    expect(j.nearThreshold).toBe(false);
  });

  it('a capture of someone else is NOT_THIS_SHOPPER, whoever the lane says it is', () => {
    for (let i = 0; i < 50; i++) {
      const score = bestScore(population.capture(1_000_000_000 + i, 90, 1), enrolled(i));
      const j = judgeMatch({
        policy: DEMO_POLICY,
        score,
        galleryTemplates: 2000,
        laneMargin: null,
      });
      expect(j.finding?.reason).toBe('NOT_THIS_SHOPPER');
      expect(j.finding?.action).toBe('decline');
    }
  });

  it('a thin margin over the runner-up, or a thin score for the gallery, asks for step-up', () => {
    const score = bestScore(population.capture(5, 90, 1), enrolled(5));
    const thinMargin = judgeMatch({
      policy: DEMO_POLICY,
      score,
      galleryTemplates: 2000,
      laneMargin: 10,
    });
    expect(thinMargin.finding).toMatchObject({ action: 'step-up', reason: 'STEP_UP_REQUIRED' });
    // Just above the 1:1 threshold: fine for one comparison, too thin for 2000.
    const thin = judgeMatch({
      policy: DEMO_POLICY,
      score: 320_000,
      galleryTemplates: 2000,
      laneMargin: null,
    });
    expect(thin.finding?.action).toBe('step-up');
    expect(thin.nearThreshold).toBe(true);
    // The gallery sets the bar: with one template the same score is a clear accept (callers pass
    // the larger of the lane's and the store's gallery, so a lane cannot shrink it).
    const small = judgeMatch({
      policy: DEMO_POLICY,
      score: 320_000,
      galleryTemplates: 1,
      laneMargin: null,
    });
    expect(small.finding).toBeNull();
  });
});

describe('step-up digits', () => {
  it('match the salted hash only with the right four digits', () => {
    const r = demoShopper(population, 9);
    const right = demoPhoneLast4(9);
    expect(digitsMatch(r.phoneLast4, right)).toBe(true);
    const wrong = String((Number(right) + 1) % 10_000).padStart(4, '0');
    expect(digitsMatch(r.phoneLast4, wrong)).toBe(false);
  });
});
