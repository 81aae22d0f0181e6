import { PT1_DIMS, quantizePT1 } from './population';

/**
 * Combining several enrolment captures of one palm into the template the shard carries: the
 * mean direction of the captures (their sum, normalised to unit length, PT1-quantised). Each
 * capture is the identity plus independent noise, so the mean of k has about 1/√k of one
 * capture's noise and every later probe scores higher against it. The other way, keeping every
 * capture as its own template, gives the probe k chances, but also every impostor; the accuracy
 * report measures both (docs/accuracy.md, test/matcher/accuracy.ts).
 */
export function fuseTemplates(captures: readonly Int8Array[]): Int8Array {
  if (captures.length === 0) throw new RangeError('fusing needs at least one capture');
  const sum = new Float64Array(PT1_DIMS);
  for (const c of captures) {
    if (c.length !== PT1_DIMS) throw new RangeError(`a capture is ${PT1_DIMS} components`);
    // Each capture weighs the same whatever its quantised norm.
    let ss = 0;
    for (let i = 0; i < PT1_DIMS; i++) ss += c[i]! * c[i]!;
    if (ss === 0) throw new RangeError('a capture is all zeros');
    const w = 1 / Math.sqrt(ss);
    for (let i = 0; i < PT1_DIMS; i++) sum[i]! += c[i]! * w;
  }
  let ss = 0;
  for (let i = 0; i < PT1_DIMS; i++) ss += sum[i]! * sum[i]!;
  const inv = 1 / Math.sqrt(ss);
  for (let i = 0; i < PT1_DIMS; i++) sum[i]! *= inv;
  return quantizePT1(sum);
}
