/**
 * npx tsx test/matcher/nonmated-study.ts [--n 100000] [--searches 20000] [--enrolment fused]
 *
 * Which non-mated searches can a store's cloud run on its own gallery that score like the lane's
 * real non-mated searches? Compares, on one gallery, the upper quantiles of the best score of:
 * - `never enrolled`: a payment-quality capture (60..99) of someone not enrolled (what FPIR is);
 * - `LOO template`: each enrolled record's template against the others (policy-measured's LOO);
 * - `LOO capture q92`: a fresh enrolment-quality capture of an enrolled shopper, own record left out;
 * - `LOO capture 60..99`: a payment-quality capture of an enrolled shopper, own record left out.
 */
import { parseArgs } from 'node:util';
import { createPopulation } from '../../common/palm/population';
import { Matcher } from '../../wasm/loader/kernel';
import { selectKernel } from '../../wasm/loader/select';
import { nodeKernelSource } from '../../wasm/node/load';
import {
  enrolmentGallery,
  reportTransform,
  rowsPerRecord,
  transformRows,
} from './accuracy-galleries';
import type { Enrolment } from './accuracy-galleries';
import { NOT_ENROLLED } from './policy-fit';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    searches: { type: 'string', default: '20000' },
    enrolment: { type: 'string', default: 'fused' },
  },
});
const n = Number(values.n);
const S = Number(values.searches);
const e = values.enrolment as Enrolment;
const per = rowsPerRecord(e);
const transform = await reportTransform(1);
const gallery = transformRows(transform, await enrolmentGallery(1, n, e, console.log));
const choice = await selectKernel(nodeKernelSource, 'auto');
const matcher = await Matcher.create(choice.module, choice.variant, gallery);
const pop = createPopulation({ seed: 1 });
const buf = new Int8Array(512);
const bestOther = (probe: Int8Array, record: number | null) =>
  matcher
    .search(probe, per + 1)
    .find((h) => record === null || Math.floor(h.index / per) !== record)!.score;

const samples: Record<string, number[]> = {
  'never enrolled': [],
  'LOO template': [],
  'LOO capture q92': [],
  'LOO capture 60..99': [],
};
for (let j = 0; j < S; j++) {
  const r = Math.floor((j * n) / S);
  samples['never enrolled']!.push(
    bestOther(transform.apply(pop.capture(NOT_ENROLLED + j, 60 + (j % 40), j + 1), buf), null),
  );
  samples['LOO template']!.push(bestOther(gallery.subarray(r * per * 512, (r * per + 1) * 512), r));
  samples['LOO capture q92']!.push(
    bestOther(transform.apply(pop.capture(r, 92, 2_000_000_000 + j), buf), r),
  );
  samples['LOO capture 60..99']!.push(
    bestOther(transform.apply(pop.capture(r, 60 + (j % 40), 2_100_000_000 + j), buf), r),
  );
}
const q = (xs: number[], p: number) => {
  const s = Float64Array.from(xs).sort().reverse();
  return s[Math.floor(p * s.length)]!;
};
console.log(`N=${n} ${e}, ${S} searches each`);
for (const [name, xs] of Object.entries(samples))
  console.log(
    `${name.padEnd(20)} q(1e-2) ${q(xs, 1e-2)}  q(1e-3) ${q(xs, 1e-3)}  q(5e-4) ${q(xs, 5e-4)}  max ${Math.max(...xs)}`,
  );
