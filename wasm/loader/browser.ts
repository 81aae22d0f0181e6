import type { Variant } from './features';
import type { KernelSource } from './kernel';

// Literal URLs so the bundler (Vite) copies each build into the app as an asset.
const URLS: Record<string, URL> = {
  relaxed: new URL('../build/relaxed.wasm', import.meta.url),
  simd: new URL('../build/simd.wasm', import.meta.url),
  scalar: new URL('../build/scalar.wasm', import.meta.url),
  'relaxed.shared': new URL('../build/relaxed.shared.wasm', import.meta.url),
  'simd.shared': new URL('../build/simd.shared.wasm', import.meta.url),
  'scalar.shared': new URL('../build/scalar.shared.wasm', import.meta.url),
};

/** Fetches and compiles a kernel build in a browser or worker. */
export const browserKernelSource: KernelSource = async (variant: Variant, shared: boolean) => {
  const url = URLS[shared ? `${variant}.shared` : variant]!;
  return WebAssembly.compileStreaming(fetch(url));
};
