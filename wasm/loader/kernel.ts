import type { Variant } from './features';
import { DIMS, MAX_K, STAGE_ROWS, layoutFor, slotAt } from './layout';
import type { Layout } from './layout';
import type { MatchHit } from './merge';
import { guardedSearch } from './guard';
import type { PrefilterGuard } from './guard';

/** The functions wasm/assembly/matcher.ts exports (all offsets are byte addresses). */
interface KernelExports {
  variant(): number;
  prepareProbe(probe: number, work: number): void;
  topk(
    gallery: number,
    start: number,
    end: number,
    probe: number,
    work: number,
    k: number,
    out: number,
  ): number;
  buildCodes(gallery: number, start: number, end: number, codes: number): void;
  encodeRows(src: number, gallery: number, start: number, end: number): void;
  signCode(src: number, dst: number): void;
  stream(ptr: number, bytes: number): number;
  prefilterTopk(
    gallery: number,
    codes: number,
    start: number,
    end: number,
    probe: number,
    work: number,
    probeCode: number,
    candidates: number,
    k: number,
    out: number,
    hist: number,
    dist: number,
  ): number;
}

/** Gets the compiled kernel for a variant; Node reads wasm/build/, the browser fetches it. */
export type KernelSource = (variant: Variant, shared: boolean) => Promise<WebAssembly.Module>;

const VARIANT_CODES: Record<Variant, number> = { scalar: 0, simd: 1, relaxed: 2 };

export function memoryFor(layout: Layout, shared: boolean): WebAssembly.Memory {
  // Shared memory must declare the same maximum as the module's import (the whole 4 GiB space,
  // reserved, not committed); plain memory is sized exactly.
  return shared
    ? new WebAssembly.Memory({ initial: layout.pages, maximum: 65536, shared: true })
    : new WebAssembly.Memory({ initial: layout.pages });
}

/** Checks a probe or template: 512 values in -127..127 (-128 would break the relaxed path). */
export function checkTemplate(t: Int8Array, what = 'probe'): void {
  if (t.length !== DIMS) throw new RangeError(`${what} must have ${DIMS} values, got ${t.length}`);
  const bad = t.indexOf(-128);
  if (bad >= 0) throw new RangeError(`${what} value ${bad} is -128: PT1 values lie in -127..127`);
}

/**
 * Checks a whole gallery (row-major N x 512, values -127..127) before it is loaded; returns N.
 */
export function checkGallery(gallery: Int8Array): number {
  const n = gallery.length / DIMS;
  if (!Number.isInteger(n))
    throw new RangeError(`gallery bytes ${gallery.length} are not a multiple of ${DIMS}`);
  const bad = gallery.indexOf(-128);
  if (bad >= 0)
    throw new RangeError(
      `gallery row ${Math.floor(bad / DIMS)} holds -128: PT1 values lie in -127..127`,
    );
  return n;
}

/** One kernel instance over a memory laid out by `layout`; drives one slot per call. */
export class KernelRunner {
  readonly variant: Variant;
  private readonly k: KernelExports;

  private constructor(
    exports: KernelExports,
    variant: Variant,
    readonly memory: WebAssembly.Memory,
    readonly layout: Layout,
  ) {
    this.k = exports;
    this.variant = variant;
  }

  static async create(
    module: WebAssembly.Module,
    variant: Variant,
    memory: WebAssembly.Memory,
    layout: Layout,
  ): Promise<KernelRunner> {
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const exports = instance.exports as unknown as KernelExports;
    if (exports.variant() !== VARIANT_CODES[variant]) {
      throw new Error(`kernel module is not the ${variant} build`);
    }
    return new KernelRunner(exports, variant, memory, layout);
  }

  private bytes(): Uint8Array {
    // Re-read each time: growing a memory replaces its buffer.
    return new Uint8Array(this.memory.buffer);
  }

  /**
   * Stores templates (row-major) in the gallery from row `at`, in the form this build scores
   * (the SIMD build offsets even bytes and interleaves 4-row blocks), through the staging area.
   * Range-checked; values not checked.
   */
  writeRows(rows: Int8Array, at: number): void {
    const count = rows.length / DIMS;
    if (!Number.isInteger(count))
      throw new RangeError(`gallery bytes ${rows.length} are not a multiple of ${DIMS}`);
    if (!Number.isInteger(at) || at < 0 || at + count > this.layout.n)
      throw new RangeError('rows outside the gallery');
    const src = new Uint8Array(rows.buffer, rows.byteOffset, rows.byteLength);
    const bytes = this.bytes();
    for (let i = 0; i < count; i += STAGE_ROWS) {
      const end = Math.min(count, i + STAGE_ROWS);
      bytes.set(src.subarray(i * DIMS, end * DIMS), this.layout.stage);
      this.k.encodeRows(this.layout.stage, this.layout.gallery, at + i, at + end);
    }
  }

  /** Builds the sign codes the prefilter uses, for rows [start, end). */
  buildCodes(start: number, end: number): void {
    this.k.buildCodes(this.layout.gallery, start, end, this.layout.codes);
  }

  /** Reads the whole gallery once (the memory-bandwidth limit benchmarks compare against). */
  streamGallery(): number {
    return this.k.stream(this.layout.gallery, this.layout.n * DIMS);
  }

  /** Places a probe in a slot (and its split and sign code) for the searches that follow. */
  setProbe(slot: number, probe: Int8Array): void {
    checkTemplate(probe);
    const s = slotAt(slot);
    this.bytes().set(new Uint8Array(probe.buffer, probe.byteOffset, DIMS), s.probe);
    this.k.prepareProbe(s.probe, s.work);
    this.k.signCode(s.probe, s.code);
  }

  /**
   * Top-k over rows [start, end) for the slot's probe. With `candidates` > 0 the sign-code
   * prefilter picks at least that many rows for exact scoring; otherwise every row is scored.
   */
  searchRange(slot: number, start: number, end: number, k: number, candidates = 0): MatchHit[] {
    return this.hitsOf(slot, this.scoreRange(slot, start, end, k, candidates));
  }

  /**
   * searchRange without reading the result back: leaves the top-k in the slot's output area and
   * returns how many hits it holds (a pool helper's coordinator reads them, see pool.ts).
   */
  scoreRange(slot: number, start: number, end: number, k: number, candidates = 0): number {
    if (!Number.isInteger(k) || k < 1 || k > MAX_K)
      throw new RangeError(`k must be 1..${MAX_K}, got ${k}`);
    if (start < 0 || end > this.layout.n || start > end)
      throw new RangeError('range outside the gallery');
    const s = slotAt(slot);
    const L = this.layout;
    return candidates > 0 && candidates < end - start
      ? this.k.prefilterTopk(
          L.gallery,
          L.codes,
          start,
          end,
          s.probe,
          s.work,
          s.code,
          candidates,
          k,
          s.out,
          s.hist,
          L.dist + start * 2,
        )
      : this.k.topk(L.gallery, start, end, s.probe, s.work, k, s.out);
  }

  /** The first `count` hits in a slot's output area (left there by scoreRange). */
  hitsOf(slot: number, count: number): MatchHit[] {
    if (!Number.isInteger(count) || count < 0 || count > MAX_K)
      throw new RangeError(`hit count must be 0..${MAX_K}, got ${count}`);
    const view = new Int32Array(this.memory.buffer, slotAt(slot).out, count * 2);
    const hits: MatchHit[] = [];
    for (let i = 0; i < count; i++) hits.push({ score: view[2 * i]!, index: view[2 * i + 1]! });
    return hits;
  }
}

export interface SearchOptions {
  /** Prefilter candidates per search (0 or absent: exact search over every row). */
  readonly candidates?: number;
}

/** A single-threaded matcher: one instance, one gallery, exact or prefiltered top-k. */
export class Matcher {
  private constructor(private readonly runner: KernelRunner) {}

  get variant(): Variant {
    return this.runner.variant;
  }

  get size(): number {
    return this.runner.layout.n;
  }

  /** Loads `gallery` (row-major N x 512 int8, values -127..127) into a fresh memory. */
  static async create(
    module: WebAssembly.Module,
    variant: Variant,
    gallery: Int8Array,
  ): Promise<Matcher> {
    const n = checkGallery(gallery);
    const layout = layoutFor(n, 1);
    const runner = await KernelRunner.create(module, variant, memoryFor(layout, false), layout);
    runner.writeRows(gallery, 0);
    runner.buildCodes(0, n);
    return new Matcher(runner);
  }

  search(probe: Int8Array, k: number, options: SearchOptions = {}): MatchHit[] {
    this.runner.setProbe(0, probe);
    return this.runner.searchRange(0, 0, this.size, k, options.candidates ?? 0);
  }

  /**
   * Pre-filtered search with `candidates` rows re-ranked, falling back to the exact search when
   * the guard says the pre-filtered result might decide differently (see guard.ts). `exact`
   * says which result came back.
   */
  searchGuarded(
    probe: Int8Array,
    k: number,
    candidates: number,
    guard: PrefilterGuard,
  ): { hits: MatchHit[]; exact: boolean } {
    this.runner.setProbe(0, probe);
    return guardedSearch(
      (c) => this.runner.searchRange(0, 0, this.size, k, c),
      k,
      candidates,
      guard,
    );
  }
}
