import { calibrate } from './calibrate';
import { chooseFrom, detectSupport, UnsupportedVariantError } from './features';
import type { RuntimeSupport, Variant, VariantChoice, VariantRequest } from './features';
import { Matcher } from './kernel';
import type { KernelSource } from './kernel';
import { DIMS } from './layout';

export interface KernelChoice extends VariantChoice {
  readonly module: WebAssembly.Module;
  /** Whether `module` imports shared memory (for several workers over one gallery). */
  readonly shared: boolean;
}

/** A small adversarial gallery and probe, and their scores computed in plain JavaScript. */
function selfTestCase(): { gallery: Int8Array; probe: Int8Array; expected: number[] } {
  const rows = 9; // not a multiple of the 4-row block, so both code paths run
  const gallery = new Int8Array(rows * DIMS);
  let seed = 12345;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % 255) - 127;
  for (let d = 0; d < DIMS; d++) {
    gallery[d] = 127;
    gallery[DIMS + d] = -127;
    gallery[3 * DIMS + d] = d % 2 ? -127 : 127;
    for (let r = 4; r < rows; r++) gallery[r * DIMS + d] = rnd();
  }
  const probe = new Int8Array(DIMS);
  for (let d = 0; d < DIMS; d++) probe[d] = d % 3 === 0 ? -127 : rnd();
  const expected: number[] = [];
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let d = 0; d < DIMS; d++) s += gallery[r * DIMS + d]! * probe[d]!;
    expected.push(s);
  }
  return { gallery, probe, expected };
}

/**
 * Runs a build on the self-test case. Feature detection only says an instruction validates; it
 * does not say the engine computes it right. Node 20's flag-gated relaxed SIMD (V8 11.3) returns
 * twice the dot product and drops the accumulator of i32x4.relaxed_dot_i8x16_i7x16_add_s, so
 * every build is checked against plain JavaScript before it is trusted.
 */
export async function selfTest(
  module: WebAssembly.Module,
  variant: Variant,
): Promise<string | null> {
  const { gallery, probe, expected } = selfTestCase();
  const matcher = await Matcher.create(module, variant, gallery);
  const hits = matcher.search(probe, expected.length);
  for (const h of hits) {
    if (expected[h.index] !== h.score) {
      return `${variant} build scored row ${h.index} as ${h.score}, expected ${expected[h.index]}`;
    }
  }
  return hits.length === expected.length ? null : `${variant} build returned ${hits.length} rows`;
}

/**
 * Picks, compiles and self-tests the kernel: the requested build, or with `auto` the fastest one
 * the runtime supports and computes correctly. `shared` asks for the shared-memory build (for a
 * worker pool). The choice's `report` says what was picked and why.
 */
export async function selectKernel(
  source: KernelSource,
  request: VariantRequest,
  options: { shared?: boolean } = {},
): Promise<KernelChoice> {
  const detected = await detectSupport();
  const shared = options.shared ?? false;
  if (shared && !detected.sharedMemory) {
    throw new Error('shared wasm memory is unavailable (needs cross-origin isolation)');
  }
  const candidates =
    request === 'auto' ? detected.variants : detected.variants.filter((v) => v === request);
  if (candidates.length === 0) throw new UnsupportedVariantError(request as Variant, detected);
  const failures: string[] = [];
  for (const variant of candidates) {
    // The self-test runs on the plain build; the shared build is the same code.
    const module = await source(variant, false);
    const failure = await selfTest(module, variant);
    if (failure) {
      failures.push(failure);
      continue;
    }
    const verified: RuntimeSupport = {
      ...detected,
      variants: detected.variants.filter((v) => !failures.some((f) => f.startsWith(`${v} `))),
    };
    const note = failures.length ? `; failed self-test: ${failures.join('; ')}` : '';
    if (request === 'auto' && variant === 'relaxed' && candidates.includes('simd')) {
      const picked = await calibrateRelaxed(source, module, verified, failures);
      if (picked) return { ...picked, module: await source(picked.variant, shared), shared };
    }
    const choice = chooseFrom(request, verified, note);
    return { ...choice, module: await source(variant, shared), shared };
  }
  const support = {
    ...detected,
    variants: detected.variants.filter((v) => !candidates.includes(v)),
  };
  const err = new UnsupportedVariantError(request as Variant, support);
  err.message += ` (self-test: ${failures.join('; ')})`;
  throw err;
}

/**
 * With `auto` and both SIMD builds verified, relaxed is not assumed faster: a quick in-process
 * calibration (./calibrate.ts) picks. Returns null when the simd build fails its self-test.
 */
async function calibrateRelaxed(
  source: KernelSource,
  relaxed: WebAssembly.Module,
  support: RuntimeSupport,
  failures: string[],
): Promise<VariantChoice | null> {
  const simd = await source('simd', false);
  const failure = await selfTest(simd, 'simd');
  if (failure) {
    failures.push(failure);
    return null;
  }
  const c = await calibrate([
    ['relaxed', relaxed],
    ['simd', simd],
  ]);
  const ms = (v: Variant) => `${v} ${c.medianMs[v]!.toFixed(3)} ms`;
  const other: Variant = c.fastest === 'relaxed' ? 'simd' : 'relaxed';
  const note = failures.length ? `; failed self-test: ${failures.join('; ')}` : '';
  return {
    variant: c.fastest,
    support,
    report: `matcher: ${c.fastest} (auto; calibrated ${ms(c.fastest)} vs ${ms(other)} per search${note})`,
  };
}
