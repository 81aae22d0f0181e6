import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import react from '@vitejs/plugin-react';
import sirv from 'sirv';
import { build } from 'vite';
import { CHROMIUM } from '../../../playwright.config';

/** `npm run bench:store [-- --n 10000,100000]`: the store benchmark in Chromium's IndexedDB. */
const arg = process.argv.indexOf('--n');
const sizes = arg > 0 ? process.argv[arg + 1] : '10000,100000';
const root = resolve(import.meta.dirname);
const outDir = resolve(import.meta.dirname, '../../../out/bench-store');

await build({ root, plugins: [react()], logLevel: 'warn', build: { outDir, emptyOutDir: true } });
const serve = sirv(outDir, { dev: false });
const server = createServer((req, res) => {
  serve(req, res, () => {
    res.writeHead(404).end();
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
const port = (server.address() as AddressInfo).port;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
});
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/?n=${sizes}`);
  await page.waitForFunction(() => (window as unknown as { __bench?: unknown }).__bench, null, {
    timeout: 30 * 60_000,
    polling: 1000,
  });
  const result = (await page.evaluate(
    () => (window as unknown as { __bench: unknown }).__bench,
  )) as {
    ok: boolean;
    error?: string;
    rows: Array<Record<string, number>>;
  };
  if (!result.ok) throw new Error(result.error);
  console.log(
    `bench:store — Chromium ${browser.version()}, ${cpus()[0]?.model} × ${cpus().length}`,
  );
  const f = (x: number) => x.toFixed(2);
  for (const r of result.rows) {
    console.log(
      `N=${r.n}: commit sale+outbox+audit p50 ${f(r.commitP50Ms!)} ms p95 ${f(r.commitP95Ms!)} ms | raw 1-store put p50 ${f(r.peerP50Ms!)} ms (ratio ${(r.commitP50Ms! / r.peerP50Ms!).toFixed(2)}×)` +
        ` | history render p50 ${f(r.historyRenderP50Ms!)} ms p95 ${f(r.historyRenderP95Ms!)} ms, query alone ${f(r.historyQueryP50Ms!)} ms | seed ${r.seedMs} ms`,
    );
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(result.rows));
} finally {
  await browser.close();
  server.close();
}
