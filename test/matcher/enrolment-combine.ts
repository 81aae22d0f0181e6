/**
 * npx tsx test/matcher/enrolment-combine.ts [--n 10000] [--mated 3000] [--nonmated 20000] [--json]
 *
 * Which enrolment is better: one capture, the fusion of three captures (common/enrolment/
 * captures.ts fuseTemplates), or the three captures kept as three templates per palm (best of
 * three)? Same population (seed 1), same enrolment captures (quality 70..99, the enrolment
 * flow's pass mark and up), same probes as npm run accuracy (quality 60..99): open-set 1:N,
 * FNIR at thresholds set on the measured non-mated best scores, and the genuine score.
 */
import { parseArgs } from 'node:util';
import { createPopulation, NOT_ENROLLED, PT1_DIMS } from '../../common/palm/population';
import {
  CAPTURES_PER_PALM,
  ENROL_MIN_QUALITY,
  fuseTemplates,
} from '../../common/enrolment/captures';
import { Matcher } from '../../wasm/loader/kernel';
import { selectKernel } from '../../wasm/loader/select';
import { nodeKernelSource } from '../../wasm/node/load';

const { values } = parseArgs({
  options: {
    n: { type: 'string', multiple: true },
    mated: { type: 'string', default: '3000' },
    nonmated: { type: 'string', default: '20000' },
    json: { type: 'boolean', default: false },
  },
});
const sizes = (values.n ?? ['10000']).map(Number);
const MATED = Number(values.mated);
const NONMATED = Number(values.nonmated);
const pop = createPopulation({ seed: 1 });
const ENROL_SEED = 900_000; // capture seeds no probe uses (probes use 1 … NONMATED)

/** The k-th enrolment capture's quality: spread over the pass mark .. 99, deterministic. */
const enrolQuality = (subject: number, k: number) =>
  ENROL_MIN_QUALITY + ((subject * 31 + k * 17) % (100 - ENROL_MIN_QUALITY));
const enrolCapture = (subject: number, k: number) =>
  pop.capture(subject, enrolQuality(subject, k), ENROL_SEED + k);

type Variant = 'single' | 'fusion' | 'multi';

function gallery(n: number, v: Variant): { rows: Int8Array; perSubject: number } {
  const per = v === 'multi' ? CAPTURES_PER_PALM : 1;
  const rows = new Int8Array(n * per * PT1_DIMS);
  for (let i = 0; i < n; i++) {
    const caps = Array.from({ length: CAPTURES_PER_PALM }, (_, k) => enrolCapture(i, k));
    const use = v === 'single' ? [caps[0]!] : v === 'fusion' ? [fuseTemplates(caps)] : caps;
    use.forEach((t, k) => rows.set(t, (i * per + k) * PT1_DIMS));
  }
  return { rows, perSubject: per };
}

function thresholdAt(nonmatedTop: number[], alpha: number): number {
  const desc = [...nonmatedTop].sort((a, b) => b - a);
  const allowed = Math.floor(alpha * desc.length);
  return allowed < desc.length ? desc[allowed]! + 1 : -Infinity;
}

async function run(n: number, v: Variant) {
  const { rows, perSubject } = gallery(n, v);
  const choice = await selectKernel(nodeKernelSource, 'auto');
  const m = await Matcher.create(choice.module, choice.variant, rows);
  const matedHit: (number | null)[] = [];
  let genuineSum = 0;
  for (let j = 0; j < MATED; j++) {
    const subject = (j * 7919 + 13) % n;
    const [best] = m.search(pop.capture(subject, 60 + (j % 40), j + 1), 2);
    const hit = best && Math.floor(best.index / perSubject) === subject ? best.score : null;
    matedHit.push(hit);
    genuineSum += hit ?? 0;
  }
  const nonmatedTop: number[] = [];
  for (let j = 0; j < NONMATED; j++)
    nonmatedTop.push(m.search(pop.capture(NOT_ENROLLED + j, 60 + (j % 40), j + 1), 2)[0]!.score);
  const fnir = (t: number) => matedHit.filter((s) => s === null || s < t).length / MATED;
  const t3 = thresholdAt(nonmatedTop, 1e-3);
  const t4 = thresholdAt(nonmatedTop, 1e-4);
  return {
    n,
    enrolment: v,
    templates: n * perSubject,
    mated: MATED,
    nonMated: NONMATED,
    genuineMean: Math.round(genuineSum / MATED),
    rank1Miss: matedHit.filter((s) => s === null).length / MATED,
    fnirAtFpir1e3: fnir(t3),
    fnirAtFpir1e4: fnir(t4),
    t1e3: t3,
    t1e4: t4,
  };
}

for (const n of sizes) {
  for (const v of ['single', 'fusion', 'multi'] as const) {
    const r = await run(n, v);
    if (values.json) console.log(JSON.stringify(r));
    else
      console.log(
        `N=${n} ${v.padEnd(6)} templates=${r.templates} genuine mean=${r.genuineMean} rank-1 miss=${(100 * r.rank1Miss).toFixed(2)}% ` +
          `FNIR@1e-3=${(100 * r.fnirAtFpir1e3).toFixed(2)}% (t=${r.t1e3}) FNIR@1e-4=${(100 * r.fnirAtFpir1e4).toFixed(2)}% (t=${r.t1e4})`,
      );
  }
}
