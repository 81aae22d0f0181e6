// Shared by every kernel variant: the top-k list and the sign-code pre-filter bookkeeping.
// The list lives in linear memory at `out` as k pairs (score i32, index i32), sorted by score
// descending and, among equal scores, by index ascending. Rows are always scanned in ascending
// index order, so "insert after every entry whose score is >= the new one" gives the lower index
// the win on a tie, which is what makes every variant (and every worker split) agree exactly.

/** Inserts (score, index) into a list currently holding `count` entries; returns the new count. */
export function insertTopK(out: usize, count: i32, k: i32, score: i32, index: i32): i32 {
  if (count == k) {
    // Full: only a strictly better score gets in (a tie loses to the earlier, lower index).
    if (score <= load<i32>(out + ((<usize>(k - 1)) << 3))) return count;
    count = k - 1;
  }
  let pos = count;
  while (pos > 0) {
    const prev = out + ((<usize>(pos - 1)) << 3);
    if (load<i32>(prev) >= score) break;
    store<i64>(prev + 8, load<i64>(prev));
    pos--;
  }
  const slot = out + ((<usize>pos) << 3);
  store<i32>(slot, score);
  store<i32>(slot, index, 4);
  return count + 1;
}

/** Dimension of a PT1 template: 512 int8 values, so 32 vectors of 16 lanes. */
export const DIMS: i32 = 512;
/** Bytes of a sign code: one bit per dimension. */
export const CODE_BYTES: i32 = 64;
/** Histogram bins for Hamming distances 0..512. */
export const HIST_BINS: i32 = 513;

/**
 * Picks the smallest Hamming radius whose ball holds at least `candidates` rows, from a
 * histogram of HIST_BINS u32 counts. Ties at the radius are all kept, so the cut is
 * deterministic and independent of the worker split inside the range.
 */
export function radiusFor(hist: usize, candidates: i32): i32 {
  let total: i32 = 0;
  for (let d: i32 = 0; d < HIST_BINS; d++) {
    total += load<i32>(hist + ((<usize>d) << 2));
    if (total >= candidates) return d;
  }
  return HIST_BINS - 1;
}
