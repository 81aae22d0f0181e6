/**
 * Decision thresholds from measured non-mated searches instead of a modelled pairwise tail
 * (common/shard/policy.ts). The cloud can measure them on its own gallery, leave-one-out: search
 * each enrolled template against the gallery without its own record and keep the best score. That
 * is a non-mated search at (almost) the store's own size, so a target FPIR is a quantile of those
 * scores and needs no extrapolation from single comparisons (α / N = 1e-9 at 100k, where the
 * exponential pairwise tail put thresholds far too high: docs/accuracy.md).
 *
 * For another gallery size N the rate is carried over by independence of comparisons:
 * FPIR_N(t) = 1 − (1 − FPIR_n(t))^(N/n), so the target α at N is the quantile α_n =
 * 1 − (1 − α)^(n/N) of the measured scores. Where fewer than MIN_FALSE_MATCHES measured scores
 * would lie above it, the top of the measured list is extended with an exponential fitted to it
 * (a tail of the *best* score, not of single comparisons, so it reaches only a factor N/n further).
 */
export interface MeasuredNonMated {
  /** Gallery size (templates) the non-mated searches were run against. */
  readonly n: number;
  /** How many non-mated searches were run. */
  readonly searches: number;
  /** Their highest best scores, descending: at least the step-up target's share of `searches`. */
  readonly top: readonly number[];
}

/** A quantile read from the measured list rests on at least this many false matches. */
export const MIN_FALSE_MATCHES = 10;

/** Keeps what a policy needs from all the best scores: the top `share` of them (≥ 100). */
export function measureNonMated(
  bestScores: ArrayLike<number>,
  n: number,
  share = 0.02,
): MeasuredNonMated {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('gallery size must be >= 1');
  const sorted = Float64Array.from(bestScores).sort().reverse();
  const keep = Math.min(sorted.length, Math.max(100, Math.ceil(sorted.length * share)));
  if (sorted.length < 100) throw new RangeError('need at least 100 non-mated searches');
  return { n, searches: sorted.length, top: Array.from(sorted.subarray(0, keep)) };
}

export function checkMeasured(m: MeasuredNonMated): void {
  if (!Number.isInteger(m.n) || m.n < 1 || !Number.isInteger(m.searches) || m.searches < 100)
    throw new RangeError('measured non-mated searches need n >= 1 and >= 100 searches');
  if (m.top.length < 20 || m.top.length > m.searches)
    throw new RangeError('measured non-mated top list must hold 20 … searches scores');
  for (let i = 1; i < m.top.length; i++)
    if (!(m.top[i]! <= m.top[i - 1]!)) throw new RangeError('measured top scores must descend');
}

/** The rate at the measured size that gives `fpir` at gallery size `galleryN`. */
function measuredAlpha(m: MeasuredNonMated, galleryN: number, fpir: number): number {
  if (!Number.isInteger(galleryN) || galleryN < 1)
    throw new RangeError(`gallery size must be >= 1, got ${galleryN}`);
  return -Math.expm1((m.n / galleryN) * Math.log1p(-fpir));
}

/**
 * Where in `m.top` the threshold for `fpir` at `galleryN` is read when it is a plain quantile
 * resting on at least MIN_FALSE_MATCHES measured scores; null when it needs the exponential.
 */
export function measuredQuantileIndex(
  m: MeasuredNonMated,
  galleryN: number,
  fpir: number,
): number | null {
  const k = Math.floor(measuredAlpha(m, galleryN, fpir) * m.searches);
  return k >= MIN_FALSE_MATCHES && k < m.top.length ? k : null;
}

/** Least score t with FPIR(t) ≤ fpir at gallery size `galleryN`, from the measured searches. */
export function measuredThreshold(m: MeasuredNonMated, galleryN: number, fpir: number): number {
  const k = measuredQuantileIndex(m, galleryN, fpir);
  if (k !== null) return m.top[k]! + 1;
  const alpha = measuredAlpha(m, galleryN, fpir);
  // Exponential over the kept top scores: P(best ≥ u + x) = p_u · e^(−x/β).
  const u = m.top[m.top.length - 1]!;
  let excess = 0;
  for (const s of m.top) excess += s - u;
  const beta = Math.max(1, excess / (m.top.length - 1));
  const pu = m.top.length / m.searches;
  return Math.ceil(u + beta * Math.max(0, Math.log(pu / alpha)));
}
