import { relaxedSimd, simd, threads } from 'wasm-feature-detect';

/** The kernel builds, fastest first. */
export const VARIANTS = ['relaxed', 'simd', 'scalar'] as const;
export type Variant = (typeof VARIANTS)[number];
export type VariantRequest = Variant | 'auto';

export interface RuntimeSupport {
  readonly variants: readonly Variant[];
  /** Shared WebAssembly memory (threads + SharedArrayBuffer), needed for several workers. */
  readonly sharedMemory: boolean;
}

export interface VariantChoice {
  readonly variant: Variant;
  readonly support: RuntimeSupport;
  /** One line saying what was picked and why, for logs and the CLI's stderr. */
  readonly report: string;
}

export class UnsupportedVariantError extends Error {
  constructor(
    readonly requested: Variant,
    readonly support: RuntimeSupport,
  ) {
    super(
      `wasm variant "${requested}" is unsupported by this runtime (supported: ${support.variants.join(', ')})` +
        (requested === 'relaxed' ? relaxedHint() : ''),
    );
    this.name = 'UnsupportedVariantError';
  }
}

function relaxedHint(): string {
  // Node 20's V8 (11.3) has relaxed SIMD behind a flag; V8 11.4+ (Node 22, Chromium 114+) ships it.
  return '; relaxed SIMD needs V8 11.4+ (Node 22+, Chromium 114+): Node 20 hides it behind --experimental-wasm-relaxed-simd, and that version miscomputes the dot-add, so the self-test refuses it';
}

let cached: Promise<RuntimeSupport> | undefined;

/** Probes the runtime once with wasm-feature-detect. */
export function detectSupport(): Promise<RuntimeSupport> {
  cached ??= (async () => {
    const [hasRelaxed, hasSimd, hasThreads] = await Promise.all([relaxedSimd(), simd(), threads()]);
    const variants: Variant[] = [];
    if (hasRelaxed && hasSimd) variants.push('relaxed');
    if (hasSimd) variants.push('simd');
    variants.push('scalar');
    return { variants, sharedMemory: hasThreads && typeof SharedArrayBuffer === 'function' };
  })();
  return cached;
}

/**
 * Resolves `auto` to the best supported build; refuses a build the runtime lacks. `support` may
 * be narrowed by the caller (selectKernel drops a build that fails its self-test).
 */
export async function chooseVariant(
  request: VariantRequest,
  support: RuntimeSupport | Promise<RuntimeSupport> = detectSupport(),
): Promise<VariantChoice> {
  return chooseFrom(request, await support, '');
}

export function chooseFrom(
  request: VariantRequest,
  support: RuntimeSupport,
  note: string,
): VariantChoice {
  if (request !== 'auto') {
    if (!support.variants.includes(request)) throw new UnsupportedVariantError(request, support);
    // Caller (selectKernel) has already checked the request; this only builds the report.
    return { variant: request, support, report: `matcher: ${request} (requested${note})` };
  }
  const variant = support.variants[0] ?? 'scalar';
  const missing = VARIANTS.slice(0, VARIANTS.indexOf(variant));
  const why = missing.length
    ? `; ${missing.join(', ')} unavailable${missing.includes('relaxed') && !note ? relaxedHint() : ''}`
    : '';
  return { variant, support, report: `matcher: ${variant} (auto${why}${note})` };
}

export function parseVariant(s: string): VariantRequest {
  if (s === 'auto' || (VARIANTS as readonly string[]).includes(s)) return s as VariantRequest;
  throw new Error(`unknown variant "${s}": expected auto, ${VARIANTS.join(', ')}`);
}
