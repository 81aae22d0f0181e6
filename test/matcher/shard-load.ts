/**
 * `npm run bench:shard-load [-- --n 100000]… [--runs 7] [--layout binary --layout json] [--json]`:
 * how long a stored N-template shard takes from Dexie to ready-to-match in Chromium (p50), and the
 * memory of the page's workers once ready, for each chunk layout in the same run (binary PSC2,
 * the app's; json PSC1, the old one), with two peers measured in the same run and page: reading
 * the same ciphertext rows from Dexie without decrypting, and AES-GCM decrypting those bytes alone.
 * `--json` prints one row per size and layout: {n, layout, p50Ms, workerMB, …}. The page (test/matcher/shard-load-page.ts) is a production Vite
 * build served with the app's CSP and COOP/COEP; Chromium is /usr/bin/chromium or $CHROMIUM_PATH.
 */
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { cpus } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import type { Browser, Page } from '@playwright/test';
import { build } from 'vite';
import { contentSecurityPolicy, ISOLATION_HEADERS } from '../../common/csp';
import type { ShardLoadResult } from './shard-load-page';

const { values } = parseArgs({
  options: {
    n: { type: 'string', multiple: true },
    runs: { type: 'string', default: '7' },
    layout: { type: 'string', multiple: true },
    json: { type: 'boolean', default: false },
  },
});
const sizes = (values.n ?? ['100000']).map(Number);
const runs = Number(values.runs);
const layouts = (values.layout ?? ['json', 'binary']) as ('binary' | 'json')[];
for (const n of sizes)
  if (!Number.isInteger(n) || n < 1) throw new Error(`--n must be a positive integer, got ${n}`);
for (const l of layouts)
  if (l !== 'binary' && l !== 'json') throw new Error(`--layout must be binary or json, got ${l}`);
if (!Number.isInteger(runs) || runs < 1)
  throw new Error(`--runs must be a positive integer, got ${values.runs}`);

function p50(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
};

/**
 * Builds the bench page with Vite in production mode (one bundled worker, as the app ships) and
 * serves it with the app's own headers: the CSP (no eval: zod runs without its JIT, as in the
 * app) and cross-origin isolation.
 */
async function serveBuiltPage(): Promise<{ origin: string; close: () => Promise<void> }> {
  const root = fileURLToPath(new URL('.', import.meta.url));
  const outDir = fileURLToPath(new URL('../artifacts/matcher/shard-load-page/', import.meta.url));
  await build({
    root,
    configFile: false,
    logLevel: 'error',
    base: '/',
    build: { outDir, emptyOutDir: true, rollupOptions: { input: join(root, 'shard-load.html') } },
  });
  const headers = { ...ISOLATION_HEADERS, 'Content-Security-Policy': contentSecurityPolicy() };
  const server = createHttpServer((req, res) => {
    const path = normalize(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    readFile(join(outDir, path || 'shard-load.html')).then(
      (body) => {
        res.writeHead(200, { ...headers, 'Content-Type': MIME[extname(path)] ?? 'text/plain' });
        res.end(body);
      },
      () => {
        res.writeHead(404, headers);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('server did not start');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function main(): Promise<void> {
  const server = await serveBuiltPage();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // Eager: measureUserAgentSpecificMemory answers now instead of at the next GC (up to 20 s).
    args: ['--no-sandbox', '--enable-blink-features=ForceEagerMeasureMemory'],
  });
  try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => process.stderr.write(`page error: ${e.message}\n`));
    page.on('console', (m) => {
      if (m.type() === 'error') process.stderr.write(`page console: ${m.text()}\n`);
    });
    await page.goto(`${server.origin}/shard-load.html`);
    await page.waitForFunction(() => 'shardLoadBench' in globalThis, undefined, {
      timeout: 120_000,
    });
    for (const n of sizes) for (const layout of layouts) await measure(page, browser, n, layout);
  } finally {
    await browser.close();
    await server.close();
  }
}

async function measure(page: Page, browser: Browser, n: number, layout: 'binary' | 'json') {
  const r = await page.evaluate(
    (o) =>
      (
        globalThis as unknown as { shardLoadBench: (x: typeof o) => Promise<ShardLoadResult> }
      ).shardLoadBench(o),
    { n, runs, layout },
  );
  if (r.templates !== n) throw new Error(`worker reported ${r.templates} templates, not ${n}`);
  const mb = r.workerMB.filter((x): x is number => x !== null);
  const row = {
    n,
    layout,
    p50Ms: p50(r.loadMs),
    workerMB: mb.length ? p50(mb) : null,
    runtime: `chromium ${browser.version()}`,
    variant: r.variant,
    report: r.report,
    runs,
    chunks: r.chunks,
    ciphertextMB: r.ciphertextBytes / 1e6,
    loadMs: r.loadMs.map((x) => Math.round(x)),
    readP50Ms: p50(r.readMs),
    decryptP50Ms: p50(r.decryptMs),
    decodeP50Ms: p50(r.decodeMs),
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
    `\n${row.runtime}, ${cpus()[0]?.model} x${cpus().length}, crossOriginIsolated=${r.crossOriginIsolated}`,
  );
  console.log(
    `shard (${layout} layout): ${n} templates, ${r.chunks} chunks, ${row.ciphertextMB.toFixed(1)} MB ciphertext ` +
      `(built and stored in ${f(r.buildMs)} ms); kernel ${r.variant}; ${r.progressEvents} progress events`,
  );
  console.log(`worker: ${r.report}; runs: ${runs}`);
  console.log(
    `Dexie → ready-to-match (worker)  p50 ${f(row.p50Ms)} ms  [${r.loadMs.map(f).join(', ')}]`,
  );
  console.log(`workers' memory once ready      p50 ${row.workerMB?.toFixed(0) ?? 'n/a'} MB`);
  console.log(
    `peer: Dexie read, no decrypt     p50 ${f(row.readP50Ms)} ms  → load/read ${row.loadOverRead.toFixed(2)}×`,
  );
  const phases = Object.entries(r.phasesMs).map(([k, v]) => `${k} ${f(v)}`);
  console.log(`same steps on the page thread (last run, ms): ${phases.join(', ')}`);
  console.log(
    `peer: AES-GCM decrypt only       p50 ${f(row.decryptP50Ms)} ms  → load/decrypt ${row.loadOverDecrypt.toFixed(2)}×`,
  );
  console.log(`peer: decode + check only        p50 ${f(row.decodeP50Ms)} ms`);
}

await main();
