import { describe, expect, it } from 'vitest';
import { createPopulation, PT1_DIMS, pt1Similarity, quantizePT1 } from './population';
import { hashInts, inverseNormalCdf, Xoshiro128 } from './prng';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('quantizePT1 (spec §5)', () => {
  it('scales by 1024, rounds half away from zero and clamps to ±127', () => {
    const v = Float32Array.from([
      0.5 / 1024,
      -0.5 / 1024,
      1.5 / 1024,
      -1.5 / 1024,
      0.49 / 1024,
      0.2,
      -0.2,
      0,
      126.6 / 1024,
    ]);
    expect(Array.from(quantizePT1(v))).toEqual([1, -1, 2, -2, 0, 127, -127, 0, 127]);
  });
  it('refuses NaN components', () => {
    expect(() => quantizePT1(Float32Array.from([0.1, Number.NaN]))).toThrow(/not a number/);
  });
});

describe('pt1Similarity', () => {
  it('is dot / 2^20', () => {
    const a = Int8Array.from([127, -127, 3]);
    const b = Int8Array.from([127, 127, -2]);
    expect(pt1Similarity(a, b)).toBe((127 * 127 - 127 * 127 - 6) / 2 ** 20);
  });
  it('refuses templates of different length', () => {
    expect(() => pt1Similarity(new Int8Array(3), new Int8Array(4))).toThrow(/length/);
  });
});

describe('prng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = new Xoshiro128(42);
    const b = new Xoshiro128(42);
    const c = new Xoshiro128(43);
    const xa = Array.from({ length: 8 }, () => a.nextU32());
    expect(Array.from({ length: 8 }, () => b.nextU32())).toEqual(xa);
    expect(Array.from({ length: 8 }, () => c.nextU32())).not.toEqual(xa);
  });
  it('hashes indices above 2^32 apart from their low bits', () => {
    expect(hashInts(1, 2 ** 32 + 5)).not.toBe(hashInts(1, 5));
  });
  it('inverse normal CDF matches known quantiles', () => {
    expect(inverseNormalCdf(0.5)).toBeCloseTo(0, 9);
    expect(inverseNormalCdf(0.975)).toBeCloseTo(1.959964, 5);
    expect(inverseNormalCdf(0.001)).toBeCloseTo(-3.090232, 5);
  });
});

describe('createPopulation', () => {
  const pop = createPopulation({ seed: 7 });

  it('fills defaults and validates parameters', () => {
    expect(pop.params.clusters).toBe(64);
    expect(() => createPopulation({ seed: 1, clusters: 0 })).toThrow(/clusters/);
    expect(() => createPopulation({ seed: 1, clusterSpread: 0 })).toThrow(/clusterSpread/);
    expect(() => createPopulation({ seed: 1.5 })).toThrow(/seed/);
    expect(() => pop.capture(1, 101, 0)).toThrow(/quality/);
    expect(() => pop.identity(-1)).toThrow(/index/);
  });

  it('gives unit-norm identities, the same for the same seed, order-independent', () => {
    const late = pop.identity(999_999);
    const other = createPopulation({ seed: 7 });
    other.identity(3);
    expect(Array.from(other.identity(999_999))).toEqual(Array.from(late));
    const norm = Math.hypot(...late);
    expect(norm).toBeCloseTo(1, 5);
    expect(late.length).toBe(PT1_DIMS);
    expect(Array.from(createPopulation({ seed: 8 }).identity(999_999))).not.toEqual(
      Array.from(late),
    );
  });

  it('enrolment templates are deterministic and reuse `out`', () => {
    const out = new Int8Array(PT1_DIMS);
    const t = pop.enrollTemplate(12, out);
    expect(t).toBe(out);
    expect(Array.from(pop.enrollTemplate(12))).toEqual(Array.from(out));
  });

  it('separates genuine from impostor at good quality and overlaps at low quality', () => {
    const n = 150;
    const enrolled = Array.from({ length: n }, (_, i) => pop.enrollTemplate(i));
    const genuine = (q: number) => enrolled.map((e, i) => pt1Similarity(e, pop.capture(i, q, 1)));
    const impostor: number[] = [];
    for (let i = 0; i < n; i++)
      impostor.push(pt1Similarity(enrolled[i]!, pop.capture((i + 1) % n, 90, 1)));
    const gHigh = genuine(92);
    const gLow = genuine(15);
    const maxImp = Math.max(...impostor);
    expect(mean(gHigh)).toBeGreaterThan(0.6);
    expect(Math.abs(mean(impostor))).toBeLessThan(0.03);
    expect(gHigh.filter((g) => g <= maxImp).length / n).toBeLessThan(0.03);
    expect(gLow.filter((g) => g <= maxImp).length / n).toBeGreaterThan(0.2);
    expect(mean(gLow)).toBeLessThan(mean(gHigh) - 0.3);
  });

  it('gives subjects of one cluster a positive mean impostor score', () => {
    const byCluster = new Map<number, number[]>();
    for (let i = 0; i < 4000 && byCluster.size < 64; i++) {
      const k = pop.cluster(i);
      const list = byCluster.get(k) ?? [];
      list.push(i);
      byCluster.set(k, list);
    }
    const same: number[] = [];
    for (const ids of byCluster.values()) {
      for (let j = 1; j < Math.min(ids.length, 4); j++) {
        same.push(pt1Similarity(pop.enrollTemplate(ids[0]!), pop.enrollTemplate(ids[j]!)));
      }
    }
    // 1 / (1 + 1.6²) ≈ 0.28 before noise; enrolment noise lowers it.
    expect(mean(same)).toBeGreaterThan(0.15);
    expect(mean(same)).toBeLessThan(0.35);
  });
});
