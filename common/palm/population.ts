import { addGaussian, gaussian, hashInts, Xoshiro128 } from './prng';

/**
 * A synthetic, seeded palm population for the emulator, the matcher's tests and benchmarks.
 * The model and the measured score distributions are in docs/population.md.
 *
 *   identity(i)   = normalize(centre[cluster(i)] + clusterSpread · u_i)        u_i ~ N(0, I/D)
 *   capture(i, q) = normalize(identity(i) + σ(q) · m_i · n)                     n   ~ N(0, I/D)
 *   σ(q)          = noiseAtFullQuality · exp(noiseGrowth · (100 − q) / 100)
 *   m_i           = exp(subjectVariability · z_i)                               z_i ~ N(0, 1)
 *
 * Centres are unit vectors, so two subjects of one cluster share a cosine of about
 * 1 / (1 + clusterSpread²) before noise: impostor scores are not all near zero. m_i makes some
 * subjects harder to match than others (“goats”), which widens the genuine distribution the way
 * real ones are wide. Every value is derived from (seed, stream, index, …) by hashing, so any
 * subject is generated on demand in O(D) with no shared state, in any order, in any runtime.
 */

export const PT1_DIMS = 512;
/** PT1 components are the unit vector's components × 1024 (spec §5). */
export const PT1_SCALE = 1024;
/** pt1Similarity divides the integer dot product by 2^20 = 1024². */
export const PT1_SIMILARITY_DIVISOR = 1 << 20;
/**
 * Subjects at or above this index are never enrolled anywhere (the demo store, the matcher's
 * bench and accuracy report): the emulator's "strangers" and every impostor probe.
 */
export const NOT_ENROLLED = 1_000_000_000;

export interface PopulationParams {
  /** Seeds everything; the same seed gives the same population, byte for byte. */
  seed: number;
  /** Number of population clusters (1..65 536). Default 64. */
  clusters?: number;
  /**
   * Length of a subject's individual component relative to its unit cluster centre (> 0). Two
   * subjects of one cluster have a cosine of ≈ 1 / (1 + clusterSpread²). Default 1.6 (≈ 0.28).
   */
  clusterSpread?: number;
  /** Capture noise σ at quality 100 (≥ 0). Default 0.5. */
  noiseAtFullQuality?: number;
  /** σ grows by e^noiseGrowth from quality 100 to quality 0 (≥ 0). Default 2.6. */
  noiseGrowth?: number;
  /** Standard deviation of ln(m_i), the per-subject noise multiplier (≥ 0). Default 0.3. */
  subjectVariability?: number;
  /** The quality at which enrolment templates are captured (0..100). Default 92. */
  enrollQuality?: number;
}

export interface Population {
  readonly params: Required<PopulationParams>;
  /** Unit-norm identity vector of subject `index` (any safe integer ≥ 0), computed on demand. */
  identity(index: number): Float32Array;
  /** The cluster subject `index` belongs to (0..clusters−1). */
  cluster(index: number): number;
  /** PT1 template as captured at enrolment (quality `enrollQuality`). `out` is reused if given. */
  enrollTemplate(index: number, out?: Int8Array): Int8Array;
  /** PT1 probe of subject `index`; noise grows as quality (0..100) falls. */
  capture(index: number, quality: number, captureSeed: number, out?: Int8Array): Int8Array;
  /** σ(q) · m_index: the capture noise level this subject gets at this quality. */
  noiseLevel(index: number, quality: number): number;
}

const DEFAULTS: Omit<Required<PopulationParams>, 'seed'> = {
  clusters: 64,
  clusterSpread: 1.6,
  noiseAtFullQuality: 0.5,
  noiseGrowth: 2.6,
  subjectVariability: 0.3,
  enrollQuality: 92,
};

// Stream ids keep the hashed seeds of different uses apart.
const STREAM_CENTRE = 1;
const STREAM_ASSIGN = 2;
const STREAM_IDENTITY = 3;
const STREAM_SUBJECT = 4;
const STREAM_ENROLL = 5;
const STREAM_CAPTURE = 6;

export function createPopulation(params: PopulationParams): Population {
  const p = validate(params);
  const D = PT1_DIMS;
  const perComponent = 1 / Math.sqrt(D); // N(0, I/D) has norm ≈ 1
  const centres: Array<Float64Array | undefined> = new Array<Float64Array | undefined>(p.clusters);
  const scratch = new Float64Array(D);

  const centre = (k: number): Float64Array => {
    let c = centres[k];
    if (!c) {
      c = new Float64Array(D);
      addGaussian(new Xoshiro128(hashInts(p.seed, STREAM_CENTRE, k)), c, 1);
      normalizeInPlace(c);
      centres[k] = c;
    }
    return c;
  };

  const clusterOf = (index: number): number => {
    checkIndex(index);
    return hashInts(p.seed, STREAM_ASSIGN, index) % p.clusters;
  };

  /** identity(index) into `v` (unit norm). */
  const identityInto = (index: number, v: Float64Array): void => {
    v.set(centre(clusterOf(index)));
    addGaussian(
      new Xoshiro128(hashInts(p.seed, STREAM_IDENTITY, index)),
      v,
      p.clusterSpread * perComponent,
    );
    normalizeInPlace(v);
  };

  const subjectMultiplier = (index: number): number =>
    Math.exp(
      p.subjectVariability * gaussian(new Xoshiro128(hashInts(p.seed, STREAM_SUBJECT, index))),
    );

  const sigma = (quality: number): number =>
    p.noiseAtFullQuality * Math.exp((p.noiseGrowth * (100 - quality)) / 100);

  const noisyTemplate = (
    index: number,
    quality: number,
    noiseSeed: number,
    out: Int8Array | undefined,
  ): Int8Array => {
    const t = out ?? new Int8Array(D);
    if (t.length !== D) throw new RangeError(`out must hold ${D} components (got ${t.length})`);
    identityInto(index, scratch);
    addGaussian(
      new Xoshiro128(noiseSeed),
      scratch,
      sigma(quality) * subjectMultiplier(index) * perComponent,
    );
    normalizeInPlace(scratch);
    quantizeInto(scratch, t);
    return t;
  };

  return {
    params: p,
    identity(index) {
      const v = new Float64Array(D);
      identityInto(index, v);
      return Float32Array.from(v);
    },
    cluster: clusterOf,
    enrollTemplate(index, out) {
      return noisyTemplate(index, p.enrollQuality, hashInts(p.seed, STREAM_ENROLL, index), out);
    },
    capture(index, quality, captureSeed, out) {
      checkQuality(quality);
      if (!Number.isSafeInteger(captureSeed))
        throw new RangeError(`captureSeed must be a safe integer (got ${captureSeed})`);
      return noisyTemplate(
        index,
        quality,
        hashInts(p.seed, STREAM_CAPTURE, index, captureSeed),
        out,
      );
    },
    noiseLevel(index, quality) {
      checkIndex(index);
      checkQuality(quality);
      return sigma(quality) * subjectMultiplier(index);
    },
  };
}

/** Spec §5: × 1024, round half away from zero, clamp to −127..127. */
export function quantizePT1(v: Float32Array | Float64Array): Int8Array {
  const out = new Int8Array(v.length);
  quantizeInto(v, out);
  return out;
}

function quantizeInto(v: Float32Array | Float64Array, out: Int8Array): void {
  const n = v.length;
  for (let i = 0; i < n; i++) {
    const x = v[i]! * PT1_SCALE;
    // Math.round rounds .5 up; applying it to |x| and restoring the sign rounds half away from zero.
    const r = x < 0 ? -Math.round(-x) : Math.round(x);
    // NaN fails both comparisons and would be stored as 0: refuse it instead.
    if (r >= 127) out[i] = 127;
    else if (r <= -127) out[i] = -127;
    else if (r === r) out[i] = r;
    else throw new RangeError(`component ${i} is not a number`);
  }
}

/** dot(a, b) / 2^20: the PT1 approximation of the two vectors' cosine. */
export function pt1Similarity(a: Int8Array, b: Int8Array): number {
  if (a.length !== b.length)
    throw new RangeError(`templates differ in length (${a.length} vs ${b.length})`);
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot / PT1_SIMILARITY_DIVISOR;
}

function normalizeInPlace(v: Float64Array): void {
  let ss = 0;
  for (let i = 0; i < v.length; i++) ss += v[i]! * v[i]!;
  const inv = 1 / Math.sqrt(ss);
  for (let i = 0; i < v.length; i++) v[i]! *= inv;
}

function checkIndex(index: number): void {
  if (!Number.isSafeInteger(index) || index < 0)
    throw new RangeError(`subject index must be a safe integer ≥ 0 (got ${index})`);
}

function checkQuality(q: number): void {
  if (!Number.isFinite(q) || q < 0 || q > 100)
    throw new RangeError(`quality must be 0..100 (got ${q})`);
}

function validate(params: PopulationParams): Required<PopulationParams> {
  const p = { ...DEFAULTS, ...stripUndefined(params) } as Required<PopulationParams>;
  if (!Number.isSafeInteger(p.seed))
    throw new RangeError(`seed must be a safe integer (got ${p.seed})`);
  if (!Number.isInteger(p.clusters) || p.clusters < 1 || p.clusters > 65_536) {
    throw new RangeError(`clusters must be an integer 1..65536 (got ${p.clusters})`);
  }
  const nonNeg = (name: keyof PopulationParams, strict = false) => {
    const x = p[name];
    if (!Number.isFinite(x) || x < 0 || (strict && x === 0)) {
      throw new RangeError(`${name} must be a finite number ${strict ? '> 0' : '≥ 0'} (got ${x})`);
    }
  };
  nonNeg('clusterSpread', true);
  nonNeg('noiseAtFullQuality');
  nonNeg('noiseGrowth');
  nonNeg('subjectVariability');
  checkQuality(p.enrollQuality);
  return Object.freeze(p);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
