/**
 * Small, fast, seeded pseudo-random generators for synthetic data. Never for secrets: nonces and
 * keys come from Web Crypto. Everything here is pure 32-bit integer arithmetic (Math.imul, >>>),
 * so a given seed yields the same sequence in Node and in every browser.
 */

/** One step of splitmix32 / the murmur3 finaliser: a strong 32-bit mixing function. */
export function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Hash a tuple of integers (each a safe integer, possibly above 2^32) into 32 bits. Used to derive
 * independent streams from (seed, stream id, index, …) without any shared state, so subject
 * 999 999 costs the same as subject 0.
 */
export function hashInts(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    const lo = p >>> 0;
    const hi = Math.floor(p / 0x1_0000_0000) >>> 0;
    h = mix32((h ^ lo) + 0x9e3779b9);
    h = mix32((h ^ hi) + 0x7f4a7c15);
  }
  return h;
}

/** xoshiro128** (Blackman & Vigna), seeded through splitmix32 so any 32-bit seed is fine. */
export class Xoshiro128 {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      return mix32(s);
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    // The all-zero state is the one state xoshiro cannot leave.
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** Next 32-bit unsigned integer. */
  nextU32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r;
  }

  /**
   * out[i] += scale × table[16 random bits], two components per draw. The generator is inlined
   * on local variables: this loop is where a million enrolment templates spend their time.
   */
  addGaussian(out: Float64Array, scale: number, table: Float32Array): void {
    let a = this.a;
    let b = this.b;
    let c = this.c;
    let d = this.d;
    const n = out.length;
    for (let i = 0; i < n; i += 2) {
      const x = Math.imul(b, 5);
      const r = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = (d << 11) | (d >>> 21);
      out[i]! += scale * table[r & 0xffff]!;
      if (i + 1 < n) out[i + 1]! += scale * table[r >>> 16]!;
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }

  /** Uniform in [0, 1). */
  nextFloat(): number {
    return this.nextU32() / 0x1_0000_0000;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Standard normal quantiles at the midpoints of 65 536 equal-probability bins. Drawing a 16-bit
 * index into this table is an exact sample from a 65 536-point discretisation of N(0, 1) (tails
 * cut at ±4.17σ), two samples per 32-bit draw and no transcendental functions in the hot loop:
 * that is what makes a million enrolment templates cheap. Built lazily, once.
 */
let gaussTable: Float32Array | null = null;

function gaussianTable(): Float32Array {
  if (gaussTable) return gaussTable;
  const n = 65_536;
  const t = new Float32Array(n);
  for (let i = 0; i < n; i++) t[i] = inverseNormalCdf((i + 0.5) / n);
  gaussTable = t;
  return t;
}

/**
 * Φ⁻¹(p) by Acklam's rational approximation (relative error < 1.2e-9), plenty for a table whose
 * entries are stored as float32.
 */
export function inverseNormalCdf(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`inverseNormalCdf needs 0 < p < 1 (got ${p})`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628274631,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const pl = 0.02425;
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  if (p > 1 - pl) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return (
      -(((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}

/** out[i] += scale × N(0, 1), for every i. */
export function addGaussian(rng: Xoshiro128, out: Float64Array, scale: number): void {
  rng.addGaussian(out, scale, gaussianTable());
}

/** One N(0, 1) sample. */
export function gaussian(rng: Xoshiro128): number {
  return gaussianTable()[rng.nextU32() & 0xffff]!;
}
