/// <reference lib="webworker" />
// The Chromium benchmark's pool half: a dedicated worker (a page's main thread may not block in
// Atomics.wait) that drives a MatcherPool whose helpers are the app's own helper worker, and
// times exact, pre-filtered and guarded searches one probe at a time.
import type { PrefilterGuard } from '../../wasm/loader/guard';
import { MatcherPool } from '../../wasm/loader/pool';
import { browserKernelSource } from '../../wasm/loader/browser';
import type { Variant } from '../../wasm/loader/features';
import { spawnPoolHelper } from '../../renderer/src/matcher/pool-helper';
import { timeSearches } from './time-searches';

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
      spawnPoolHelper,
    );
    const runs = timeSearches(pool, job.probes, {
      label: job.variant,
      candidates: job.candidates,
      guard: job.guard,
      suffix: ` x${job.threads} threads`,
    });
    pool.close();
    self.postMessage({ runs });
  } catch (err) {
    self.postMessage({ error: (err as Error).message });
  }
};
