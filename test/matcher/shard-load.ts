/**
 * `npm run bench:shard-load [-- --n 100000 --runs 7 --json]`: how long a stored N-template shard
 * takes from Dexie to ready-to-match in Chromium (p50), with two peers measured in the same run
 * and page: reading the same ciphertext rows from Dexie without decrypting, and AES-GCM
 * decrypting those bytes alone. The page (test/matcher/shard-load-page.ts) is served by a Vite
 * dev server with COOP/COEP, as in the matcher bench; Chromium is /usr/bin/chromium or
 * $CHROMIUM_PATH.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import type { ShardLoadResult } from './shard-load-page';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '7' },
    json: { type: 'boolean', default: false },
  },
});
const n = Number(values.n);
const runs = Number(values.runs);
if (!Number.isInteger(n) || n < 1)
  throw new Error(`--n must be a positive integer, got ${values.n}`);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs must be a positive integer, got ${values.runs}`);

const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

function p50(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

async function main(): Promise<void> {
  const server = await createServer({
    root: new URL('../../', import.meta.url).pathname,
    configFile: false,
    logLevel: 'error',
    server: { port: 0, host: '127.0.0.1', headers: ISOLATION },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('vite did not start');
  const origin = `http://127.0.0.1:${address.port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
    await page.route(`${origin}/__bench/index.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        headers: ISOLATION,
        body: '<!doctype html><script type="module" src="/test/matcher/shard-load-page.ts"></script>',
      }),
    );
    await page.goto(`${origin}/__bench/index.html`);
    await page.waitForFunction(() => 'shardLoadBench' in globalThis, undefined, {
      timeout: 120_000,
    });
    const r = await page.evaluate(
      (o) =>
        (
          globalThis as unknown as { shardLoadBench: (x: typeof o) => Promise<ShardLoadResult> }
        ).shardLoadBench(o),
      { n, runs },
    );
    if (r.templates !== n) throw new Error(`worker reported ${r.templates} templates, not ${n}`);
    const row = {
      runtime: `chromium ${browser.version()}`,
      n,
      variant: r.variant,
      runs,
      chunks: r.chunks,
      ciphertextMB: r.ciphertextBytes / 1e6,
      loadP50Ms: p50(r.loadMs),
      readP50Ms: p50(r.readMs),
      decryptP50Ms: p50(r.decryptMs),
      loadOverRead: p50(r.loadMs) / p50(r.readMs),
      loadOverDecrypt: p50(r.loadMs) / p50(r.decryptMs),
      progressEvents: r.progressEvents,
      phasesMs: r.phasesMs,
      crossOriginIsolated: r.crossOriginIsolated,
    };
    if (values.json) {
      console.log(JSON.stringify(row));
      return;
    }
    const f = (x: number) => x.toFixed(0);
    console.log(
      `${row.runtime}, ${cpus()[0]?.model} x${cpus().length}, crossOriginIsolated=${r.crossOriginIsolated}`,
    );
    console.log(
      `shard: ${n} templates, ${r.chunks} chunks, ${row.ciphertextMB.toFixed(1)} MB ciphertext ` +
        `(built and stored in ${f(r.buildMs)} ms); kernel ${r.variant}; ${r.progressEvents} progress events`,
    );
    console.log(`runs: ${runs}`);
    console.log(
      `Dexie → ready-to-match (worker)  p50 ${f(row.loadP50Ms)} ms  [${r.loadMs.map(f).join(', ')}]`,
    );
    console.log(
      `peer: Dexie read, no decrypt     p50 ${f(row.readP50Ms)} ms  → load/read ${row.loadOverRead.toFixed(2)}×`,
    );
    const phases = Object.entries(r.phasesMs).map(([k, v]) => `${k} ${f(v)}`);
    console.log(`same steps on the page thread (last run, ms): ${phases.join(', ')}`);
    console.log(
      `peer: AES-GCM decrypt only       p50 ${f(row.decryptP50Ms)} ms  → load/decrypt ${row.loadOverDecrypt.toFixed(2)}×`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
