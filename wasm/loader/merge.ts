export interface MatchHit {
  readonly index: number;
  /** Raw integer dot product of probe and template. */
  readonly score: number;
}

/** Higher score first; on equal scores the lower index first (the kernels' tie rule). */
export function compareHits(a: MatchHit, b: MatchHit): number {
  return b.score - a.score || a.index - b.index;
}

/** Merges per-range top-k lists into one, keeping the kernels' order and tie rule. */
export function mergeTopK(lists: readonly (readonly MatchHit[])[], k: number): MatchHit[] {
  return lists.flat().sort(compareHits).slice(0, k);
}
