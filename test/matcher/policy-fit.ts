/**
 * The decision policy the matcher's bench and accuracy report use: fitted on the synthetic
 * population (common/shard/population-fit.ts), and how a top-k list decides under it.
 */
import { decide } from '../../common/shard/policy';
import type { Decision, MatchPolicy } from '../../common/shard/policy';
import type { MatchHit } from '../../wasm/loader/merge';

export { NOT_ENROLLED } from '../../common/palm/population';
export { fitPolicyOnPopulation as fitPolicy } from '../../common/shard/population-fit';

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
