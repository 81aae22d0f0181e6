import { Worker } from 'node:worker_threads';
import type { Variant } from '../../wasm/loader/features';
import { MatcherPool } from '../../wasm/loader/pool';

/**
 * A MatcherPool (wasm/loader/pool.ts) whose helpers are worker_threads: `threads` threads in
 * all, this one included. `sharedModule` is the kernel's shared-memory build.
 */
export function createNodePool(
  sharedModule: WebAssembly.Module,
  variant: Variant,
  gallery: Int8Array,
  threads: number,
): Promise<MatcherPool> {
  return MatcherPool.create(sharedModule, variant, gallery, threads, (init) => {
    const w = new Worker(new URL('./pool-worker.mjs', import.meta.url), { workerData: init });
    w.on('error', (e) => console.error(`matcher helper ${init.slot}:`, e));
    return { terminate: () => void w.terminate() };
  });
}
