/**
 * Adversarial galleries for the matcher kernels, shared by the Vitest suite (Node) and the
 * Chromium run (the only place relaxed SIMD is correct on this project's Node 20).
 */
export const DIMS = 512;

export interface KernelCase {
  readonly name: string;
  readonly gallery: Int8Array;
  readonly probes: readonly Int8Array[];
}

function rows(n: number, fill: (row: number, dim: number) => number): Int8Array {
  const g = new Int8Array(n * DIMS);
  for (let r = 0; r < n; r++) for (let d = 0; d < DIMS; d++) g[r * DIMS + d] = fill(r, d);
  return g;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % 255) - 127;
}

const constant = (v: number) => rows(1, () => v);
const alternating = (first: number) => rows(1, (_, d) => (d % 2 ? -first : first));

export function adversarialCases(): KernelCase[] {
  const rnd = lcg(7);
  const random = (n: number) => rows(n, () => rnd());
  const extremes = (n: number) => rows(n, () => (rnd() > 0 ? 127 : -127));
  const standardProbes = [
    constant(127),
    constant(-127),
    constant(0),
    alternating(127),
    alternating(-127),
    random(1),
    extremes(1),
  ];
  const base = random(37);
  const dupes = new Int8Array(40 * DIMS);
  // Rows 3, 11, 12 and 39 are copies of one template: equal scores must come back in index order.
  for (let r = 0; r < 40; r++)
    dupes.set(base.subarray((r % 9) * DIMS, ((r % 9) + 1) * DIMS), r * DIMS);
  for (const r of [3, 11, 12, 39]) dupes.set(base.subarray(0, DIMS), r * DIMS);
  return [
    { name: 'N = 0', gallery: new Int8Array(0), probes: standardProbes },
    { name: 'N = 1 random', gallery: random(1), probes: standardProbes },
    { name: 'N = 1 all +127', gallery: constant(127), probes: standardProbes },
    { name: 'all +127 x 7', gallery: rows(7, () => 127), probes: standardProbes },
    { name: 'all -127 x 6', gallery: rows(6, () => -127), probes: standardProbes },
    { name: 'zeros x 5', gallery: rows(5, () => 0), probes: standardProbes },
    {
      name: 'alternating signs x 9',
      gallery: rows(9, (r, d) => ((d + r) % 2 ? -127 : 127)),
      probes: standardProbes,
    },
    { name: 'duplicates x 40', gallery: dupes, probes: [...standardProbes, base.slice(0, DIMS)] },
    {
      name: 'extremes x 33 (N not a multiple of 4 or 16)',
      gallery: extremes(33),
      probes: standardProbes,
    },
    { name: 'random x 1021', gallery: random(1021), probes: [...standardProbes, random(1)] },
  ];
}

export interface Hit {
  readonly index: number;
  readonly score: number;
}

/** Reference top-k in plain JavaScript: score descending, then index ascending. */
export function referenceTopK(gallery: Int8Array, probe: Int8Array, k: number): Hit[] {
  const n = gallery.length / DIMS;
  const all: Hit[] = [];
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let d = 0; d < DIMS; d++) s += gallery[r * DIMS + d]! * probe[d]!;
    all.push({ index: r, score: s });
  }
  return all.sort((a, b) => b.score - a.score || a.index - b.index).slice(0, k);
}
