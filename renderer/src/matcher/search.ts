import { prefilterIsDecisive } from '../../../wasm/loader/guard';
import type { PrefilterGuard } from '../../../wasm/loader/guard';
import type { MatchHit } from '../../../wasm/loader/merge';
import { thresholds } from '../../../common/shard/policy';
import type { MatchPolicy } from '../../../common/shard/policy';
import type { MatchReply } from './protocol';

/**
 * The guard for the store's policy at this gallery size (wasm/loader/guard.ts). The slack, how far
 * above the runner-up found a skipped row is assumed to stay, is the margin δ: the bench measures
 * decision agreement with exact search at exactly this setting (docs/benchmarks.md).
 */
export function prefilterGuardFor(policy: MatchPolicy, galleryTemplates: number): PrefilterGuard {
  const t = thresholds(policy, galleryTemplates);
  return { stepUp: t.stepUp, accept: t.accept, margin: policy.margin, slack: policy.margin };
}

/** Any row matcher: one thread (Matcher) or a pool; `candidates` > 0 asks for the pre-filter. */
export type RowSearch = (probe: Int8Array, k: number, candidates: number) => MatchHit[];

/** Rows looked at per search: enough to find a different template behind a record's others. */
const TOP_ROWS = 32;

/** The first hit of each template, in order: a record may hold several rows. */
function distinctTemplates(hits: readonly MatchHit[], rowTemplate: readonly string[]): MatchHit[] {
  const seen = new Set<string>();
  return hits.filter((h) => {
    const t = rowTemplate[h.index]!;
    if (seen.has(t)) return false;
    seen.add(t);
    return true;
  });
}

/**
 * Top template and the best score of a *different* template. With `prefilter`, the sign-code
 * pre-filter answers when its guard says the decision cannot differ from an exact search's
 * (wasm/loader/guard.ts, applied to templates, not rows); otherwise every row is scored.
 */
export function bestTwo(
  search: RowSearch,
  rowTemplate: readonly string[],
  probe: Int8Array,
  prefilter?: { readonly candidates: number; readonly guard: PrefilterGuard },
): MatchReply & { readonly exact: boolean } {
  if (rowTemplate.length === 0)
    return { templateId: null, score: 0, runnerUpScore: null, exact: true };
  const k = Math.min(rowTemplate.length, TOP_ROWS);
  let exact = true;
  let hits: MatchHit[] | undefined;
  if (prefilter && prefilter.candidates < rowTemplate.length) {
    const pre = distinctTemplates(search(probe, k, prefilter.candidates), rowTemplate);
    if (prefilterIsDecisive(pre, prefilter.guard)) {
      hits = pre;
      exact = false;
    }
  }
  hits ??= distinctTemplates(search(probe, k, 0), rowTemplate);
  const top = hits[0]!;
  return {
    templateId: rowTemplate[top.index]!,
    score: top.score,
    runnerUpScore: hits[1] ? hits[1].score : null,
    exact,
  };
}
