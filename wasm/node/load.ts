import { readFile } from 'node:fs/promises';
import type { Variant } from '../loader/features';
import type { KernelSource } from '../loader/kernel';

/** Reads a kernel from wasm/build/ (made by `npm run build:wasm`). */
export const nodeKernelSource: KernelSource = async (variant: Variant, shared: boolean) => {
  const url = new URL(`../build/${variant}${shared ? '.shared' : ''}.wasm`, import.meta.url);
  let bytes: Buffer;
  try {
    bytes = await readFile(url);
  } catch (e) {
    throw new Error(`matcher kernel ${url.pathname} is missing: run \`npm run build:wasm\` first`, {
      cause: e,
    });
  }
  return WebAssembly.compile(new Uint8Array(bytes));
};
