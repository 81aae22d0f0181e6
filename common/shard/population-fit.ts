import { NOT_ENROLLED, PT1_DIMS, type Population } from '../palm/population';
import { fitImpostorTail, type MatchPolicy } from './policy';

/**
 * A decision policy measured on the synthetic population the way a store's would be
 * (docs/matcher.md, "Decision policy"): impostor scores are captures of people never enrolled
 * (subjects NOT_ENROLLED + 500 000 + i, quality 80, capture seed 7) against enrolled templates,
 * the tail is fitted with fitImpostorTail above the 99.9th percentile, and the margin δ is
 * β · ln 10 (the runner-up must be ten times less likely as an impostor score than the best).
 *
 * Why 99.9th and not 99th: the population's impostor scores are a mixture (same-cluster pairs
 * around cosine 0.28, the rest around 0) whose upper tail falls faster than exponential, so an
 * exponential fitted lower down has too large a β and puts thresholds far above the measured
 * ones (docs/accuracy.md compares them). 400 x 4096 scores leave ~1600 above the 99.9th.
 * Used by the demo store's committed policy (cloud/demo-shoppers.ts) and the matcher's bench and
 * accuracy report (test/matcher/policy-fit.ts).
 */

/** Scores of `probes` impostor captures against the first `rows` templates of the gallery. */
export function impostorScores(
  pop: Population,
  gallery: Int8Array,
  probes = 400,
  rows = 4096,
): Int32Array {
  const D = PT1_DIMS; // a local: an imported binding in the inner loop costs ~4x under Vitest
  const n = Math.min(rows, gallery.length / D);
  if (n < 1) throw new RangeError('the gallery is empty');
  const out = new Int32Array(probes * n);
  for (let i = 0; i < probes; i++) {
    const p = pop.capture(NOT_ENROLLED + 500_000 + i, 80, 7);
    for (let r = 0; r < n; r++) {
      let s = 0;
      const base = r * D;
      for (let d = 0; d < D; d++) s += gallery[base + d]! * p[d]!;
      out[i * n + r] = s;
    }
  }
  return out;
}

/** The policy fitted on `gallery` (enrolment templates of `pop`), with FPIR targets. */
export function fitPolicyOnPopulation(
  pop: Population,
  gallery: Int8Array,
  targets: { acceptFpir?: number; stepUpFpir?: number } = {},
): MatchPolicy {
  const tail = fitImpostorTail(impostorScores(pop, gallery), 0.001);
  return {
    acceptFpir: targets.acceptFpir ?? 1e-4,
    stepUpFpir: targets.stepUpFpir ?? 1e-2,
    margin: Math.round(tail.beta * Math.LN10),
    tail,
  };
}
