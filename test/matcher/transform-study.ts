/**
 * npx tsx test/matcher/transform-study.ts [--n 1000] [--json]
 *
 * Why the store transform is a dense keyed rotation and not a keyed signed permutation (both keep
 * scores): an attacker holding two stores' shards, and no key, tries to link their records. A
 * signed permutation keeps each template's multiset of |components|, so sorting the magnitudes
 * gives a key-free fingerprint; the rotation mixes every component into every other. Measured:
 * the share of store-A records whose nearest store-B record by sorted magnitudes is the same
 * person (chance = 1/n), and the score change each transform causes (genuine pairs).
 */
import { parseArgs } from 'node:util';
import { createPopulation } from '../../common/palm/population';
import { deriveTransform, generateTransformKey } from '../../common/shard/transform';
import { Xoshiro128 } from '../../common/palm/prng';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '1000' }, json: { type: 'boolean', default: false } },
});
const n = Number(values.n);
const D = 512;
const pop = createPopulation({ seed: 1 });
const dot = (a: Int8Array, b: Int8Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

/** A keyed signed permutation: exact on int8, the cheap alternative. */
function signedPermutation(seed: number): (t: Int8Array) => Int8Array {
  const rng = new Xoshiro128(seed);
  const perm = Array.from({ length: D }, (_, i) => i);
  for (let i = D - 1; i > 0; i--) {
    const j = rng.nextU32() % (i + 1);
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  const sign = Array.from({ length: D }, () => (rng.nextU32() & 1 ? -1 : 1));
  return (t) => Int8Array.from(perm, (p, i) => t[p]! * sign[i]!);
}

const fingerprint = (t: Int8Array) => Float64Array.from(t, Math.abs).sort();

/** Share of A's records whose closest B fingerprint (L2) is the same subject. */
function linkage(a: Int8Array[], b: Int8Array[]): number {
  const fa = a.map(fingerprint);
  const fb = b.map(fingerprint);
  let hits = 0;
  fa.forEach((x, i) => {
    let best = Infinity;
    let who = -1;
    fb.forEach((y, j) => {
      let d = 0;
      for (let k = 0; k < D; k++) d += (x[k]! - y[k]!) ** 2;
      if (d < best) [best, who] = [d, j];
    });
    if (who === i) hits++;
  });
  return hits / a.length;
}

const templates = Array.from({ length: n }, (_, i) => pop.enrollTemplate(i));
const rotA = await deriveTransform('store-a', generateTransformKey(1));
const rotB = await deriveTransform('store-b', generateTransformKey(1));
const permA = signedPermutation(1);
const permB = signedPermutation(2);

function drift(f: (t: Int8Array) => Int8Array): { mean: number; sd: number } {
  const xs = templates.map((g, i) => {
    const p = pop.capture(i, 60 + (i % 40), 3);
    return dot(f(g), f(p)) / dot(g, p) - 1;
  });
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
  return { mean, sd };
}

const rows = [
  {
    transform: 'signed permutation',
    linked: linkage(templates.map(permA), templates.map(permB)),
    ...drift(permA),
  },
  {
    transform: 'rotation H·D·H·D·H·D·P',
    linked: linkage(
      templates.map((t) => rotA.apply(t)),
      templates.map((t) => rotB.apply(t)),
    ),
    ...drift((t) => rotA.apply(t)),
  },
];
if (values.json) for (const r of rows) console.log(JSON.stringify({ n, ...r }));
else {
  console.log(`${n} records per store; chance of linking one = ${(1 / n).toExponential(1)}`);
  for (const r of rows)
    console.log(
      `${r.transform.padEnd(24)} linked by sorted magnitudes ${(r.linked * 100).toFixed(1)} %; ` +
        `genuine score change mean ${(r.mean * 100).toFixed(2)} %, sd ${(r.sd * 100).toFixed(2)} %`,
    );
}
