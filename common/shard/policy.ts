/**
 * The 1:N decision: accept, ask for step-up (e.g. the last four phone digits), or no match.
 *
 * In a 1:N search every enrolled template is a chance for a false match, so the false-positive
 * identification rate grows with the gallery: FPIR(t, N) = 1 − (1 − FMR(t))^N ≈ N · FMR(t).
 * Holding FPIR at a target α therefore needs a per-comparison FMR of α / N, i.e. a threshold
 * that rises with N. Those FMRs (1e-10 for α = 1e-4 at N = 1M) lie far beyond any measured
 * sample, so the impostor tail is modelled: above a high quantile u of measured impostor scores
 * the tail is taken as exponential (peaks over threshold), P(S > s) = p_u · exp(−(s − u) / β),
 * with β the mean excess over u. Then t(N, α) = u + β · ln(p_u · N / α). See docs/matcher.md.
 */

import { checkMeasured, measuredThreshold } from './policy-measured';
import type { MeasuredNonMated } from './policy-measured';

export interface ImpostorTail {
  /** Score above which the tail model applies (a high quantile of impostor scores). */
  readonly u: number;
  /** Fraction of impostor scores above u. */
  readonly pu: number;
  /** Mean excess over u (the exponential tail's scale), > 0. */
  readonly beta: number;
}

export interface MatchPolicy {
  /** Target FPIR for an outright accept, e.g. 1e-4. */
  readonly acceptFpir: number;
  /** Looser target FPIR for asking for step-up, e.g. 1e-2 (a second factor follows). */
  readonly stepUpFpir: number;
  /** Least margin over the runner-up for an outright accept (raw score units). */
  readonly margin: number;
  readonly tail: ImpostorTail;
  /**
   * Measured non-mated searches (common/shard/policy-measured.ts). When present, thresholds come
   * from them and `tail` is not used for thresholds.
   */
  readonly measured?: MeasuredNonMated;
}

export type Decision =
  | { readonly kind: 'accept'; readonly templateId: string }
  | { readonly kind: 'step-up'; readonly templateId: string; readonly reason: 'score' | 'margin' }
  | { readonly kind: 'no-match' };

export interface SearchOutcome {
  readonly templateId: string | null;
  readonly score: number;
  /** Best score of a different template; null when the gallery holds one template. */
  readonly runnerUpScore: number | null;
}

export function checkPolicy(p: MatchPolicy): void {
  const rate = (x: number) => Number.isFinite(x) && x > 0 && x < 1;
  if (!rate(p.acceptFpir) || !rate(p.stepUpFpir))
    throw new RangeError('FPIR targets must lie in (0, 1)');
  if (p.stepUpFpir < p.acceptFpir) throw new RangeError('stepUpFpir must be >= acceptFpir');
  if (!(p.margin >= 0)) throw new RangeError('margin must be >= 0');
  if (!(p.tail.beta > 0) || !rate(p.tail.pu) || !Number.isFinite(p.tail.u))
    throw new RangeError('bad impostor tail');
  if (p.measured) checkMeasured(p.measured);
}

/** Score for which N comparisons give a false match with probability `fpir`. */
export function thresholdFor(tail: ImpostorTail, n: number, fpir: number): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`gallery size must be >= 1, got ${n}`);
  // Per-comparison rate from the FPIR, exactly: FMR = 1 − (1 − α)^(1/N).
  const fmr = -Math.expm1(Math.log1p(-fpir) / n);
  // Never below u: the model is only trusted in the tail.
  return tail.u + tail.beta * Math.max(0, Math.log(tail.pu / fmr));
}

export function thresholds(p: MatchPolicy, n: number): { accept: number; stepUp: number } {
  if (p.measured)
    return {
      accept: measuredThreshold(p.measured, n, p.acceptFpir),
      stepUp: measuredThreshold(p.measured, n, p.stepUpFpir),
    };
  return {
    accept: thresholdFor(p.tail, n, p.acceptFpir),
    stepUp: thresholdFor(p.tail, n, p.stepUpFpir),
  };
}

/** Accept on a clear score and margin; step-up when either is thin; otherwise no match. */
export function decide(p: MatchPolicy, galleryTemplates: number, o: SearchOutcome): Decision {
  if (o.templateId === null || galleryTemplates < 1) return { kind: 'no-match' };
  const t = thresholds(p, galleryTemplates);
  if (o.score < t.stepUp) return { kind: 'no-match' };
  const marginOk = o.runnerUpScore === null || o.score - o.runnerUpScore >= p.margin;
  if (o.score >= t.accept && marginOk) return { kind: 'accept', templateId: o.templateId };
  return {
    kind: 'step-up',
    templateId: o.templateId,
    reason: o.score >= t.accept ? 'margin' : 'score',
  };
}

/**
 * Fits the impostor tail from measured impostor scores (probes of people not enrolled, or
 * non-mated pairs): u is the (1 − tailFraction) quantile, β the mean excess above it.
 */
export function fitImpostorTail(scores: ArrayLike<number>, tailFraction = 0.01): ImpostorTail {
  const sorted = Float64Array.from(scores).sort();
  const k = Math.floor(sorted.length * tailFraction);
  if (k < 20) throw new RangeError(`need at least ${Math.ceil(20 / tailFraction)} impostor scores`);
  const u = sorted[sorted.length - k - 1]!;
  let excess = 0;
  for (let i = sorted.length - k; i < sorted.length; i++) excess += sorted[i]! - u;
  const beta = excess / k;
  if (!(beta > 0)) throw new RangeError('impostor scores have no spread in their tail');
  return { u, pu: k / sorted.length, beta };
}
