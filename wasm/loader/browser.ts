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

/**
 * Fetches and compiles a kernel build in a browser or worker. The builds are ~1.5 KB, so Vite
 * inlines them as `data:` URLs; those are decoded here rather than fetched, because the app's
 * CSP (`connect-src 'self'`) refuses a fetch of a `data:` URL.
 */
export const browserKernelSource: KernelSource = async (variant: Variant, shared: boolean) => {
  const url = URLS[shared ? `${variant}.shared` : variant]!;
  if (url.protocol === 'data:') return WebAssembly.compile(decodeDataUrl(url.href));
  return WebAssembly.compileStreaming(fetch(url));
};

function decodeDataUrl(href: string): Uint8Array<ArrayBuffer> {
  const comma = href.indexOf(',');
  if (!href.slice(0, comma).endsWith(';base64')) throw new Error('expected a base64 data URL');
  const text = atob(href.slice(comma + 1));
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}
