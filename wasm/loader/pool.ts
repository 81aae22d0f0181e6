import type { Variant } from './features';
import { guardedSearch } from './guard';
import type { PrefilterGuard } from './guard';
import { KernelRunner, checkGallery, memoryFor } from './kernel';
import { MAX_K, layoutFor } from './layout';
import type { Layout } from './layout';
import { mergeTopK } from './merge';
import type { MatchHit } from './merge';

/**
 * Several threads over one gallery in a shared wasm memory: the coordinating thread scans the
 * first slice itself while each helper scans its own, then the per-slice top-k lists merge with
 * the kernels' tie rule, so an exact search returns exactly what one thread would.
 *
 * Jobs go through a few Int32 words per helper in a SharedArrayBuffer with Atomics.wait/notify,
 * not postMessage: a message round trip costs a task turn on each side (0.1–1 ms under load),
 * as much as the whole search at N = 100k. The search is therefore synchronous, and the
 * coordinator must be a thread allowed to block: Node's main thread or a worker, never a
 * browser page's main thread. The runtime only supplies `spawn` (worker_threads or Web Workers).
 */

/** Control words per helper. */
const GEN = 0; // job generation, bumped by the coordinator; -1 stops the helper
const START = 1;
const END = 2;
const K = 3;
const CANDIDATES = 4;
const DONE = 5; // generation of the last finished job, set by the helper
const COUNT = 6; // hits the helper left in its slot, or -1 when the job threw
const READY = 7; // 1 once the helper's kernel instance exists
const WORDS = 8;

/** A helper that has not answered in this long is treated as dead (the search throws). */
const HELPER_TIMEOUT_MS = 5000;

/** What a helper thread needs; structured-cloneable, so it can be posted to a worker. */
export interface PoolHelperInit {
  readonly module: WebAssembly.Module;
  readonly variant: Variant;
  readonly memory: WebAssembly.Memory;
  readonly layout: Layout;
  readonly control: SharedArrayBuffer;
  /** This helper's slot in the layout (1..threads-1; the coordinator uses slot 0). */
  readonly slot: number;
}

/** Starts a helper thread running `runPoolHelper(init)`; returns a way to end it. */
export type SpawnHelper = (init: PoolHelperInit) => { terminate(): void };

function words(control: SharedArrayBuffer, slot: number): Int32Array {
  return new Int32Array(control, (slot - 1) * WORDS * 4, WORDS);
}

/**
 * A helper's whole life: make a kernel instance over the shared memory, then wait for jobs and
 * run them until told to stop. Blocks its thread between jobs (Atomics.wait), by design.
 */
export async function runPoolHelper(init: PoolHelperInit): Promise<void> {
  const runner = await KernelRunner.create(init.module, init.variant, init.memory, init.layout);
  const c = words(init.control, init.slot);
  Atomics.store(c, READY, 1);
  Atomics.notify(c, READY);
  let seen = 0;
  for (;;) {
    Atomics.wait(c, GEN, seen);
    const gen = Atomics.load(c, GEN);
    if (gen === -1) return;
    if (gen === seen) continue;
    seen = gen;
    let count: number;
    try {
      count = runner.scoreRange(
        init.slot,
        Atomics.load(c, START),
        Atomics.load(c, END),
        Atomics.load(c, K),
        Atomics.load(c, CANDIDATES),
      );
    } catch {
      count = -1; // the coordinator checked the job's arguments; this is a kernel fault
    }
    Atomics.store(c, COUNT, count);
    Atomics.store(c, DONE, gen);
    Atomics.notify(c, DONE);
  }
}

export class MatcherPool {
  private gen = 0;
  private closed = false;

  private constructor(
    private readonly runner: KernelRunner,
    private readonly control: SharedArrayBuffer,
    private readonly helpers: { terminate(): void }[],
  ) {}

  get size(): number {
    return this.runner.layout.n;
  }

  get threads(): number {
    return this.helpers.length + 1;
  }

  get variant(): Variant {
    return this.runner.variant;
  }

  /**
   * Loads `gallery` (row-major N x 512 int8, values -127..127) into a shared memory and starts
   * threads − 1 helpers. `sharedModule` is the kernel's shared-memory build (selectKernel with
   * `shared: true`).
   */
  static async create(
    sharedModule: WebAssembly.Module,
    variant: Variant,
    gallery: Int8Array,
    threads: number,
    spawn: SpawnHelper,
  ): Promise<MatcherPool> {
    if (!Number.isInteger(threads) || threads < 1 || threads > 64)
      throw new RangeError(`threads must be 1..64, got ${threads}`);
    const n = checkGallery(gallery);
    const layout = layoutFor(n, threads);
    const memory = memoryFor(layout, true);
    const runner = await KernelRunner.create(sharedModule, variant, memory, layout);
    runner.writeRows(gallery, 0);
    runner.buildCodes(0, n);
    const control = new SharedArrayBuffer(Math.max(1, threads - 1) * WORDS * 4);
    const helpers: { terminate(): void }[] = [];
    const pool = new MatcherPool(runner, control, helpers);
    try {
      for (let slot = 1; slot < threads; slot++)
        helpers.push(spawn({ module: sharedModule, variant, memory, layout, control, slot }));
      // Waiting for READY here must not block: a browser worker needs its event loop free to
      // start the helpers it just created. Poll with short sleeps instead.
      const deadline = Date.now() + HELPER_TIMEOUT_MS * 4;
      for (let slot = 1; slot < threads; slot++) {
        while (Atomics.load(words(control, slot), READY) !== 1) {
          if (Date.now() > deadline) throw new Error(`matcher helper ${slot} did not start`);
          await new Promise((r) => setTimeout(r, 5));
        }
      }
    } catch (e) {
      pool.close();
      throw e;
    }
    return pool;
  }

  /** Top-k of every row (candidates = 0) or of the pre-filter's picks, across all threads. */
  search(probe: Int8Array, k: number, candidates = 0): MatchHit[] {
    if (this.closed) throw new Error('the matcher pool is closed');
    // Checked here, since a helper can only report that its job failed, not why.
    if (!Number.isInteger(k) || k < 1 || k > MAX_K)
      throw new RangeError(`k must be 1..${MAX_K}, got ${k}`);
    if (!Number.isInteger(candidates) || candidates < 0)
      throw new RangeError(`candidates must be a whole number >= 0, got ${candidates}`);
    const n = this.size;
    const t = this.threads;
    const per = Math.ceil(n / t);
    // Each slice keeps its share of the candidates, so the union covers the global cut.
    const share = candidates ? Math.ceil(candidates / t) : 0;
    // setProbe checks the probe; every slot has it before any helper is told to start.
    for (let slot = 0; slot < t; slot++) this.runner.setProbe(slot, probe);
    const gen = ++this.gen;
    for (let slot = 1; slot < t; slot++) {
      const c = words(this.control, slot);
      Atomics.store(c, START, Math.min(n, slot * per));
      Atomics.store(c, END, Math.min(n, (slot + 1) * per));
      Atomics.store(c, K, k);
      Atomics.store(c, CANDIDATES, share);
      Atomics.store(c, GEN, gen);
      Atomics.notify(c, GEN);
    }
    const lists = [this.runner.searchRange(0, 0, Math.min(n, per), k, share)];
    for (let slot = 1; slot < t; slot++) lists.push(this.collect(slot, gen));
    return mergeTopK(lists, k);
  }

  /** search() with the pre-filter, falling back to exact when the guard says so (guard.ts). */
  searchGuarded(
    probe: Int8Array,
    k: number,
    candidates: number,
    guard: PrefilterGuard,
  ): { hits: MatchHit[]; exact: boolean } {
    return guardedSearch((c) => this.search(probe, k, c), k, candidates, guard);
  }

  private collect(slot: number, gen: number): MatchHit[] {
    const c = words(this.control, slot);
    const deadline = performance.now() + HELPER_TIMEOUT_MS;
    for (;;) {
      const done = Atomics.load(c, DONE);
      if (done === gen) break;
      if (performance.now() > deadline) {
        this.close();
        throw new Error(`matcher helper ${slot} did not answer within ${HELPER_TIMEOUT_MS} ms`);
      }
      Atomics.wait(c, DONE, done, 50);
    }
    const count = Atomics.load(c, COUNT);
    if (count < 0) throw new Error(`matcher helper ${slot} failed its search`);
    return this.runner.hitsOf(slot, count);
  }

  /** Stops the helpers; the pool cannot search afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (let slot = 1; slot <= this.helpers.length; slot++) {
      const c = words(this.control, slot);
      Atomics.store(c, GEN, -1);
      Atomics.notify(c, GEN);
    }
    for (const h of this.helpers) h.terminate();
  }
}
