import type { SpawnHelper } from '../../../wasm/loader/pool';

/**
 * Starts one matcher-pool helper as a module Web Worker (pool-helper.worker.ts) and hands it its
 * slot. Written once here so the bundler sees the worker's URL in one place; the matcher worker
 * and the Chromium benchmark both start their helpers through it.
 */
export const spawnPoolHelper: SpawnHelper = (init) => {
  const w = new Worker(new URL('./pool-helper.worker.ts', import.meta.url), { type: 'module' });
  w.postMessage(init);
  return w;
};
