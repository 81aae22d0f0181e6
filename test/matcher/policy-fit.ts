/**
 * A decision policy for the benchmarks and the accuracy report, measured on the synthetic
 * population the way a store's would be (docs/matcher.md, "Decision policy"): impostor scores
 * are captures of people not enrolled against enrolled templates, the tail is fitted with
 * fitImpostorTail above the 99.9th percentile, and the margin δ is β · ln 10 (the runner-up
 * must be ten times less likely as an impostor score than the best, in the fitted tail).
 *
 * Why 99.9th and not 99th: the population's impostor scores are a mixture (same-cluster pairs
 * around cosine 0.28, the rest around 0) whose upper tail falls faster than exponential, so an
 * exponential fitted lower down has too large a β and puts thresholds far above the measured
 * ones (docs/accuracy.md compares them). 400 x 4096 scores leave ~1600 above the 99.9th.
 */
import type { Population } from '../../common/palm/population';
import { decide, fitImpostorTail } from '../../common/shard/policy';
import type { Decision, MatchPolicy } from '../../common/shard/policy';
import type { MatchHit } from '../../wasm/loader/merge';

export const DIMS = 512;

/** Subject indices at or above this are never enrolled: the impostor (non-mated) probes. */
export const NOT_ENROLLED = 1_000_000_000;

/** Scores of `probes` impostor captures against the first `rows` templates of the gallery. */
export function impostorScores(
  pop: Population,
  gallery: Int8Array,
  probes = 400,
  rows = 4096,
): Int32Array {
  const n = Math.min(rows, gallery.length / DIMS);
  if (n < 1) throw new RangeError('the gallery is empty');
  const out = new Int32Array(probes * n);
  for (let i = 0; i < probes; i++) {
    const p = pop.capture(NOT_ENROLLED + 500_000 + i, 80, 7);
    for (let r = 0; r < n; r++) {
      let s = 0;
      const base = r * DIMS;
      for (let d = 0; d < DIMS; d++) s += gallery[base + d]! * p[d]!;
      out[i * n + r] = s;
    }
  }
  return out;
}

export function fitPolicy(
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

/** The policy's decision for a top-k list (k ≥ 2) from a gallery of n templates. */
export function decisionOf(policy: MatchPolicy, n: number, hits: readonly MatchHit[]): Decision {
  const best = hits[0];
  return decide(policy, n, {
    templateId: best ? String(best.index) : null,
    score: best?.score ?? 0,
    runnerUpScore: hits[1]?.score ?? null,
  });
}

export function sameDecision(a: Decision, b: Decision): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'no-match' || b.kind === 'no-match') return true;
  return (
    a.templateId === b.templateId && (a.kind !== 'step-up' || a.reason === (b as typeof a).reason)
  );
}
