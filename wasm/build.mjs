// Builds the matcher kernels: three feature levels x {unshared, shared} memory, into wasm/build/.
// Usage: node wasm/build.mjs   (run by `npm run build:wasm`; takes a few seconds)
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(here, 'build');
await mkdir(outDir, { recursive: true });

const FEATURES = {
  relaxed: ['--enable', 'simd,relaxed-simd'],
  simd: ['--enable', 'simd', '--disable', 'relaxed-simd'],
  scalar: ['--disable', 'simd,relaxed-simd'],
};
// Shared memory must declare a maximum: 65536 pages is the whole 4 GiB wasm32 space, reserved
// (not committed) so a 1M-template gallery fits.
const MEMORY = {
  plain: ['--importMemory', '--initialMemory', '1'],
  shared: [
    '--importMemory',
    '--initialMemory',
    '1',
    '--maximumMemory',
    '65536',
    '--sharedMemory',
    '--enable',
    'threads',
  ],
};

for (const [variant, features] of Object.entries(FEATURES)) {
  for (const [memory, memFlags] of Object.entries(MEMORY)) {
    const name = memory === 'shared' ? `${variant}.shared` : variant;
    const { error, stderr } = await asc.main([
      resolve(here, 'assembly/matcher.ts'),
      '--outFile',
      resolve(outDir, `${name}.wasm`),
      '--textFile',
      resolve(outDir, `${name}.wat`),
      '-O3',
      '--noAssert',
      '--runtime',
      'stub',
      '--use',
      'abort=',
      ...features,
      ...memFlags,
    ]);
    if (error) {
      console.error(stderr.toString());
      throw error;
    }
    console.log(`wasm/build/${name}.wasm`);
  }
}
