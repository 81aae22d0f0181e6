/// <reference lib="webworker" />
// The Chromium benchmark's pool half: a dedicated worker (a page's main thread may not block in
// Atomics.wait) that drives a MatcherPool whose helpers are the app's own helper worker, and
// times exact, pre-filtered and guarded searches one probe at a time.
import type { PrefilterGuard } from '../../wasm/loader/guard';
import type { MatchHit } from '../../wasm/loader/merge';
import { MatcherPool } from '../../wasm/loader/pool';
import { browserKernelSource } from '../../wasm/loader/browser';
import type { Variant } from '../../wasm/loader/features';
import type { PageRun } from './chromium-page';

export interface PoolJob {
  readonly gallery: Int8Array;
  readonly probes: Int8Array[];
  readonly variant: Variant;
  readonly threads: number;
  readonly candidates: number;
  readonly guard: PrefilterGuard;
}

declare const self: DedicatedWorkerGlobalScope;
self.onmessage = async (e: MessageEvent<PoolJob>) => {
  const job = e.data;
  try {
    const pool = await MatcherPool.create(
      await browserKernelSource(job.variant, true),
      job.variant,
      job.gallery,
      job.threads,
      (init) => {
        const w = new Worker(
          new URL('../../renderer/src/matcher/pool-helper.worker.ts', import.meta.url),
          { type: 'module' },
        );
        w.postMessage(init);
        return w;
      },
    );
    const tag = `x${job.threads} threads`;
    const runs: PageRun[] = [];
    const C = job.candidates;
    for (const p of job.probes.slice(0, 10)) {
      pool.search(p, 2);
      pool.search(p, 2, C);
    }
    for (const [name, c] of [
      [`${job.variant} ${tag}`, 0],
      [`${job.variant}+prefilter${C} ${tag}`, C],
    ] as const) {
      const times: number[] = [];
      const results: MatchHit[][] = [];
      for (const p of job.probes) {
        const t0 = performance.now();
        results.push(pool.search(p, 2, c));
        times.push(performance.now() - t0);
      }
      runs.push({ name, times, results });
    }
    const times: number[] = [];
    const results: MatchHit[][] = [];
    let fellBack = 0;
    for (const p of job.probes) {
      const t0 = performance.now();
      const r = pool.searchGuarded(p, 2, C, job.guard);
      times.push(performance.now() - t0);
      results.push(r.hits);
      if (r.exact) fellBack++;
    }
    runs.push({ name: `${job.variant}+prefilter${C}+guard ${tag}`, times, results, fellBack });
    pool.close();
    self.postMessage({ runs });
  } catch (err) {
    self.postMessage({ error: (err as Error).message });
  }
};
