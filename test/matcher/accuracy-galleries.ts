import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fuseTemplates } from '../../common/palm/enrolment';
import { createPopulation } from '../../common/palm/population';
import { deriveTransform } from '../../common/shard/transform';
import type { TemplateTransform } from '../../common/shard/transform';
import { cachedGallery } from './gallery-cache';

const DIMS = 512;

/**
 * How a palm is enrolled in the accuracy report:
 * - `single`: one capture at quality 92 (the population's enrolment template; the old report);
 * - `fused`: three captures at quality 92 (that one and two more), combined by fuseTemplates
 *   (common/palm/enrolment.ts) into one template;
 * - `multi`: the same three captures kept as three templates of the record.
 */
export const ENROLMENTS = ['single', 'fused', 'multi'] as const;
export type Enrolment = (typeof ENROLMENTS)[number];
export const CAPTURES_PER_PALM = 3;
const EXTRA_CAPTURE_SEED = 1_000_000_000; // far from the probes' capture seeds (1 … searches)

export const rowsPerRecord = (e: Enrolment) => (e === 'multi' ? CAPTURES_PER_PALM : 1);

/**
 * One enrolment capture of subject i (its last), as the cloud's duplicate check sees it when the
 * shopper enrols: for `single` that is the template itself, for `fused` and `multi` one of the
 * captures the record was made from. Leave-one-out searches probe with it (docs/accuracy.md).
 */
export function enrolmentCapture(
  pop: ReturnType<typeof createPopulation>,
  i: number,
  e: Enrolment,
): Int8Array {
  return e === 'single' ? pop.enrollTemplate(i) : captures(pop, i).at(-1)!;
}

/** The enrolment captures of subject i: the enrolment template, then CAPTURES_PER_PALM − 1 more. */
function captures(pop: ReturnType<typeof createPopulation>, i: number): Int8Array[] {
  const out = [pop.enrollTemplate(i)];
  for (let c = 1; c < CAPTURES_PER_PALM; c++)
    out.push(pop.capture(i, pop.params.enrollQuality, EXTRA_CAPTURE_SEED + c));
  return out;
}

/** Raw (untransformed) gallery rows for subjects 0..n−1, cached under test/artifacts/matcher. */
export async function enrolmentGallery(
  seed: number,
  n: number,
  e: Enrolment,
  log: (s: string) => void,
): Promise<Int8Array> {
  if (e === 'single') return cachedGallery(seed, n, log);
  const dir = new URL('../artifacts/matcher/', import.meta.url);
  const file = new URL(`gallery-s${seed}-n${n}-${e}${CAPTURES_PER_PALM}.bin`, dir);
  const rows = n * rowsPerRecord(e);
  if (existsSync(file)) {
    const b = await readFile(file);
    if (b.length === rows * DIMS) return new Int8Array(b.buffer, b.byteOffset, rows * DIMS);
  }
  log(`generating ${n} ${e} enrolments (${CAPTURES_PER_PALM} captures each)…`);
  const pop = createPopulation({ seed });
  const g = new Int8Array(rows * DIMS);
  for (let i = 0; i < n; i++) {
    const caps = captures(pop, i);
    if (e === 'fused') g.set(fuseTemplates(caps), i * DIMS);
    else caps.forEach((c, j) => g.set(c, (i * CAPTURES_PER_PALM + j) * DIMS));
  }
  await mkdir(dir, { recursive: true });
  await writeFile(file, g);
  return g;
}

/**
 * The store transform the lane applies (common/shard/transform.ts), with a key fixed by the seed
 * so a run is reproducible: the report measures the matcher as the lane runs it.
 */
export async function reportTransform(seed: number): Promise<TemplateTransform> {
  const key = createHash('sha256').update(`accuracy-report|${seed}`).digest();
  return deriveTransform('accuracy-store', { generation: 1, key: new Uint8Array(key) });
}

export function transformRows(t: TemplateTransform, rows: Int8Array): Int8Array {
  const out = new Int8Array(rows.length);
  for (let at = 0; at < rows.length; at += DIMS)
    t.apply(rows.subarray(at, at + DIMS), out.subarray(at, at + DIMS));
  return out;
}
