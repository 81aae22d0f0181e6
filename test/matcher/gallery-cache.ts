import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createPopulation } from '../../common/palm/population';

const DIMS = 512;

/**
 * Enrolment templates of subjects 0..n-1 of the synthetic population `seed`, row-major n x 512,
 * cached under test/artifacts/matcher (generating 1M takes minutes).
 */
/** Where cachedGallery keeps the gallery of `n` templates of population `seed`. */
export function galleryFile(seed: number, n: number): string {
  return new URL(`../artifacts/matcher/gallery-s${seed}-n${n}.bin`, import.meta.url).pathname;
}

export async function cachedGallery(
  seed: number,
  n: number,
  log: (s: string) => void = () => {},
): Promise<Int8Array> {
  const dir = new URL('../artifacts/matcher/', import.meta.url);
  const file = new URL(`gallery-s${seed}-n${n}.bin`, dir);
  if (existsSync(file)) {
    const bytes = await readFile(file);
    if (bytes.length === n * DIMS) return new Int8Array(bytes.buffer, bytes.byteOffset, n * DIMS);
  }
  log(`generating ${n} enrolment templates (cached in test/artifacts/matcher)…`);
  const pop = createPopulation({ seed });
  const g = new Int8Array(n * DIMS);
  for (let i = 0; i < n; i++) pop.enrollTemplate(i, g.subarray(i * DIMS, (i + 1) * DIMS));
  await mkdir(dir, { recursive: true });
  await writeFile(file, g);
  return g;
}
