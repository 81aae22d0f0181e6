import v8 from 'node:v8';
if (process.env.RELAXED) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
import { selectKernel } from '../../wasm/loader/select';
import { nodeKernelSource } from '../../wasm/node/load';
for (const r of ['auto', 'relaxed', 'simd', 'scalar'] as const) {
  try { const c = await selectKernel(nodeKernelSource, r); console.log(r, '->', c.variant, c.report); } catch (e) { console.log(r, 'ERR', (e as Error).message); }
}
