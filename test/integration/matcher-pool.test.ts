import { afterAll, describe, expect, it } from 'vitest';
import { adversarialCases, referenceTopK } from '../matcher/cases';
import { createNodePool } from '../matcher/node-pool';
import type { MatcherPool } from '../../wasm/loader/pool';
import { Matcher } from '../../wasm/loader/kernel';
import { nodeKernelSource } from '../../wasm/node/load';

// A real worker_threads pool over one shared memory: results must equal one thread's, exactly.
const DIMS = 512;
const pools: MatcherPool[] = [];
afterAll(() => pools.forEach((p) => p.close()));

async function poolFor(gallery: Int8Array, threads: number): Promise<MatcherPool> {
  const pool = await createNodePool(await nodeKernelSource('simd', true), 'simd', gallery, threads);
  pools.push(pool);
  return pool;
}

describe('MatcherPool (worker_threads, shared wasm memory)', () => {
  it('returns exactly the single-thread top-k on every adversarial case, ties included', async () => {
    for (const c of adversarialCases()) {
      const pool = await poolFor(c.gallery, 3);
      expect(pool.threads).toBe(3);
      for (const probe of c.probes) {
        const k = Math.min(5, c.gallery.length / DIMS) || 1;
        expect(pool.search(probe, k), c.name).toEqual(referenceTopK(c.gallery, probe, k));
      }
      pool.close();
    }
  });

  it('pre-filters per slice and guards like the single-thread matcher', async () => {
    const c = adversarialCases().find((x) => x.name.startsWith('random x'))!;
    const pool = await poolFor(c.gallery, 2);
    const single = await Matcher.create(await nodeKernelSource('simd', false), 'simd', c.gallery);
    for (const probe of c.probes) {
      const exact = single.search(probe, 2);
      // A pre-filter keeping every row is the exact search.
      expect(pool.search(probe, 2, 1021)).toEqual(exact);
      // An unbounded slack never trusts the pre-filter.
      const unsure = { stepUp: -1e9, accept: 1e9, margin: 0, slack: 1e9 };
      expect(pool.searchGuarded(probe, 2, 16, unsure)).toEqual({ hits: exact, exact: true });
      // Each slice's pre-filtered hits are exact scores of real rows.
      for (const h of pool.search(probe, 2, 16)) {
        const row = c.gallery.subarray(h.index * DIMS, (h.index + 1) * DIMS);
        expect(h.score).toBe(referenceTopK(row, probe, 1)[0]!.score);
      }
    }
  });

  it('refuses bad input with a clear error and keeps working', async () => {
    const c = adversarialCases().find((x) => x.name.startsWith('extremes'))!;
    const pool = await poolFor(c.gallery, 2);
    expect(() => pool.search(new Int8Array(10), 2)).toThrow(/512 values/);
    expect(() => pool.search(c.probes[0]!, 0)).toThrow(/k must be/);
    expect(() => pool.search(c.probes[0]!, 2, -1)).toThrow(/candidates/);
    expect(pool.search(c.probes[0]!, 2)).toEqual(referenceTopK(c.gallery, c.probes[0]!, 2));
    pool.close();
    expect(() => pool.search(c.probes[0]!, 2)).toThrow(/closed/);
  });
});
