import type { MatchHit } from './merge';

/**
 * When a pre-filtered top-k may stand in for the exact one. The pre-filter scores only the rows
 * whose sign codes lie near the probe's, so it can miss rows; every score it returns is exact,
 * and its best score never exceeds the exact best. A missed row changes the decision only if it
 * scores near a decision boundary: above the best found (a different winner), or above
 * best − margin (a thinner margin). So the pre-filtered result is decisive only when the best
 * score lies at least `slack` away from every score threshold and the margin clears the margin
 * threshold by `slack` (or the best is far below every threshold: no match); otherwise the
 * caller searches exactly. The thresholds are the policy's (common/shard/policy.ts `thresholds`).
 */
export interface PrefilterGuard {
  /** Score thresholds the decision compares the best score with (step-up, accept). */
  readonly thresholds: readonly number[];
  /** Least margin (best − runner-up) for an accept. */
  readonly margin: number;
  /** Distance from any boundary, in score units, within which only an exact search is trusted. */
  readonly slack: number;
}

export function checkGuard(g: PrefilterGuard): void {
  if (g.thresholds.length === 0 || !g.thresholds.every(Number.isFinite))
    throw new RangeError('guard thresholds must be finite numbers');
  if (!(g.margin >= 0) || !(g.slack >= 0))
    throw new RangeError('guard margin and slack must be >= 0');
}

/** True when `hits` (a pre-filtered top-k, k >= 2) decides the same as an exact search would. */
export function prefilterIsDecisive(hits: readonly MatchHit[], g: PrefilterGuard): boolean {
  const best = hits[0];
  if (!best) return false;
  const low = Math.min(...g.thresholds);
  const high = Math.max(...g.thresholds);
  // Far below every threshold: no match, unless a missed row scores `slack` above the best.
  if (best.score < low - g.slack) return true;
  if (best.score < high + g.slack) return false;
  // A clear accept: the runner-up (if any was found) must be far enough below, with slack, since
  // a missed row between it and the best would thin the margin.
  const runnerUp = hits[1];
  return runnerUp === undefined ? false : best.score - runnerUp.score >= g.margin + g.slack;
}
