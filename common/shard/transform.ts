import { TEMPLATE_BYTES } from './format';

/**
 * The store's secret template transform (ISO/IEC 24745 renewable, unlinkable references): a keyed
 * pseudo-random orthogonal rotation R = H·D₃·H·D₂·H·D₁·P / 512^1.5 of the 512-dimensional template
 * space (P a keyed permutation, Dᵢ keyed ±1 diagonals, H the 512-point Walsh–Hadamard matrix).
 * R is orthogonal, so dot(Rx, Ry) = dot(x, y): the cloud stores R·template in the store's shard
 * and the matcher worker rotates each probe with the same R, and scores are those of the raw
 * templates up to re-quantisation to int8 (measured in docs/privacy.md). A template leaked from
 * one store's shard is R_A·x; another store matches R_B·probe against R_B·templates, so the leak
 * lands as (R_B R_Aᵀ)-rotated noise: an impostor's score. A new generation (new key) revokes
 * every template leaked under the old one the same way.
 *
 * Why a dense rotation and not a signed permutation (which keeps int8 scores exactly): a signed
 * permutation keeps each template's multiset of |components|, so two stores' shards can be linked
 * record by record without any key by comparing sorted magnitudes (test/matcher/transform-study.ts
 * measures it). After H every output component mixes all 512 inputs and no such invariant is left.
 * H costs 512·9 additions per pass (three passes: ~14k operations a template, ~1 µs).
 */
export const TRANSFORM_KEY_BYTES = 32;
const D = TEMPLATE_BYTES;
const LOG2_D = 9;
const ROUNDS = 3;
const SCALE = 1 / Math.pow(D, ROUNDS / 2); // each unnormalised H multiplies the norm by √D
const INFO_PREFIX = 'palm-shard template transform/1';

/** The secret a shard's `transform` chunk carries: its generation and 32 key bytes. */
export interface TransformKey {
  readonly generation: number;
  readonly key: Uint8Array;
}

export interface TemplateTransform {
  readonly generation: number;
  /** R·t, re-quantised (round half away from zero, clamped to −127..127 as PT1 is). */
  apply(t: Int8Array, out?: Int8Array): Int8Array;
}

export function checkTransformKey(k: TransformKey): void {
  if (!Number.isSafeInteger(k.generation) || k.generation < 1 || k.generation > 0xffffffff)
    throw new RangeError(`transform generation must be 1…2³²−1 (got ${k.generation})`);
  if (k.key.length !== TRANSFORM_KEY_BYTES)
    throw new RangeError(`transform key must be ${TRANSFORM_KEY_BYTES} bytes`);
}

/** A fresh random transform key for `generation` (the cloud makes one per store and rotation). */
export function generateTransformKey(generation: number): TransformKey {
  const k = { generation, key: globalThis.crypto.getRandomValues(new Uint8Array(32)) };
  checkTransformKey(k);
  return k;
}

/**
 * Expands the key with HKDF-SHA-256 (info binds the store and generation, so one key can never
 * give two stores the same rotation) into the permutation and the three sign vectors.
 */
export async function deriveTransform(store: string, k: TransformKey): Promise<TemplateTransform> {
  checkTransformKey(k);
  const subtle = globalThis.crypto.subtle;
  const ikm = await subtle.importKey('raw', new Uint8Array(k.key), 'HKDF', false, ['deriveBits']);
  const permBytes = 4 * (D - 1);
  const signBytes = (ROUNDS * D) / 8;
  const bits = await subtle.deriveBits(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new Uint8Array(0),
      info: new TextEncoder().encode(`${INFO_PREFIX}|${store}|${k.generation}`),
    },
    ikm,
    8 * (permBytes + signBytes),
  );
  const stream = new DataView(bits);
  // Fisher–Yates with 32-bit draws: the modulo bias is below 512 / 2³², irrelevant here.
  const perm = new Uint16Array(D);
  for (let i = 0; i < D; i++) perm[i] = i;
  for (let i = D - 1; i > 0; i--) {
    const j = stream.getUint32(4 * (D - 1 - i), true) % (i + 1);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  const signs = new Float64Array(ROUNDS * D);
  for (let i = 0; i < ROUNDS * D; i++)
    signs[i] = (stream.getUint8(permBytes + (i >> 3)) >> (i & 7)) & 1 ? -1 : 1;
  return {
    generation: k.generation,
    apply: (t, out) => rotate(perm, signs, t, out ?? new Int8Array(D)),
  };
}

const work = new Float64Array(D);

function rotate(perm: Uint16Array, signs: Float64Array, t: Int8Array, out: Int8Array): Int8Array {
  if (t.length !== D || out.length !== D)
    throw new RangeError(`a template is ${D} components (got ${t.length})`);
  const v = work;
  for (let i = 0; i < D; i++) v[i] = t[perm[i]!]! * signs[i]!;
  for (let r = 0; r < ROUNDS; r++) {
    if (r > 0) for (let i = 0; i < D; i++) v[i]! *= signs[r * D + i]!;
    hadamard(v);
  }
  for (let i = 0; i < D; i++) {
    const x = v[i]! * SCALE;
    const q = x < 0 ? -Math.round(-x) : Math.round(x);
    out[i] = q > 127 ? 127 : q < -127 ? -127 : q;
  }
  return out;
}

/** In-place unnormalised fast Walsh–Hadamard transform of length 2^LOG2_D. */
function hadamard(v: Float64Array): void {
  for (let h = 1, s = 0; s < LOG2_D; h <<= 1, s++) {
    for (let i = 0; i < D; i += h << 1) {
      for (let j = i; j < i + h; j++) {
        const a = v[j]!;
        const b = v[j + h]!;
        v[j] = a + b;
        v[j + h] = a - b;
      }
    }
  }
}
