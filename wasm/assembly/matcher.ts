// The 1:N matcher kernels. One source, compiled three times (see wasm/build.mjs): with relaxed
// SIMD, with plain SIMD, and with SIMD disabled. ASC_FEATURE_* are compile-time constants, so
// each build keeps exactly one code path.
//
// Memory is imported and owned by the JavaScript side, which places the gallery, the probe and
// the scratch areas and passes their byte offsets here. Nothing in this module allocates, so the
// same memory (a SharedArrayBuffer in the multi-worker case) can be driven by several instances.
//
// Gallery: N templates of 512 int8. Templates must lie in -127..127 (the PT1 quantiser never emits
// -128; the loader checks probes), which is what makes the relaxed path exact, see prepareProbe.
// The relaxed and scalar builds store them row-major. The SIMD build stores them encoded (even
// bytes + 128) and in blocks of 4 rows interleaved by cache line (see rowAt), so gallery bytes
// are only meaningful to the build that wrote them (encodeRows writes them); `stream` does not
// care. The loader sizes the gallery area for N rounded up to a whole block.
// Everything a search needs lives in the caller's slot (`work`), none in module globals, so one
// instance may hold probes in several slots.

import { insertTopK, radiusFor, DIMS, CODE_BYTES, HIST_BINS } from './topk';

/**
 * Bytes of `work` a probe needs: positive and negative halves for the relaxed path, or the i16
 * probe and (at BIAS_AT) its row offset for the SIMD path.
 */
export const WORK_BYTES: i32 = 2 * DIMS + 16;
const BIAS_AT: usize = <usize>(2 * DIMS);
/** Bytes of the prefilter's Hamming histogram. */
export const HIST_BYTES: i32 = HIST_BINS << 2;

/** Which code path this build carries: 2 relaxed SIMD, 1 SIMD, 0 scalar. */
export function variant(): i32 {
  if (ASC_FEATURE_RELAXED_SIMD) return 2;
  if (ASC_FEATURE_SIMD) return 1;
  return 0;
}

/**
 * Prepares a probe for scoring, into `work` (WORK_BYTES).
 *
 * Relaxed: `i32x4.relaxed_dot_i8x16_i7x16_add_s` is only defined when its second operand is 7-bit
 * (0..127); on x86 it lowers to pmaddubsw, which reads that operand as unsigned. So the probe p is
 * split into p+ = max(p, 0) and p- = max(-p, 0), both in 0..127 for p in -127..127, and
 * dot(g, p) = dot(g, p+) - dot(g, p-): exact, with no i16 saturation because each pairwise sum is
 * at most 2 * 128 * 127 = 32512.
 *
 * SIMD: the gallery is stored with its even bytes offset by +128 (encodeRows: XOR 0x80), and
 * the kernel reads each 16 gallery bytes as eight i16 lanes v = 256 * o + (e + 128), o and e the
 * odd and even template bytes. shr_s(v, 8) = o (sign-extended) costs one instruction with no lane
 * shuffles, and i32x4.dot_i16x8_s (one pmaddwd) multiplies and pair-sums. With the probe stored
 * per 16 bytes as A = its even bytes (i16) and B = (its odd bytes) - 256 * A (|B| <= 32639 fits
 * i16), lane by lane: v A + o B = 256 o A + (e + 128) A + o p_odd - 256 o A
 * = e A + o p_odd + 128 A, so dot(v, A) + dot(shr_s(v, 8), B) = dot(g, p) + 128 * sum(A): a load,
 * a shift, two pmaddwd and two adds per 16 bytes (rowStep), and the per-probe constant
 * 128 * sum(A) (stored at work + BIAS_AT) is subtracted once per row. pmaddwd cannot overflow here
 * (|pair| <= 2 * 32767 * 32639 < 2^31) and the i32 sums wrap modulo 2^32, so the result is exact
 * whenever the true dot product fits i32, which |512 * 127 * 127| does.
 */
export function prepareProbe(probe: usize, work: usize): void {
  if (ASC_FEATURE_RELAXED_SIMD) {
    const zero = i8x16.splat(0);
    for (let d: i32 = 0; d < DIMS; d += 16) {
      const p = v128.load(probe + <usize>d);
      v128.store(work + <usize>d, i8x16.max_s(p, zero));
      v128.store(work + <usize>(DIMS + d), i8x16.max_s(i8x16.neg(p), zero));
    }
  } else if (ASC_FEATURE_SIMD) {
    let sum = i32x4.splat(0);
    const ones = i16x8.splat(1);
    for (let d: i32 = 0; d < DIMS; d += 16) {
      const p = v128.load(probe + <usize>d);
      const a = i16x8.shr_s(i16x8.shl(p, 8), 8);
      v128.store(work + <usize>(d << 1), a);
      v128.store(work + <usize>(d << 1), i16x8.sub(i16x8.shr_s(p, 8), i16x8.shl(a, 8)), 16);
      sum = i32x4.add(sum, i32x4.dot_i16x8_s(a, ones));
    }
    // 128 * (sum of the probe's even bytes): the per-row offset rowStep's sums carry.
    store<i32>(work + BIAS_AT, hsum(sum) << 7);
  }
}

/** The bytes encodeRows XORs into each 16 gallery bytes: 0x80 into every even byte. */
function evenBias(): v128 {
  return i16x8.splat(0x0080);
}

/**
 * Where row r starts. SIMD build: rows come in blocks of 4 (2048 bytes), interleaved by cache
 * line: bytes 64L..64L+63 of row 4b + j lie at block b + 256L + 64j. So a scan of whole blocks
 * (score4) reads one sequential stream and each probe vector it loads serves 4 rows, while one
 * row alone (dot1, for the prefilter and partial blocks) is still 8 whole cache lines, 256 bytes
 * apart. Other builds: row-major.
 */
function rowAt(gallery: usize, r: i32): usize {
  if (ASC_FEATURE_SIMD && !ASC_FEATURE_RELAXED_SIMD) {
    return gallery + ((<usize>(r & ~3)) << 9) + ((<usize>(r & 3)) << 6);
  }
  return gallery + ((<usize>r) << 9);
}

/**
 * Stores rows [start, end) of the gallery, read row-major from `src` (row start first), in the
 * form this build scores: the SIMD build offsets even bytes by +128 (see prepareProbe) and
 * interleaves rows in blocks (see rowAt); the other builds copy them as they are. The loader
 * stages templates in a scratch area and calls this once per batch; writing a row again simply
 * replaces it.
 */
export function encodeRows(src: usize, gallery: usize, start: i32, end: i32): void {
  if (ASC_FEATURE_SIMD && !ASC_FEATURE_RELAXED_SIMD) {
    for (let r = start; r < end; r++) {
      const dst = rowAt(gallery, r);
      const from = src + ((<usize>(r - start)) << 9);
      for (let d: usize = 0; d < <usize>DIMS; d += 64) {
        const to = dst + (d << 2);
        v128.store(to, v128.xor(v128.load(from + d), evenBias()));
        v128.store(to, v128.xor(v128.load(from + d, 16), evenBias()), 16);
        v128.store(to, v128.xor(v128.load(from + d, 32), evenBias()), 32);
        v128.store(to, v128.xor(v128.load(from + d, 48), evenBias()), 48);
      }
    }
  } else {
    memory.copy(rowAt(gallery, start), src, (<usize>(end - start)) << 9);
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

/**
 * One 16-byte step of the SIMD path (see prepareProbe): adds the dot of the 16 encoded gallery
 * bytes `g` with the probe's, plus 128 * (sum of the probe's even bytes there), to `acc`, reading
 * the prepared probe at `w`.
 */
function rowStep(acc: v128, g: v128, w: usize): v128 {
  return stepWith(acc, g, v128.load(w), v128.load(w, 16));
}

/** rowStep with the probe's two vectors for these 16 bytes already loaded. */
function stepWith(acc: v128, g: v128, pa: v128, pb: v128): v128 {
  acc = i32x4.add(acc, i32x4.dot_i16x8_s(g, pa));
  return i32x4.add(acc, i32x4.dot_i16x8_s(i16x8.shr_s(g, 8), pb));
}

/** Exact dot product of one gallery row (at rowAt) with the probe. */
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
    // One 64-byte run per step (the row's runs lie 256 bytes apart, see rowAt); two
    // accumulators, so consecutive adds do not wait on each other.
    let a = i32x4.splat(0);
    let b = i32x4.splat(0);
    for (let d: usize = 0; d < <usize>DIMS; d += 64) {
      const g = row + (d << 2);
      const w = work + (d << 1);
      a = rowStep(a, v128.load(g), w);
      b = rowStep(b, v128.load(g, 16), w + 32);
      a = rowStep(a, v128.load(g, 32), w + 64);
      b = rowStep(b, v128.load(g, 48), w + 96);
    }
    return hsum(i32x4.add(a, b)) - load<i32>(work + BIAS_AT);
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

/** Lane j of the result is the sum of the four lanes of the j-th argument. */
function hsum4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = i32x4.add(i32x4.shuffle(a, b, 0, 4, 2, 6), i32x4.shuffle(a, b, 1, 5, 3, 7));
  const cd = i32x4.add(i32x4.shuffle(c, d, 0, 4, 2, 6), i32x4.shuffle(c, d, 1, 5, 3, 7));
  return i32x4.add(i32x4.shuffle(ab, cd, 0, 1, 4, 5), i32x4.shuffle(ab, cd, 2, 3, 6, 7));
}

/**
 * SIMD build: rowStep's sums (dot product + the per-probe offset) of the 4 rows of the block at
 * `block`, as one vector, lane j for row j. The block is read front to back, 16 bytes of each row
 * per step, and each step's probe vectors serve all 4 rows: per 16 gallery bytes that is one
 * load, a shift, two pmaddwd and two adds plus half a probe load, against three loads for one
 * row at a time. Scoring 4 rows of the row-major layout this way (4 streams 512 bytes apart) ran
 * 3x slower on AMD EPYC (the hardware prefetcher lost track); the interleaved layout makes it
 * one stream.
 */
function score4(block: usize, work: usize): v128 {
  let a0 = i32x4.splat(0);
  let a1 = i32x4.splat(0);
  let a2 = i32x4.splat(0);
  let a3 = i32x4.splat(0);
  let w = work;
  // Outer: the row's 8 cache lines (256 bytes per block); inner: 16 bytes at a time within one.
  // Two plain loops rather than unrolled code: V8 11 hoists the loads of an unrolled body and
  // spills them, which measured slower.
  const stop = block + <usize>(DIMS << 2);
  for (let line = block; line < stop; line += 256) {
    const lineEnd = line + 64;
    for (let p = line; p < lineEnd; p += 16) {
      const pa = v128.load(w);
      const pb = v128.load(w, 16);
      a0 = stepWith(a0, v128.load(p), pa, pb);
      a1 = stepWith(a1, v128.load(p, 64), pa, pb);
      a2 = stepWith(a2, v128.load(p, 128), pa, pb);
      a3 = stepWith(a3, v128.load(p, 192), pa, pb);
      w += 32;
    }
  }
  return hsum4(a0, a1, a2, a3);
}

/** The k-th best score of a list holding `count` entries, or i32.MIN_VALUE while it is not full. */
function kthOf(out: usize, count: i32, k: i32): i32 {
  return count == k ? load<i32>(out + ((<usize>(k - 1)) << 3)) : i32.MIN_VALUE;
}

/**
 * Top-k over rows [start, end) one row at a time, into a list already holding `count` entries;
 * returns the new count. The k-th best score is kept in a local so most rows cost one compare.
 */
function scanRows(
  gallery: usize,
  start: i32,
  end: i32,
  probe: usize,
  work: usize,
  k: i32,
  out: usize,
  count: i32,
): i32 {
  let kth = kthOf(out, count, k);
  for (let r = start; r < end; r++) {
    const s = dot1(rowAt(gallery, r), probe, work);
    // Rows arrive in index order, so a tie with the k-th best loses (lower index wins).
    if (s > kth || count < k) {
      count = insertTopK(out, count, k, s, r);
      kth = kthOf(out, count, k);
    }
  }
  return count;
}

/**
 * Exact top-k over rows [start, end) of the gallery. Scores go to `out` as (score, index) pairs;
 * returns how many (min(k, end - start)).
 *
 * Rows are offered in index order, so ties keep the lower index. The SIMD build scores whole
 * 4-row blocks at once (score4) and compares the block's 4 scores with the k-th best in one
 * vector compare; rows of a partial block at either end of the range go one at a time. The other
 * builds scan one row at a time, front to back (their layout is row-major).
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
  if (!ASC_FEATURE_SIMD || ASC_FEATURE_RELAXED_SIMD) {
    return scanRows(gallery, start, end, probe, work, k, out, 0);
  }
  const first = min(end, (start + 3) & ~3);
  let count = scanRows(gallery, start, first, probe, work, k, out, 0);
  let kth = kthOf(out, count, k);
  const bias = i32x4.splat(load<i32>(work + BIAS_AT));
  let r = first;
  for (; r + 4 <= end; r += 4) {
    const s = i32x4.sub(score4(rowAt(gallery, r), work), bias);
    if (count < k || v128.any_true(i32x4.gt_s(s, i32x4.splat(kth)))) {
      // In index order; insertTopK itself drops a row that does not beat a full list.
      count = insertTopK(out, count, k, i32x4.extract_lane(s, 0), r);
      count = insertTopK(out, count, k, i32x4.extract_lane(s, 1), r + 1);
      count = insertTopK(out, count, k, i32x4.extract_lane(s, 2), r + 2);
      count = insertTopK(out, count, k, i32x4.extract_lane(s, 3), r + 3);
      kth = kthOf(out, count, k);
    }
  }
  return scanRows(gallery, r, end, probe, work, k, out, count);
}

/** Writes the 64-byte sign code (bit d set when value d < 0) of each row in [start, end). */
export function buildCodes(gallery: usize, start: i32, end: i32, codes: usize): void {
  for (let r = start; r < end; r++) {
    const src = rowAt(gallery, r);
    const dst = codes + ((<usize>r) << 6);
    if (ASC_FEATURE_SIMD && !ASC_FEATURE_RELAXED_SIMD) {
      // Rows are stored encoded and interleaved (encodeRows): undo the even-byte offset before
      // taking signs, and read the row's 64-byte runs 256 bytes apart (rowAt).
      for (let d: i32 = 0; d < DIMS; d += 16) {
        const v = v128.xor(v128.load(src + <usize>(((d & ~63) << 2) | (d & 63))), evenBias());
        store<u16>(dst + <usize>(d >> 3), <u16>i8x16.bitmask(v));
      }
    } else {
      signCode(src, dst);
    }
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
      count = insertTopK(out, count, k, dot1(rowAt(gallery, r), probe, work), r);
    }
  }
  return count;
}

/**
 * Reads `bytes` from `ptr` once, 64 bytes per step, and folds them so the reads cannot be
 * optimised away: the memory-bandwidth limit a full scan is measured against.
 */
export function stream(ptr: usize, bytes: i32): i32 {
  if (ASC_FEATURE_SIMD) {
    let a = i32x4.splat(0),
      b = i32x4.splat(0),
      c = i32x4.splat(0),
      d = i32x4.splat(0);
    const end = ptr + <usize>bytes;
    for (let p = ptr; p + 64 <= end; p += 64) {
      a = v128.xor(a, v128.load(p));
      b = v128.xor(b, v128.load(p, 16));
      c = v128.xor(c, v128.load(p, 32));
      d = v128.xor(d, v128.load(p, 48));
    }
    return hsum(v128.xor(v128.xor(a, b), v128.xor(c, d)));
  } else {
    let x: i64 = 0;
    for (let o: i32 = 0; o + 8 <= bytes; o += 8) x ^= load<i64>(ptr + <usize>o);
    return <i32>(x ^ (x >> 32));
  }
}
