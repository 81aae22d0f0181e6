import { beforeAll, describe, expect, it } from 'vitest';
import { referenceTopK } from '../../test/matcher/cases';
import { nodeKernelSource } from '../node/load';
import { detectSupport } from './features';
import type { Variant } from './features';
import { KernelRunner, memoryFor } from './kernel';
import { BLOCK_ROWS, DIMS, PAGE, STAGE_ROWS, layoutFor, slotAt } from './layout';
import { selfTest } from './select';

const verified = new Map<Variant, WebAssembly.Module>();

beforeAll(async () => {
  for (const v of (await detectSupport()).variants) {
    const m = await nodeKernelSource(v, false);
    if ((await selfTest(m, v)) === null) verified.set(v, m);
  }
});

function randomRows(n: number, seed: number): Int8Array {
  const g = new Int8Array(n * DIMS);
  let s = seed >>> 0;
  for (let i = 0; i < g.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    g[i] = (s % 255) - 127;
  }
  return g;
}

describe('layoutFor', () => {
  it('puts the staging page after the slots and sizes the gallery for whole 4-row blocks', () => {
    for (const n of [0, 1, 4, 5, 7, 8, 1001]) {
      const L = layoutFor(n, 3);
      expect(L.stage).toBeGreaterThanOrEqual(slotAt(2).probe + PAGE);
      expect(L.gallery - L.stage).toBe(STAGE_ROWS * DIMS);
      expect(L.codes - L.gallery).toBe(Math.ceil(n / BLOCK_ROWS) * BLOCK_ROWS * DIMS);
      expect(L.pages * PAGE).toBeGreaterThanOrEqual(L.bytes);
    }
  });
});

describe('KernelRunner.writeRows', () => {
  it('gives the same results when rows arrive in uneven pieces, out of order', async () => {
    // 303 rows: pieces that start and end mid-block and cross the staging area's 128 rows.
    const n = 303;
    const gallery = randomRows(n, 99);
    const probe = gallery.slice(150 * DIMS, 151 * DIMS).map((x, d) => (d % 3 ? x : 0));
    const pieces: [number, number][] = [
      [130, 303],
      [0, 5],
      [5, 6],
      [6, 130],
    ];
    for (const [v, module] of verified) {
      const layout = layoutFor(n, 1);
      const runner = await KernelRunner.create(module, v, memoryFor(layout, false), layout);
      // Rows written twice: the second write replaces the first.
      runner.writeRows(randomRows(10, 1), 100);
      for (const [a, b] of pieces) runner.writeRows(gallery.subarray(a * DIMS, b * DIMS), a);
      runner.buildCodes(0, n);
      runner.setProbe(0, probe);
      expect(runner.searchRange(0, 0, n, 7), v).toEqual(referenceTopK(gallery, probe, 7));
      // A range starting and ending mid-block, and the prefilter keeping every row.
      const sub = gallery.subarray(3 * DIMS, 298 * DIMS);
      const expected = referenceTopK(sub, probe, 5).map((h) => ({ ...h, index: h.index + 3 }));
      expect(runner.searchRange(0, 3, 298, 5), v).toEqual(expected);
      expect(runner.searchRange(0, 3, 298, 5, 294), v).toEqual(expected);
    }
  });

  it('refuses rows outside the gallery', async () => {
    const layout = layoutFor(6, 1);
    const runner = await KernelRunner.create(
      await nodeKernelSource('scalar', false),
      'scalar',
      memoryFor(layout, false),
      layout,
    );
    expect(() => runner.writeRows(new Int8Array(2 * DIMS), 5)).toThrow(/outside/);
    expect(() => runner.writeRows(new Int8Array(DIMS), -1)).toThrow(/outside/);
    expect(() => runner.writeRows(new Int8Array(DIMS), 0.5)).toThrow(/outside/);
    expect(() => runner.writeRows(new Int8Array(DIMS + 3), 0)).toThrow(/multiple of 512/);
  });
});
