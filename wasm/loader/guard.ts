import type { MatchHit } from './merge';

/**
 * When a pre-filtered top-k may stand in for the exact one.
 *
 * The pre-filter scores exactly every row whose sign code lies near the probe's and skips the
 * rest, so every score it returns is exact but a skipped row could score higher than the rows it
 * kept. The guard's working assumption, the one `npm run bench:matcher` measures as decision
 * agreement, is that a skipped row (further from the probe in Hamming distance than every row
 * kept) scores at most `slack` above the best *runner-up* found: m = runnerUp + slack. Then:
 *
 * - best < stepUp (no match): exact also says no match iff no skipped row reaches stepUp, m < stepUp;
 * - best >= stepUp: the winner stands iff m < best (a tie would go to a lower skipped index);
 *   - best < accept: step-up for its score, whatever the runner-up: decided;
 *   - best >= accept: the exact runner-up lies in [runnerUp, m], so the margin is decided when
 *     best − runnerUp >= margin + slack (accept) or best − runnerUp < margin (step-up for it).
 *
 * Anything else goes to the exact search. Only the runner-up's uncertainty matters: the best
 * score is exact, so its place against the thresholds needs no slack.
 */
export interface PrefilterGuard {
  /** The policy's step-up threshold for this gallery size (common/shard/policy.ts). */
  readonly stepUp: number;
  /** The policy's accept threshold for this gallery size; >= stepUp. */
  readonly accept: number;
  /** Least margin (best − runner-up) for an accept. */
  readonly margin: number;
  /** How far above the runner-up found a skipped row may score, in score units. */
  readonly slack: number;
}

export function checkGuard(g: PrefilterGuard): void {
  if (!Number.isFinite(g.stepUp) || !Number.isFinite(g.accept) || g.accept < g.stepUp)
    throw new RangeError('guard thresholds must be finite numbers with accept >= stepUp');
  if (!(g.margin >= 0) || !(g.slack >= 0))
    throw new RangeError('guard margin and slack must be >= 0');
}

/** True when `hits` (a pre-filtered top-k, k >= 2) decides the same as an exact search would. */
export function prefilterIsDecisive(hits: readonly MatchHit[], g: PrefilterGuard): boolean {
  const best = hits[0];
  const runnerUp = hits[1];
  // With fewer than two rows kept there is no runner-up to bound the skipped rows by.
  if (!best || !runnerUp) return false;
  const skippedAtMost = runnerUp.score + g.slack;
  if (best.score < g.stepUp) return skippedAtMost < g.stepUp;
  if (skippedAtMost >= best.score) return false;
  if (best.score < g.accept) return true;
  const margin = best.score - runnerUp.score;
  return margin >= g.margin + g.slack || margin < g.margin;
}

/**
 * The guarded search both matchers share: `run(candidates)` searches with the pre-filter
 * (candidates > 0) or exactly (0); the exact search runs only when the guard asks for it.
 */
export function guardedSearch(
  run: (candidates: number) => MatchHit[],
  k: number,
  candidates: number,
  guard: PrefilterGuard,
): { hits: MatchHit[]; exact: boolean } {
  checkGuard(guard);
  if (k < 2) throw new RangeError('a guarded search needs k >= 2 (the margin needs a runner-up)');
  const pre = run(candidates);
  if (prefilterIsDecisive(pre, guard)) return { hits: pre, exact: false };
  return { hits: run(0), exact: true };
}
