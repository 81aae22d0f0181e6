/**
 * npm run accuracy [-- --n 100000]… [--enrolment fused]… [--mated 5000] [--nonmated 100000]
 *   [--loo 100000] [--seed 1] [--json] [--no-plot] [--report-only]
 *
 * Open-set identification accuracy of the exact matcher on the synthetic population
 * (common/palm/population.ts), as the lane runs it: gallery and probes under a store transform
 * (common/shard/transform.ts). For each gallery size N and enrolment (test/matcher/
 * accuracy-galleries.ts: `single` capture, `fused` three captures, `multi` three templates):
 * - mated searches: a fresh capture of an enrolled subject, quality uniform in 60..99;
 * - non-mated searches: a capture of someone never enrolled, same qualities;
 * - the policy the cloud would fit on its own gallery: leave-one-out non-mated searches (each
 *   enrolled record searched against the others), common/shard/policy-measured.ts.
 * FPIR(t) = share of non-mated searches whose best score is >= t; FNIR(t) = share of mated
 * searches whose best hit is not the mate or scores < t. Writes docs/accuracy.md and the DET
 * plot docs/accuracy-det.png, and the raw scores to test/artifacts/matcher/. With --json, one row
 * per (N, enrolment) on stdout: {n, enrolment, nonMated, fpirAtAccept, fnirAtAccept, fnirAtFpir1e4}.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { createPopulation } from '../../common/palm/population';
import { measureNonMated } from '../../common/shard/policy-measured';
import { thresholds } from '../../common/shard/policy';
import type { MatchPolicy } from '../../common/shard/policy';
import { selectKernel } from '../../wasm/loader/select';
import { Matcher } from '../../wasm/loader/kernel';
import { nodeKernelSource } from '../../wasm/node/load';
import {
  ENROLMENTS,
  enrolmentCapture,
  enrolmentGallery,
  reportTransform,
  rowsPerRecord,
  transformRows,
} from './accuracy-galleries';
import type { Enrolment } from './accuracy-galleries';
import { fnirAt, fpirAt, plot, report, rowOf, thresholdAt } from './accuracy-report';
import type { SizeResult } from './accuracy-report';
import { cachedGallery } from './gallery-cache';
import { fitPolicy, NOT_ENROLLED } from './policy-fit';

const { values } = parseArgs({
  options: {
    n: { type: 'string', multiple: true },
    enrolment: { type: 'string', multiple: true },
    mated: { type: 'string', default: '5000' },
    nonmated: { type: 'string', default: '100000' },
    loo: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    'no-plot': { type: 'boolean', default: false },
    'report-only': { type: 'boolean', default: false },
  },
});
const positive = (s: string, what: string) => {
  const x = Number(s);
  if (!Number.isInteger(x) || x < 1) throw new RangeError(`${what} must be a whole number >= 1`);
  return x;
};
const sizes = (values.n ?? ['10000', '100000']).map((s) => positive(s, '--n'));
const enrolments = (values.enrolment ?? ['single', 'fused']).map((e) => {
  if (!(ENROLMENTS as readonly string[]).includes(e))
    throw new RangeError(`--enrolment must be one of ${ENROLMENTS.join(', ')} (got ${e})`);
  return e as Enrolment;
});
const MATED = positive(values.mated, '--mated');
const NONMATED = positive(values.nonmated, '--nonmated');
const LOO = positive(values.loo, '--loo');
const seed = Number(values.seed);
const artifacts = new URL('../artifacts/matcher/', import.meta.url);
const log = (s: string) => (values.json ? process.stderr.write(s + '\n') : console.log(s));

async function measure(n: number, enrolment: Enrolment): Promise<SizeResult> {
  const per = rowsPerRecord(enrolment);
  const transform = await reportTransform(seed);
  const gallery = transformRows(transform, await enrolmentGallery(seed, n, enrolment, log));
  const choice = await selectKernel(nodeKernelSource, 'auto');
  const matcher = await Matcher.create(choice.module, choice.variant, gallery);
  const pop = createPopulation({ seed });
  const probe = new Int8Array(512);
  const search = (raw: Int8Array, k: number) => matcher.search(transform.apply(raw, probe), k);
  const t0 = performance.now();
  const matedHit: (number | null)[] = [];
  for (let j = 0; j < MATED; j++) {
    const subject = (j * 7919 + 13) % n;
    const [best] = search(pop.capture(subject, 60 + (j % 40), j + 1), 1);
    matedHit.push(best && Math.floor(best.index / per) === subject ? best.score : null);
  }
  const nonmatedTop: number[] = [];
  for (let j = 0; j < NONMATED; j++)
    nonmatedTop.push(search(pop.capture(NOT_ENROLLED + j, 60 + (j % 40), j + 1), 1)[0]!.score);
  // Leave-one-out, as the cloud measures it at each enrolment's duplicate check: one enrolment
  // capture of record i against the stored gallery without record i. Probing with the stored
  // template instead (`looTemplate`, the old fit) scores impostors higher than any capture does.
  const looBest: number[] = [];
  const looTemplate: number[] = [];
  const loo = Math.min(LOO, n);
  const others = (p: Int8Array, record: number) =>
    matcher.search(p, per + 1).find((h) => Math.floor(h.index / per) !== record)!.score;
  for (let j = 0; j < loo; j++) {
    const record = Math.floor((j * n) / loo);
    const stored = gallery.subarray(record * per * 512, (record * per + 1) * 512);
    const template = others(stored, record);
    looTemplate.push(template);
    // A single-capture record is its capture (transformed): the same search.
    looBest.push(
      enrolment === 'single'
        ? template
        : others(transform.apply(enrolmentCapture(pop, record, enrolment), probe), record),
    );
  }
  const measured = measureNonMated(looBest, n * per);
  const measuredTemplate = measureNonMated(looTemplate, n * per);
  const tailPolicy = fitPolicy(pop, await cachedGallery(seed, Math.min(n, 4096)));
  const policy: MatchPolicy = { ...tailPolicy, measured };
  const t = thresholds(policy, n * per);
  const old = thresholds(tailPolicy, n * per);
  const byTemplate = thresholds({ ...tailPolicy, measured: measuredTemplate }, n * per);
  const r: SizeResult = {
    seed,
    n,
    enrolment,
    rows: n * per,
    variant: choice.variant,
    mated: MATED,
    nonmated: NONMATED,
    loo,
    matedHit,
    nonmatedTop,
    policy: {
      stepUp: Math.round(t.stepUp),
      accept: Math.round(t.accept),
      tailAccept: Math.round(old.accept),
      tailStepUp: Math.round(old.stepUp),
      looTemplateAccept: Math.round(byTemplate.accept),
      margin: policy.margin,
    },
    seconds: (performance.now() - t0) / 1000,
  };
  await mkdir(artifacts, { recursive: true });
  await writeFile(new URL(`accuracy-n${n}-${enrolment}.json`, artifacts), JSON.stringify(r));
  return r;
}

const machine = `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}`;
const results: SizeResult[] = [];
for (const n of values['report-only'] ? [] : sizes) {
  for (const e of enrolments) {
    const r = await measure(n, e);
    const t4 = thresholdAt(r.nonmatedTop, 1e-4);
    log(
      `N=${n} ${e}: FNIR ${fnirAt(r, t4).toFixed(4)} @ FPIR 1e-4; at accept ${r.policy.accept}: ` +
        `FPIR ${fpirAt(r, r.policy.accept).toFixed(5)} FNIR ${fnirAt(r, r.policy.accept).toFixed(4)} ` +
        `(${r.seconds.toFixed(0)} s)`,
    );
    results.push(r);
  }
}
// Sizes and enrolments measured earlier (e.g. an opt-in 1M) stay in the report when cached.
for (const n of [10_000, 100_000, 1_000_000]) {
  for (const e of ENROLMENTS) {
    if (results.some((r) => r.n === n && r.enrolment === e)) continue;
    try {
      const r = JSON.parse(
        await readFile(new URL(`accuracy-n${n}-${e}.json`, artifacts), 'utf8'),
      ) as SizeResult;
      if (r.seed === seed) results.push(r);
    } catch {
      // not measured yet
    }
  }
}
results.sort(
  (a, b) => a.n - b.n || ENROLMENTS.indexOf(a.enrolment) - ENROLMENTS.indexOf(b.enrolment),
);
if (values.json) for (const r of results) console.log(JSON.stringify(rowOf(r)));
const docs = new URL('../../docs/', import.meta.url);
await report(results, machine, seed, new URL('accuracy.md', docs));
if (!values['no-plot']) await plot(results, new URL('accuracy-det.png', docs));
log('wrote docs/accuracy.md' + (values['no-plot'] ? '' : ' and docs/accuracy-det.png'));
