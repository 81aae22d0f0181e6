import type { Variant } from './features';
import { Matcher } from './kernel';
import { DIMS } from './layout';

/** Rows in the calibration gallery: 4 MB, past L2, so it times streaming as a real shard does. */
export const CALIBRATION_ROWS = 8192;
/** Searches per timed sample: one search is ~0.2 ms, near a non-isolated page's timer grain. */
const SEARCHES_PER_SAMPLE = 4;

export interface Calibration {
  readonly fastest: Variant;
  /** Median milliseconds per search, per variant. */
  readonly medianMs: Readonly<Partial<Record<Variant, number>>>;
}

/**
 * Times one exact search per build on a synthetic gallery, in this process, and names the
 * fastest. Why: a build that validates and computes right is not necessarily faster — in
 * Chromium 156 on AMD EPYC the relaxed-SIMD build ran ~15% slower than plain SIMD at N = 10k and
 * 100k (docs/benchmarks.md). Samples alternate between builds so background load hits both alike;
 * on a tie the earlier-listed build wins. Costs ~20–40 ms.
 */
export async function calibrate(
  modules: ReadonlyArray<readonly [Variant, WebAssembly.Module]>,
  rounds = 9,
): Promise<Calibration> {
  if (modules.length === 0) throw new RangeError('calibrate needs at least one build');
  const gallery = new Int8Array(CALIBRATION_ROWS * DIMS);
  let seed = 2463534242;
  for (let i = 0; i < gallery.length; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    gallery[i] = (seed % 255) - 127;
  }
  const probe = gallery.slice(17 * DIMS, 18 * DIMS);
  const matchers = await Promise.all(
    modules.map(async ([v, m]) => [v, await Matcher.create(m, v, gallery)] as const),
  );
  const samples = new Map<Variant, number[]>(modules.map(([v]) => [v, []]));
  for (let r = 0; r <= rounds; r++) {
    for (const [v, matcher] of matchers) {
      const t0 = performance.now();
      for (let s = 0; s < SEARCHES_PER_SAMPLE; s++) matcher.search(probe, 2);
      if (r > 0) samples.get(v)!.push((performance.now() - t0) / SEARCHES_PER_SAMPLE); // r 0 warms up
    }
  }
  const medianMs: Partial<Record<Variant, number>> = {};
  for (const [v, xs] of samples) medianMs[v] = xs.sort((a, b) => a - b)[xs.length >> 1]!;
  let fastest = modules[0]![0];
  for (const [v] of modules) if (medianMs[v]! < medianMs[fastest]!) fastest = v;
  return { fastest, medianMs };
}
