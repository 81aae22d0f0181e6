import type { Matcher } from '../../../wasm/loader/kernel';
import type { MatchReply } from './protocol';

/** Top template and the best score of a *different* template (a record may hold several rows). */
export function bestTwo(
  matcher: Matcher,
  rowTemplate: readonly string[],
  probe: Int8Array,
): MatchReply {
  if (rowTemplate.length === 0) return { templateId: null, score: 0, runnerUpScore: null };
  const hits = matcher.search(probe, Math.min(rowTemplate.length, 32));
  const top = hits[0]!;
  const templateId = rowTemplate[top.index]!;
  const other = hits.find((h) => rowTemplate[h.index] !== templateId);
  return { templateId, score: top.score, runnerUpScore: other ? other.score : null };
}
