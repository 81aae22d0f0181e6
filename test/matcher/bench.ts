/**
 * npm run bench:matcher [-- --n 100000] [--probes 200] [--json] [--candidates 512] [--slack S]
 *   [--variant simd]… [--no-workers] [--no-chromium]
 *
 * For each gallery size: every kernel build this runtime verifies, exact, with the sign-code
 * prefilter alone, and with the prefilter guarded by the decision policy (exact fallback near a
 * decision boundary, wasm/loader/guard.ts), on one thread and on every core (worker_threads over
 * shared memory); usearch's
 * native exact search on the same data, one probe at a time, one thread; and the memory limit,
 * the time to stream the gallery's bytes once, measured in the same run. Gallery and probes come
 * from the synthetic population (common/palm/population.ts), cached under test/artifacts/matcher.
 * "agreement" is decision agreement with the exact search: the same accept / step-up / no-match
 * (and template) under a policy fitted on this gallery (test/matcher/policy-fit.ts).
 * Then the same builds in Chromium (test/matcher/chromium.ts: one thread; usearch is Node's figure,
 * the limit is streamed in the page).
 */
import { availableParallelism, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import type Usearch from 'usearch';
import { createPopulation } from '../../common/palm/population';
import { detectSupport } from '../../wasm/loader/features';
import type { Variant } from '../../wasm/loader/features';
import { KernelRunner, Matcher, memoryFor } from '../../wasm/loader/kernel';
import { DIMS, layoutFor } from '../../wasm/loader/layout';
import type { MatchHit } from '../../wasm/loader/merge';
import { selfTest } from '../../wasm/loader/select';
import { nodeKernelSource } from '../../wasm/node/load';
import { createNodePool } from './node-pool';
import { oneThread, timeSearches } from './time-searches';
import { cachedGallery, galleryFile } from './gallery-cache';
import { runInChromium } from './chromium';
import { decisionOf, fitPolicy, sameDecision } from './policy-fit';
import type { PrefilterGuard } from '../../wasm/loader/guard';
import { thresholds } from '../../common/shard/policy';

const { values } = parseArgs({
  options: {
    n: { type: 'string' },
    probes: { type: 'string', default: '200' },
    candidates: { type: 'string', default: '512' },
    json: { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    slack: { type: 'string' },
    variant: { type: 'string', multiple: true },
    'no-workers': { type: 'boolean', default: false },
    'no-chromium': { type: 'boolean', default: false },
  },
});
const sizes = values.n ? [Number(values.n)] : [10_000, 100_000, 1_000_000];
const M = Number(values.probes);
const C = Number(values.candidates);
const seed = Number(values.seed);
const threads = availableParallelism();
const usearch = createRequire(import.meta.url)('usearch') as typeof Usearch;
const log = (s: string) => (values.json ? process.stderr.write(s + '\n') : console.log(s));

interface Row {
  runtime: string;
  variant: string;
  n: number;
  p50Ms: number;
  p95Ms: number;
  usearchMs: number;
  limitMs: number;
  agreement: number;
}

const pct = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

const gallery = (n: number) => cachedGallery(seed, n, log);

/** Half genuine captures of enrolled subjects, half captures of people not enrolled. */
function probes(n: number): Int8Array[] {
  const pop = createPopulation({ seed });
  return Array.from({ length: M }, (_, i) =>
    i % 2 ? pop.capture((i * 7919) % n, 60 + (i % 40), i) : pop.capture(n + 1_000_000 + i, 80, i),
  );
}

const same = (a: MatchHit[], b: MatchHit[]) =>
  a.length === b.length && a.every((h, i) => h.index === b[i]!.index && h.score === b[i]!.score);

async function time(fn: () => unknown | Promise<unknown>, reps: number): Promise<number[]> {
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    ts.push(performance.now() - t0);
  }
  return ts;
}

const rows: Row[] = [];
const support = await detectSupport();
const variants: Variant[] = [];
for (const v of support.variants)
  if (
    (!values.variant || values.variant.includes(v)) &&
    (await selfTest(await nodeKernelSource(v, false), v)) === null
  )
    variants.push(v);
log(
  `node ${process.version}, ${cpus()[0]?.model} x${threads}; verified builds: ${variants.join(', ')}`,
);

for (const n of sizes) {
  const g = await gallery(n);
  const ps = probes(n);
  // Memory limit: stream the gallery's bytes once, in wasm, in this run.
  const layout = layoutFor(n, 1);
  const lim = await KernelRunner.create(
    await nodeKernelSource(variants[0]!, false),
    variants[0]!,
    memoryFor(layout, false),
    layout,
  );
  lim.writeRows(g, 0);
  const limitMs = pct(await time(() => lim.streamGallery(), 20), 0.5);
  // usearch native exact search, one thread, one probe at a time.
  const usTimes: number[] = [];
  for (const p of ps.slice(0, Math.min(M, 50)))
    usTimes.push(
      ...(await time(() => usearch.exactSearch(g, p, DIMS, 2, usearch.MetricKind.IP, 1), 1)),
    );
  const usearchMs = pct(usTimes, 0.5);
  log(
    `N=${n}: limit ${limitMs.toFixed(2)} ms (${((n * DIMS) / limitMs / 1e6).toFixed(1)} GB/s), usearch p50 ${usearchMs.toFixed(2)} ms`,
  );
  const policy = fitPolicy(createPopulation({ seed }), g);
  const t = thresholds(policy, n);
  const guard: PrefilterGuard = {
    stepUp: t.stepUp,
    accept: t.accept,
    margin: policy.margin,
    slack: values.slack ? Number(values.slack) : policy.margin,
  };
  log(
    `  policy: step-up >= ${t.stepUp.toFixed(0)}, accept >= ${t.accept.toFixed(0)}, margin ${policy.margin}, guard slack ${guard.slack}`,
  );
  let exact: MatchHit[][] | undefined;
  let exactDecisions: ReturnType<typeof decisionOf>[] = [];
  const record = (
    variant: string,
    ts: number[],
    results: MatchHit[][],
    fellBack?: number,
    runtime = 'node',
    limit = limitMs,
  ) => {
    if (!exact) {
      exact = results;
      exactDecisions = results.map((r) => decisionOf(policy, n, r));
      const kinds = new Map<string, number>();
      for (const d of exactDecisions) kinds.set(d.kind, (kinds.get(d.kind) ?? 0) + 1);
      log(`  exact decisions: ${[...kinds].map(([k, c]) => `${k} ${c}`).join(', ')}`);
    }
    const agreement =
      results.filter((r, i) => sameDecision(decisionOf(policy, n, r), exactDecisions[i]!)).length /
      results.length;
    const top2 = results.filter((r, i) => same(r, exact![i]!)).length / results.length;
    const row = {
      runtime,
      variant,
      n,
      p50Ms: pct(ts, 0.5),
      p95Ms: pct(ts, 0.95),
      usearchMs,
      limitMs: limit,
      agreement,
    };
    rows.push(row);
    log(
      `  ${runtime === 'node' ? '' : `${runtime} `}${variant.padEnd(24)} p50 ${row.p50Ms.toFixed(2)} ms  p95 ${row.p95Ms.toFixed(2)} ms  ` +
        `${((n * DIMS) / row.p50Ms / 1e6).toFixed(1)} GB/s-equiv  x${(row.p50Ms / usearchMs).toFixed(2)} usearch  ` +
        `x${(row.p50Ms / limit).toFixed(2)} limit  decisions ${(agreement * 100).toFixed(2)}% (${Math.round((1 - agreement) * results.length)} of ${results.length} differ)  ` +
        `top-2 ${(top2 * 100).toFixed(2)}%` +
        (fellBack === undefined
          ? ''
          : `  exact fallback ${((fellBack / results.length) * 100).toFixed(1)}% (${fellBack})`),
    );
  };
  for (const v of variants) {
    if (v === 'scalar' && n > 100_000) continue; // seconds per probe: not informative
    const m = await Matcher.create(await nodeKernelSource(v, false), v, g);
    const opts = { label: v, candidates: C, guard, warmRounds: 2 };
    for (const r of timeSearches(oneThread(m), ps, opts))
      record(r.name, r.times, r.results, r.fellBack);
    if (v !== 'scalar' && support.sharedMemory && threads > 1 && !values['no-workers']) {
      const pool = await createNodePool(await nodeKernelSource(v, true), v, g, threads);
      for (const r of timeSearches(pool, ps, { ...opts, suffix: ` x${threads} threads` }))
        record(r.name, r.times, r.results, r.fellBack);
      pool.close();
    }
  }
  if (!values['no-chromium']) {
    const c = await runInChromium(galleryFile(seed, n), ps, {
      candidates: C,
      guard,
      scalarMaxN: 100_000,
      threads: values['no-workers'] ? 0 : threads,
      ...(values.variant ? { variants: values.variant } : {}),
    });
    const climit = pct(c.limitMs, 0.5);
    log(
      `  Chromium ${c.version} (cross-origin isolated: ${c.crossOriginIsolated}): limit ${climit.toFixed(2)} ms` +
        (c.refused.length ? `; refused: ${c.refused.join('; ')}` : ''),
    );
    for (const r of c.runs) record(r.name, r.times, r.results, r.fellBack, 'chromium', climit);
  }
}
if (values.json) console.log(JSON.stringify(rows));
