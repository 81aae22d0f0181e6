import v8 from 'node:v8';
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
import { detectSupport } from '../../wasm/loader/features';
import { Matcher } from '../../wasm/loader/kernel';
import { nodeKernelSource } from '../../wasm/node/load';
const s = await detectSupport();
console.log(s);
const n = 1003;
const g = new Int8Array(n * 512);
for (let i = 0; i < g.length; i++) g[i] = Math.floor(Math.random() * 255) - 127;
const p = g.slice(5 * 512, 6 * 512);
for (const v of ['relaxed', 'simd', 'scalar'] as const) {
  const m = await Matcher.create(await nodeKernelSource(v, false), v, g);
  console.log(v, JSON.stringify(m.search(p, 3)), JSON.stringify(m.search(p, 3, { candidates: 50 })));
}
let ref = 0; for (let i = 0; i < 512; i++) ref += p[i]! * g[7 * 512 + i]!;
console.log('ref row7', ref);
const m = await Matcher.create(await nodeKernelSource('relaxed', false), 'relaxed', g);
console.log(m.search(p, 1003).find((h) => h.index === 7));
