import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { adversarialCases, DIMS, referenceTopK } from '../../test/matcher/cases';
import { nodeKernelSource } from '../node/load';
import { detectSupport, VARIANTS } from './features';
import type { Variant } from './features';
import { KernelRunner, Matcher, memoryFor } from './kernel';
import { layoutFor } from './layout';
import { selectKernel, selfTest } from './select';

// Every build this runtime both supports and computes correctly. On Node 20 that is simd and
// scalar (relaxed is missing, or broken behind its flag); on Node 22 and Chromium relaxed too.
const verified: Variant[] = [];
const modules = new Map<Variant, WebAssembly.Module>();

beforeAll(async () => {
  const support = await detectSupport();
  for (const v of support.variants) {
    const m = await nodeKernelSource(v, false);
    if ((await selfTest(m, v)) === null) {
      verified.push(v);
      modules.set(v, m);
    }
  }
});

async function matcherFor(v: Variant, gallery: Int8Array): Promise<Matcher> {
  return Matcher.create(modules.get(v)!, v, gallery);
}

describe('matcher kernels', () => {
  it('include a SIMD and a scalar build on Node', () => {
    expect(verified).toContain('simd');
    expect(verified).toContain('scalar');
  });

  for (const c of adversarialCases()) {
    it(`return the exact top-k with lower-index ties: ${c.name}`, async () => {
      for (const v of verified) {
        const m = await matcherFor(v, c.gallery);
        for (const probe of c.probes) {
          for (const k of [1, 2, 3, 50]) {
            expect(m.search(probe, k), `${v} k=${k}`).toEqual(referenceTopK(c.gallery, probe, k));
          }
        }
      }
    });
  }

  it('agree with the reference on random galleries of extreme values (property)', async () => {
    const tmpl = fc.array(fc.constantFrom(-127, -126, -1, 0, 1, 126, 127), {
      minLength: DIMS,
      maxLength: DIMS,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(tmpl, { maxLength: 13 }),
        tmpl,
        fc.integer({ min: 1, max: 6 }),
        async (g, p, k) => {
          const gallery = Int8Array.from(g.flat());
          const probe = Int8Array.from(p);
          const expected = referenceTopK(gallery, probe, k);
          for (const v of verified) {
            expect((await matcherFor(v, gallery)).search(probe, k)).toEqual(expected);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('prefilter gives identical results in every build, each with its exact score', async () => {
    const c = adversarialCases().find((x) => x.name.startsWith('random x'))!;
    for (const probe of c.probes) {
      const exact = referenceTopK(c.gallery, probe, c.gallery.length / DIMS);
      const scoreOf = new Map(exact.map((h) => [h.index, h.score]));
      let first: unknown;
      for (const v of verified) {
        const hits = (await matcherFor(v, c.gallery)).search(probe, 5, { candidates: 64 });
        for (const h of hits) expect(h.score).toBe(scoreOf.get(h.index));
        first ??= hits;
        expect(hits).toEqual(first);
      }
    }
  });

  it('prefilter finds a noisy copy of an enrolled template', async () => {
    const c = adversarialCases().find((x) => x.name.startsWith('random x'))!;
    const probe = c.gallery.slice(500 * DIMS, 501 * DIMS).map((x, d) => (d % 7 === 0 ? -x : x));
    for (const v of verified) {
      const hits = (await matcherFor(v, c.gallery)).search(probe, 2, { candidates: 16 });
      expect(hits).toEqual(referenceTopK(c.gallery, probe, 2));
    }
  });

  it('guarded prefilter falls back to the exact result near a decision boundary', async () => {
    const c = adversarialCases().find((x) => x.name.startsWith('random x'))!;
    const rows = c.gallery.length / DIMS;
    for (const v of verified) {
      const m = await matcherFor(v, c.gallery);
      for (const probe of c.probes) {
        const exact = referenceTopK(c.gallery, probe, 2);
        // Any skipped row might beat the best (unbounded slack): always exact.
        const unsure = { stepUp: -1e9, accept: 1e9, margin: 0, slack: 1e9 };
        expect(m.searchGuarded(probe, 2, 8, unsure)).toEqual({ hits: exact, exact: true });
        // Every score lies far below the thresholds: the pre-filtered result stands, scored exactly.
        const low = { stepUp: 1e9, accept: 1e9, margin: 0, slack: 0 };
        const pre = m.searchGuarded(probe, 2, 8, low);
        expect(pre.exact).toBe(false);
        expect(pre.hits).toEqual(m.search(probe, 2, { candidates: 8 }));
      }
      expect(rows).toBeGreaterThan(8);
      expect(() =>
        m.searchGuarded(c.probes[0]!, 1, 8, { stepUp: 0, accept: 0, margin: 0, slack: 0 }),
      ).toThrow(/k >= 2/);
    }
  });

  it('keep the probes of different slots apart within one instance', async () => {
    const c = adversarialCases().find((x) => x.name.startsWith('random x'))!;
    const n = c.gallery.length / DIMS;
    const [a, b] = [c.probes[5]!, c.probes[1]!];
    for (const v of verified) {
      const layout = layoutFor(n, 2);
      const runner = await KernelRunner.create(
        modules.get(v)!,
        v,
        memoryFor(layout, false),
        layout,
      );
      runner.writeRows(c.gallery, 0);
      runner.setProbe(0, a);
      runner.setProbe(1, b);
      expect(runner.searchRange(0, 0, n, 3), v).toEqual(referenceTopK(c.gallery, a, 3));
      expect(runner.searchRange(1, 0, n, 3), v).toEqual(referenceTopK(c.gallery, b, 3));
    }
  });

  it('refuse -128, wrong lengths and bad k', async () => {
    const m = await matcherFor('scalar', new Int8Array(DIMS));
    expect(() => m.search(new Int8Array(DIMS).fill(-128), 1)).toThrow(/-128/);
    expect(() => m.search(new Int8Array(10), 1)).toThrow(/512/);
    expect(() => m.search(new Int8Array(DIMS), 0)).toThrow(/k must/);
    await expect(matcherFor('scalar', new Int8Array(DIMS + 1))).rejects.toThrow(/multiple of 512/);
    await expect(matcherFor('scalar', new Int8Array(DIMS).fill(-128))).rejects.toThrow(
      /row 0 holds -128/,
    );
  });
});

describe('selectKernel', () => {
  it('auto picks the first verified build, or times relaxed against simd, and says so', async () => {
    const choice = await selectKernel(nodeKernelSource, 'auto');
    if (verified[0] === 'relaxed') {
      // Both SIMD builds verified (Node 22's V8 has relaxed SIMD, Node 20's has not): the
      // calibration picks whichever searched faster here, and the report shows both times.
      expect(['relaxed', 'simd']).toContain(choice.variant);
      expect(choice.report).toMatch(
        new RegExp(`^matcher: ${choice.variant} \\(auto; calibrated .* ms vs .* ms per search`),
      );
    } else {
      expect(choice.variant).toBe(verified[0]);
      expect(choice.report).toMatch(new RegExp(`^matcher: ${verified[0]} \\(auto`));
    }
  });

  it('refuses a module that is not the requested build', async () => {
    // A source that hands out the scalar build under the simd name: variant() gives it away.
    const lying = async (_v: Variant, shared: boolean) => nodeKernelSource('scalar', shared);
    await expect(selectKernel(lying, 'simd')).rejects.toThrow(/not the simd build/);
  });

  it('refuses an unsupported build by name', async () => {
    const missing = VARIANTS.filter((v) => !verified.includes(v));
    for (const v of missing)
      await expect(selectKernel(nodeKernelSource, v)).rejects.toThrow(/unsupported/);
  });
});
