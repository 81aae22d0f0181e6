import { describe, expect, it } from 'vitest';
import { nodeKernelSource } from '../node/load';
import { calibrate } from './calibrate';

describe('calibrate', () => {
  it('names the faster build: simd over scalar, listed in either order', async () => {
    const simd = await nodeKernelSource('simd', false);
    const scalar = await nodeKernelSource('scalar', false);
    for (const order of [
      [
        ['scalar', scalar],
        ['simd', simd],
      ],
      [
        ['simd', simd],
        ['scalar', scalar],
      ],
    ] as const) {
      const c = await calibrate(order, 3);
      expect(c.fastest).toBe('simd');
      expect(c.medianMs.simd).toBeGreaterThan(0);
      expect(c.medianMs.scalar).toBeGreaterThan(c.medianMs.simd!);
    }
  });

  it('refuses an empty list', async () => {
    await expect(calibrate([])).rejects.toThrow(/at least one/);
  });
});
