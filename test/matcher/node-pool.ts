import { Worker } from 'node:worker_threads';
import type { Variant } from '../../wasm/loader/features';
import { KernelRunner, memoryFor } from '../../wasm/loader/kernel';
import { DIMS, layoutFor } from '../../wasm/loader/layout';
import type { Layout } from '../../wasm/loader/layout';
import { mergeTopK } from '../../wasm/loader/merge';
import type { MatchHit } from '../../wasm/loader/merge';

/**
 * Several worker_threads over one shared wasm memory, each scanning a contiguous slice of the
 * gallery; the top-k lists merge with the kernels' tie rule, so results equal one worker's.
 */
export class NodePool {
  private constructor(
    private readonly workers: Worker[],
    readonly layout: Layout,
  ) {}

  static async create(
    sharedModule: WebAssembly.Module,
    variant: Variant,
    gallery: Int8Array,
    threads: number,
  ): Promise<NodePool> {
    const n = gallery.length / DIMS;
    const layout = layoutFor(n, threads);
    const memory = memoryFor(layout, true);
    const main = await KernelRunner.create(sharedModule, variant, memory, layout);
    main.writeRows(gallery, 0);
    main.buildCodes(0, n);
    const workers = await Promise.all(
      Array.from({ length: threads }, (_, slot) => {
        const w = new Worker(new URL('./pool-worker.mjs', import.meta.url), {
          workerData: { module: sharedModule, memory, layout, variant, slot },
        });
        return new Promise<Worker>((resolve, reject) => {
          w.once('message', () => resolve(w));
          w.once('error', reject);
        });
      }),
    );
    return new NodePool(workers, layout);
  }

  async search(probe: Int8Array, k: number, candidates = 0): Promise<MatchHit[]> {
    const n = this.layout.n;
    const per = Math.ceil(n / this.workers.length);
    const lists = await Promise.all(
      this.workers.map((w, i) => {
        const start = Math.min(n, i * per);
        const end = Math.min(n, start + per);
        // Each slice keeps its share of the candidates, so the union covers the global cut.
        const c = candidates ? Math.ceil(candidates / this.workers.length) : 0;
        return new Promise<MatchHit[]>((resolve) => {
          w.once('message', resolve);
          w.postMessage({ probe, start, end, k, candidates: c });
        });
      }),
    );
    return mergeTopK(lists, k);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
