/**
 * Where everything lives in the matcher's linear memory. The JavaScript side owns the layout;
 * the kernels only receive offsets. One 64 KiB slot per worker holds that worker's probe and
 * outputs, so several instances over one shared memory never write the same bytes. Templates are
 * loaded through a one-page staging area: the kernel's encodeRows moves them into the gallery in
 * the form its build scores (the SIMD build interleaves blocks of 4 rows).
 */
export const DIMS = 512;
export const CODE_BYTES = 64;
export const PAGE = 65536;
/** Rows per gallery block in the SIMD build's layout; the gallery area holds whole blocks. */
export const BLOCK_ROWS = 4;
/** Templates the staging area holds (one page). */
export const STAGE_ROWS = PAGE / DIMS;
/** Largest k a slot's output area holds (8 bytes per hit). */
export const MAX_K = 1024;

const SLOT_PROBE = 0;
const SLOT_WORK = 1024; // WORK_BYTES = 1040: the probe prepared for the kernel (matcher.ts)
const SLOT_CODE = 3072; // 64 bytes
const SLOT_HIST = 4096; // 2052 bytes
const SLOT_OUT = 8192; // MAX_K * 8 bytes

export interface Slot {
  readonly probe: number;
  readonly work: number;
  readonly code: number;
  readonly hist: number;
  readonly out: number;
}

export interface Layout {
  readonly n: number;
  readonly slots: number;
  /** STAGE_ROWS templates, row-major, on their way into the gallery (KernelRunner.writeRows). */
  readonly stage: number;
  readonly gallery: number;
  readonly codes: number;
  /** u16 Hamming distance per row, indexed by global row. */
  readonly dist: number;
  readonly bytes: number;
  readonly pages: number;
}

export function slotAt(i: number): Slot {
  const base = PAGE * (1 + i);
  return {
    probe: base + SLOT_PROBE,
    work: base + SLOT_WORK,
    code: base + SLOT_CODE,
    hist: base + SLOT_HIST,
    out: base + SLOT_OUT,
  };
}

export function layoutFor(n: number, slots: number): Layout {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`gallery size must be a whole number, got ${n}`);
  if (!Number.isInteger(slots) || slots < 1)
    throw new RangeError(`slots must be >= 1, got ${slots}`);
  const stage = PAGE * (1 + slots);
  const gallery = stage + PAGE;
  const codes = gallery + Math.ceil(n / BLOCK_ROWS) * BLOCK_ROWS * DIMS;
  const dist = codes + n * CODE_BYTES;
  const bytes = dist + n * 2;
  const pages = Math.ceil(bytes / PAGE);
  if (pages > 65536) throw new RangeError(`a gallery of ${n} templates does not fit in 4 GiB`);
  return { n, slots, stage, gallery, codes, dist, bytes, pages };
}
