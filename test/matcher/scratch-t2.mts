import v8 from 'node:v8';
v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
import { Matcher } from '../../wasm/loader/kernel';
import { nodeKernelSource } from '../../wasm/node/load';
const n = 1003;
const g = new Int8Array(n * 512);
for (let i = 0; i < g.length; i++) g[i] = Math.floor(Math.random() * 255) - 127;
const p = g.slice(5 * 512, 6 * 512);
const a = (await Matcher.create(await nodeKernelSource('relaxed', false), 'relaxed', g)).search(p, 1003);
const b = (await Matcher.create(await nodeKernelSource('simd', false), 'simd', g)).search(p, 1003);
const ma = new Map(a.map((h) => [h.index, h.score]));
let bad = 0;
for (const h of b) if (ma.get(h.index) !== h.score) { if (bad++ < 10) console.log(h.index, h.score, ma.get(h.index)); }
console.log('bad', bad);
