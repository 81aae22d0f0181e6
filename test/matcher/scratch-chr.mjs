import { chromium } from 'playwright-core';
import fs from 'node:fs';
const b = chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const browser = await b;
const page = await browser.newPage();
const bytes = Array.from(fs.readFileSync('/tmp/rx/t.wasm'));
console.log(await page.evaluate(async (bytes) => {
  const { instance } = await WebAssembly.instantiate(new Uint8Array(bytes));
  const m = new Int8Array(instance.exports.memory.buffer);
  function run2(a, b, c) { m.set(a, 0); m.set(b, 16); new Int32Array(m.buffer, 32, 4).fill(c); instance.exports.e(0, 16, 32); return Array.from(new Int32Array(m.buffer, 32, 4)); }
  return [run2([-100,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0], [100,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0], 1000), run2([1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16], [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1], 5), run2([-128,-128,-128,-128,5,6,7,8,9,10,11,12,13,14,15,16], [127,127,127,127,1,1,1,1,1,1,1,1,1,1,1,1], 5)];
}, bytes));
await browser.close();
