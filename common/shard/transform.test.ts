import { describe, expect, it } from 'vitest';
import { createPopulation, NOT_ENROLLED } from '../palm/population';
import { deriveTransform, generateTransformKey, TRANSFORM_KEY_BYTES } from './transform';

const dot = (a: Int8Array, b: Int8Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
const pop = createPopulation({ seed: 3 });

describe('template transform', () => {
  it('keeps genuine and impostor scores: a rotation, up to re-quantisation', async () => {
    // A fixed key: the worst case over 200 pairs depends on the rotation (0.028–0.060 and
    // 5.3k–8.4k over eight random keys), and a test must not.
    const r = await deriveTransform('s1', { generation: 1, key: new Uint8Array(32).fill(7) });
    let worstGenuine = 0;
    let worstImpostor = 0;
    for (let i = 0; i < 200; i++) {
      const g = pop.enrollTemplate(i);
      const probe = pop.capture(i, 60 + (i % 40), 1);
      const stranger = pop.capture(NOT_ENROLLED + i, 80, 1);
      const rg = r.apply(g);
      const genuine = dot(g, probe);
      worstGenuine = Math.max(worstGenuine, Math.abs(dot(rg, r.apply(probe)) / genuine - 1));
      worstImpostor = Math.max(
        worstImpostor,
        Math.abs(dot(rg, r.apply(stranger)) - dot(g, stranger)),
      );
    }
    // Rotated components are re-clamped to ±127 (~2.4 a template), which takes ~1 % off a
    // genuine score on average (docs/privacy.md); an impostor's moves by a few thousand of 2^20.
    expect(worstGenuine).toBeLessThan(0.06);
    expect(worstImpostor).toBeLessThan(10_000);
  });

  it('is a dense mix, not a relabelling: each output depends on every input', async () => {
    const r = await deriveTransform('s1', generateTransformKey(1));
    const unit = new Int8Array(512);
    unit[5] = 127;
    const out = r.apply(unit);
    // 127 spread over 512 components is ±5.6 on average: nearly all non-zero, none large.
    expect(out.filter((x) => x !== 0).length).toBeGreaterThan(450);
    expect(Math.max(...out.map(Math.abs))).toBeLessThan(40);
    const sorted = (t: Int8Array) => [...t].map(Math.abs).sort((a, b) => a - b);
    const g = pop.enrollTemplate(1);
    expect(sorted(r.apply(g))).not.toEqual(sorted(g));
  });

  it('is fixed by the key, the store and the generation; any other gives another rotation', async () => {
    const k = generateTransformKey(1);
    const g = pop.enrollTemplate(9);
    const a = (await deriveTransform('s1', k)).apply(g);
    expect((await deriveTransform('s1', { ...k, key: k.key.slice() })).apply(g)).toEqual(a);
    for (const other of [
      await deriveTransform('s2', k),
      await deriveTransform('s1', { ...k, generation: 2 }),
      await deriveTransform('s1', generateTransformKey(1)),
    ]) {
      // Another rotation of the same template: like two unrelated templates (cosine ≈ 0 ± 0.05).
      expect(Math.abs(dot(other.apply(g), a)) / 2 ** 20).toBeLessThan(0.25);
    }
  });

  it('refuses a bad key, generation or template length', async () => {
    await expect(
      deriveTransform('s', { generation: 1, key: new Uint8Array(TRANSFORM_KEY_BYTES - 1) }),
    ).rejects.toThrow(/32 bytes/);
    expect(() => generateTransformKey(0)).toThrow(/generation/);
    expect(() => generateTransformKey(1.5)).toThrow(/generation/);
    const r = await deriveTransform('s', generateTransformKey(1));
    expect(() => r.apply(new Int8Array(511))).toThrow(/512/);
  });
});
