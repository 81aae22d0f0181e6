// The 1:N matcher kernels. One source, compiled three times (see wasm/build.mjs): with relaxed
// SIMD, with plain SIMD, and with SIMD disabled. ASC_FEATURE_* are compile-time constants, so
// each build keeps exactly one code path.
//
// Memory is imported and owned by the JavaScript side, which places the gallery, the probe and
// the scratch areas and passes their byte offsets here. Nothing in this module allocates, so the
// same memory (a SharedArrayBuffer in the multi-worker case) can be driven by several instances.
//
// Gallery: row-major N x 512 int8. Templates must lie in -127..127 (the PT1 quantiser never emits
// -128; the loader checks probes), which is what makes the relaxed path exact, see prepareProbe.

import { insertTopK, radiusFor, DIMS, CODE_BYTES, HIST_BINS } from './topk';

/** Bytes of `work` a probe needs: positive and negative halves for the relaxed path. */
export const WORK_BYTES: i32 = 2 * DIMS;
/** Bytes of the prefilter's Hamming histogram. */
export const HIST_BYTES: i32 = HIST_BINS << 2;

/** Which code path this build carries: 2 relaxed SIMD, 1 SIMD, 0 scalar. */
export function variant(): i32 {
  if (ASC_FEATURE_RELAXED_SIMD) return 2;
  if (ASC_FEATURE_SIMD) return 1;
  return 0;
}

/**
 * Prepares a probe for scoring. `i32x4.relaxed_dot_i8x16_i7x16_add_s` is only defined when its
 * second operand is 7-bit (0..127); on x86 it lowers to pmaddubsw, which reads that operand as
 * unsigned. So the probe p is split into p+ = max(p, 0) and p- = max(-p, 0), both in 0..127 for p
 * in -127..127, and dot(g, p) = dot(g, p+) - dot(g, p-): exact, with no i16 saturation because
 * each pairwise sum is at most 2 * 128 * 127 = 32512. Other paths read the probe directly.
 */
export function prepareProbe(probe: usize, work: usize): void {
  if (ASC_FEATURE_RELAXED_SIMD) {
    const zero = i8x16.splat(0);
    for (let d: i32 = 0; d < DIMS; d += 16) {
      const p = v128.load(probe + <usize>d);
      v128.store(work + <usize>d, i8x16.max_s(p, zero));
      v128.store(work + <usize>(DIMS + d), i8x16.max_s(i8x16.neg(p), zero));
    }
  }
}

function hsum(v: v128): i32 {
  return (
    i32x4.extract_lane(v, 0) +
    i32x4.extract_lane(v, 1) +
    i32x4.extract_lane(v, 2) +
    i32x4.extract_lane(v, 3)
  );
}

/** Exact dot product of one gallery row with the probe. */
function dot1(row: usize, probe: usize, work: usize): i32 {
  if (ASC_FEATURE_RELAXED_SIMD) {
    let pos = i32x4.splat(0);
    let neg = i32x4.splat(0);
    for (let d: i32 = 0; d < DIMS; d += 16) {
      const g = v128.load(row + <usize>d);
      pos = i32x4.relaxed_dot_i8x16_i7x16_add_s(g, v128.load(work + <usize>d), pos);
      neg = i32x4.relaxed_dot_i8x16_i7x16_add_s(g, v128.load(work + <usize>(DIMS + d)), neg);
    }
    return hsum(i32x4.sub(pos, neg));
  } else if (ASC_FEATURE_SIMD) {
    let acc = i32x4.splat(0);
    for (let d: i32 = 0; d < DIMS; d += 16) {
      const g = v128.load(row + <usize>d);
      const p = v128.load(probe + <usize>d);
      // Each i16 lane holds two products of at most 128 * 127: no overflow.
      const s = i16x8.add(i16x8.extmul_low_i8x16_s(g, p), i16x8.extmul_high_i8x16_s(g, p));
      acc = i32x4.add(acc, i32x4.extadd_pairwise_i16x8_s(s));
    }
    return hsum(acc);
  } else {
    let s0: i32 = 0;
    let s1: i32 = 0;
    for (let d: i32 = 0; d < DIMS; d += 2) {
      s0 += <i32>load<i8>(row + <usize>d) * <i32>load<i8>(probe + <usize>d);
      s1 += <i32>load<i8>(row + <usize>d, 1) * <i32>load<i8>(probe + <usize>d, 1);
    }
    return s0 + s1;
  }
}

/**
 * Exact top-k over rows [start, end) of the gallery. Scores go to `out` as (score, index) pairs;
 * returns how many (min(k, end - start)). Four rows per pass so each probe vector loaded from
 * cache serves four gallery rows streamed from memory.
 */
export function topk(
  gallery: usize,
  start: i32,
  end: i32,
  probe: usize,
  work: usize,
  k: i32,
  out: usize,
): i32 {
  let count: i32 = 0;
  let r = start;
  if (ASC_FEATURE_SIMD) {
    for (; r + 4 <= end; r += 4) {
      const r0 = gallery + ((<usize>r) << 9);
      const r1 = r0 + <usize>DIMS;
      const r2 = r1 + <usize>DIMS;
      const r3 = r2 + <usize>DIMS;
      let s0: i32, s1: i32, s2: i32, s3: i32;
      if (ASC_FEATURE_RELAXED_SIMD) {
        let a0 = i32x4.splat(0),
          a1 = i32x4.splat(0),
          a2 = i32x4.splat(0),
          a3 = i32x4.splat(0);
        let b0 = i32x4.splat(0),
          b1 = i32x4.splat(0),
          b2 = i32x4.splat(0),
          b3 = i32x4.splat(0);
        for (let d: i32 = 0; d < DIMS; d += 16) {
          const pp = v128.load(work + <usize>d);
          const pn = v128.load(work + <usize>(DIMS + d));
          const g0 = v128.load(r0 + <usize>d);
          const g1 = v128.load(r1 + <usize>d);
          const g2 = v128.load(r2 + <usize>d);
          const g3 = v128.load(r3 + <usize>d);
          a0 = i32x4.relaxed_dot_i8x16_i7x16_add_s(g0, pp, a0);
          b0 = i32x4.relaxed_dot_i8x16_i7x16_add_s(g0, pn, b0);
          a1 = i32x4.relaxed_dot_i8x16_i7x16_add_s(g1, pp, a1);
          b1 = i32x4.relaxed_dot_i8x16_i7x16_add_s(g1, pn, b1);
          a2 = i32x4.relaxed_dot_i8x16_i7x16_add_s(g2, pp, a2);
          b2 = i32x4.relaxed_dot_i8x16_i7x16_add_s(g2, pn, b2);
          a3 = i32x4.relaxed_dot_i8x16_i7x16_add_s(g3, pp, a3);
          b3 = i32x4.relaxed_dot_i8x16_i7x16_add_s(g3, pn, b3);
        }
        s0 = hsum(i32x4.sub(a0, b0));
        s1 = hsum(i32x4.sub(a1, b1));
        s2 = hsum(i32x4.sub(a2, b2));
        s3 = hsum(i32x4.sub(a3, b3));
      } else {
        let a0 = i32x4.splat(0),
          a1 = i32x4.splat(0),
          a2 = i32x4.splat(0),
          a3 = i32x4.splat(0);
        for (let d: i32 = 0; d < DIMS; d += 16) {
          const p = v128.load(probe + <usize>d);
          const g0 = v128.load(r0 + <usize>d);
          const g1 = v128.load(r1 + <usize>d);
          const g2 = v128.load(r2 + <usize>d);
          const g3 = v128.load(r3 + <usize>d);
          a0 = i32x4.add(
            a0,
            i32x4.extadd_pairwise_i16x8_s(
              i16x8.add(i16x8.extmul_low_i8x16_s(g0, p), i16x8.extmul_high_i8x16_s(g0, p)),
            ),
          );
          a1 = i32x4.add(
            a1,
            i32x4.extadd_pairwise_i16x8_s(
              i16x8.add(i16x8.extmul_low_i8x16_s(g1, p), i16x8.extmul_high_i8x16_s(g1, p)),
            ),
          );
          a2 = i32x4.add(
            a2,
            i32x4.extadd_pairwise_i16x8_s(
              i16x8.add(i16x8.extmul_low_i8x16_s(g2, p), i16x8.extmul_high_i8x16_s(g2, p)),
            ),
          );
          a3 = i32x4.add(
            a3,
            i32x4.extadd_pairwise_i16x8_s(
              i16x8.add(i16x8.extmul_low_i8x16_s(g3, p), i16x8.extmul_high_i8x16_s(g3, p)),
            ),
          );
        }
        s0 = hsum(a0);
        s1 = hsum(a1);
        s2 = hsum(a2);
        s3 = hsum(a3);
      }
      // In index order, so ties keep the lower index.
      count = insertTopK(out, count, k, s0, r);
      count = insertTopK(out, count, k, s1, r + 1);
      count = insertTopK(out, count, k, s2, r + 2);
      count = insertTopK(out, count, k, s3, r + 3);
    }
  }
  for (; r < end; r++) {
    count = insertTopK(out, count, k, dot1(gallery + ((<usize>r) << 9), probe, work), r);
  }
  return count;
}

/** Writes the 64-byte sign code (bit d set when value d < 0) of each row in [start, end). */
export function buildCodes(gallery: usize, start: i32, end: i32, codes: usize): void {
  for (let r = start; r < end; r++) {
    signCode(gallery + ((<usize>r) << 9), codes + ((<usize>r) << 6));
  }
}

/** The sign code of one 512-byte template at `src`, written to `dst`. */
export function signCode(src: usize, dst: usize): void {
  if (ASC_FEATURE_SIMD) {
    for (let d: i32 = 0; d < DIMS; d += 16) {
      // bitmask puts lane i's sign in bit i: little-endian, dim d + i lands in bit i of byte d/8.
      store<u16>(dst + <usize>(d >> 3), <u16>i8x16.bitmask(v128.load(src + <usize>d)));
    }
  } else {
    for (let b: i32 = 0; b < CODE_BYTES; b++) {
      let byte: u32 = 0;
      for (let i: i32 = 0; i < 8; i++) {
        byte |= ((<u32>load<u8>(src + <usize>((b << 3) + i))) >> 7) << i;
      }
      store<u8>(dst + <usize>b, <u8>byte);
    }
  }
}

function hamming(a: usize, b: usize): i32 {
  if (ASC_FEATURE_SIMD) {
    let c = i8x16.popcnt(v128.xor(v128.load(a), v128.load(b)));
    c = i8x16.add(c, i8x16.popcnt(v128.xor(v128.load(a, 16), v128.load(b, 16))));
    c = i8x16.add(c, i8x16.popcnt(v128.xor(v128.load(a, 32), v128.load(b, 32))));
    c = i8x16.add(c, i8x16.popcnt(v128.xor(v128.load(a, 48), v128.load(b, 48))));
    return hsum(i32x4.extadd_pairwise_i16x8_u(i16x8.extadd_pairwise_i8x16_u(c)));
  } else {
    let n: i64 = 0;
    for (let o: usize = 0; o < <usize>CODE_BYTES; o += 8) {
      n += popcnt<i64>(load<i64>(a + o) ^ load<i64>(b + o));
    }
    return <i32>n;
  }
}

/**
 * Coarse-to-exact top-k over rows [start, end): Hamming distance between sign codes (8x fewer
 * bytes than the templates) picks the smallest radius holding at least `candidates` rows, and only
 * those rows are scored exactly. Not exact in general: callers measure agreement with `topk`.
 * `hist` takes HIST_BYTES; `dist` takes 2 * (end - start) bytes (a u16 per row of the range).
 */
export function prefilterTopk(
  gallery: usize,
  codes: usize,
  start: i32,
  end: i32,
  probe: usize,
  work: usize,
  probeCode: usize,
  candidates: i32,
  k: i32,
  out: usize,
  hist: usize,
  dist: usize,
): i32 {
  memory.fill(hist, 0, <usize>HIST_BYTES);
  for (let r = start; r < end; r++) {
    const h = hamming(codes + ((<usize>r) << 6), probeCode);
    store<u16>(dist + ((<usize>(r - start)) << 1), <u16>h);
    const bin = hist + ((<usize>h) << 2);
    store<i32>(bin, load<i32>(bin) + 1);
  }
  const radius = radiusFor(hist, candidates);
  let count: i32 = 0;
  for (let r = start; r < end; r++) {
    if (<i32>load<u16>(dist + ((<usize>(r - start)) << 1)) <= radius) {
      count = insertTopK(out, count, k, dot1(gallery + ((<usize>r) << 9), probe, work), r);
    }
  }
  return count;
}
