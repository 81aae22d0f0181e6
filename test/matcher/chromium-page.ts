// The browser half of the Chromium benchmark (test/matcher/chromium.ts serves it through Vite).
// Runs in a cross-origin-isolated page: fetches the gallery and probes the Node side generated,
// then times each verified kernel build exact, pre-filtered and guarded, one thread, one probe at
// a time, plus the time to stream the gallery once; then the same searches on a pool over every
// core, in a worker. Results go back as plain numbers.
import { browserKernelSource } from '../../wasm/loader/browser';
import { detectSupport } from '../../wasm/loader/features';
import type { PrefilterGuard } from '../../wasm/loader/guard';
import { KernelRunner, Matcher, memoryFor } from '../../wasm/loader/kernel';
import { DIMS, layoutFor } from '../../wasm/loader/layout';
import { selfTest } from '../../wasm/loader/select';
import type { Variant } from '../../wasm/loader/features';
import type { PoolJob } from './chromium-pool.worker';
import { oneThread, timeSearches } from './time-searches';
import type { TimedRun } from './time-searches';

export interface PageResult {
  readonly userAgent: string;
  readonly crossOriginIsolated: boolean;
  readonly refused: string[];
  readonly limitMs: number[];
  readonly runs: TimedRun[];
}

async function bytes(url: string): Promise<Int8Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Int8Array(await r.arrayBuffer());
}

/** Times a MatcherPool in a dedicated worker (chromium-pool.worker.ts); hands `gallery` over. */
function runPool(job: PoolJob): Promise<TimedRun[]> {
  const w = new Worker(new URL('./chromium-pool.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<TimedRun[]>((resolve, reject) => {
    w.onmessage = (e: MessageEvent<{ runs?: TimedRun[]; error?: string }>) =>
      e.data.runs ? resolve(e.data.runs) : reject(new Error(e.data.error));
    w.onerror = (e) => reject(new Error(e.message));
    w.postMessage(job, [job.gallery.buffer]);
  }).finally(() => w.terminate());
}

async function run(opts: {
  galleryUrl: string;
  candidates: number;
  guard: PrefilterGuard;
  scalarMaxN: number;
  /** Builds to time (all the page supports when absent). */
  variants?: string[];
  /** Threads for the pool rows (0: none). */
  threads: number;
}): Promise<PageResult> {
  let gallery = await bytes(opts.galleryUrl);
  const flat = await bytes('/__bench/probes.bin');
  const probes = Array.from({ length: flat.length / DIMS }, (_, i) =>
    flat.subarray(i * DIMS, (i + 1) * DIMS),
  );
  const n = gallery.length / DIMS;
  const support = await detectSupport();
  const refused: string[] = [];
  const runs: TimedRun[] = [];
  let limitMs: number[] = [];
  let pooled: Variant | undefined;
  for (const v of support.variants) {
    const module = await browserKernelSource(v, false);
    const failure = await selfTest(module, v);
    if (failure) {
      refused.push(failure);
      continue;
    }
    if (limitMs.length === 0) {
      const layout = layoutFor(n, 1);
      const lim = await KernelRunner.create(module, v, memoryFor(layout, false), layout);
      lim.writeRows(gallery, 0);
      for (let i = 0; i < 25; i++) {
        const t0 = performance.now();
        lim.streamGallery();
        limitMs.push(performance.now() - t0);
      }
      limitMs = limitMs.slice(5);
    }
    if ((v === 'scalar' && n > opts.scalarMaxN) || (opts.variants && !opts.variants.includes(v)))
      continue;
    const m = await Matcher.create(module, v, gallery);
    runs.push(
      ...timeSearches(oneThread(m), probes, {
        label: v,
        candidates: opts.candidates,
        guard: opts.guard,
      }),
    );
    // The pool rows use the plain SIMD build when verified (the calibrated pick here), else relaxed.
    if (v !== 'scalar' && (pooled === undefined || v === 'simd')) pooled = v;
  }
  if (pooled && opts.threads > 1 && globalThis.crossOriginIsolated) {
    const job: PoolJob = {
      gallery,
      probes,
      variant: pooled,
      threads: opts.threads,
      candidates: opts.candidates,
      guard: opts.guard,
    };
    gallery = new Int8Array(0); // transferred to the worker
    runs.push(...(await runPool(job)));
  }
  return {
    userAgent: navigator.userAgent,
    crossOriginIsolated: globalThis.crossOriginIsolated,
    refused,
    limitMs,
    runs,
  };
}

(globalThis as unknown as { matcherBench: typeof run }).matcherBench = run;
