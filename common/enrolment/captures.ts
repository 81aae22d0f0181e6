import { PT1_DIMS, quantizePT1 } from '../palm/population';

/**
 * Enrolment captures: each is checked for quality and liveness on its own, then a palm's good
 * captures are combined into its enrolment template. Fusion (the mean of the captures' unit
 * vectors, quantised back to PT1) was measured against keeping every capture as a template of
 * its own (docs/accuracy.md, "Enrolment: fusion or several templates"): fusion averages the
 * capture noise away, so the genuine score rises while an impostor's does not, and the gallery
 * keeps one template per palm (several templates per palm multiply the impostor chances of
 * every 1:N search and the shard's size).
 */
export const ENROL_MIN_QUALITY = 70;
/** The emulator's and the scanner's liveness pass mark (palm-hid §5). */
export const ENROL_MIN_LIVENESS = 50;
/** Good captures a palm needs before it is enrolled. */
export const CAPTURES_PER_PALM = 3;
/** Tries per palm before enrolment gives up on it (bad captures count). */
export const MAX_TRIES_PER_PALM = 6;
/**
 * The least cosine two captures of one palm may have, below which they are not of one palm
 * (another hand, or a swap mid-enrolment) and the palm starts again. The population overlaps
 * here (hard palms are noisy, palms of one cluster alike): measured on 2 000 subjects, 0.15
 * refuses 0.30 % of one palm's capture triples at quality 75 (0.05 % at 90) and lets 0.65 %
 * (1.45 %) of two palms' pairs through — it catches a swap, it cannot prove identity.
 */
export const CONSISTENCY_MIN = 0.15;

export interface EnrolCapture {
  readonly template: Int8Array;
  readonly quality: number;
  readonly liveness: number;
}

export type CaptureProblem = 'quality' | 'liveness' | 'format';

/** Why a capture cannot be used for enrolment, or null when it can. */
export function captureProblem(c: EnrolCapture): CaptureProblem | null {
  if (c.template.length !== PT1_DIMS) return 'format';
  if (!(c.liveness >= ENROL_MIN_LIVENESS)) return 'liveness';
  if (!(c.quality >= ENROL_MIN_QUALITY)) return 'quality';
  return null;
}

function unit(t: Int8Array): Float64Array {
  let n = 0;
  for (let i = 0; i < t.length; i++) n += t[i]! * t[i]!;
  const s = n > 0 ? 1 / Math.sqrt(n) : 0;
  const out = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) out[i] = t[i]! * s;
  return out;
}

/** Cosine of two PT1 templates (scale-free, unlike the matcher's raw dot). */
export function cosine(a: Int8Array, b: Int8Array): number {
  const ua = unit(a);
  const ub = unit(b);
  let d = 0;
  for (let i = 0; i < ua.length; i++) d += ua[i]! * ub[i]!;
  return d;
}

/** The lowest cosine between any two captures: are they all of one palm? */
export function leastAgreement(templates: readonly Int8Array[]): number {
  let least = 1;
  for (let i = 0; i < templates.length; i++)
    for (let j = i + 1; j < templates.length; j++)
      least = Math.min(least, cosine(templates[i]!, templates[j]!));
  return least;
}

/** Fusion: the mean of the captures' unit vectors, re-normalised and quantised to PT1. */
export function fuseTemplates(templates: readonly Int8Array[]): Int8Array {
  if (templates.length === 0) throw new RangeError('fusion needs at least one capture');
  const sum = new Float64Array(PT1_DIMS);
  for (const t of templates) {
    if (t.length !== PT1_DIMS) throw new RangeError(`a PT1 template has ${PT1_DIMS} values`);
    const u = unit(t);
    for (let i = 0; i < PT1_DIMS; i++) sum[i]! += u[i]!;
  }
  let n = 0;
  for (let i = 0; i < PT1_DIMS; i++) n += sum[i]! * sum[i]!;
  const s = n > 0 ? 1 / Math.sqrt(n) : 0;
  for (let i = 0; i < PT1_DIMS; i++) sum[i]! *= s;
  return quantizePT1(sum);
}
