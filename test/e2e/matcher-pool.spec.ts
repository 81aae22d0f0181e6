import { expect, test } from '@playwright/test';
import { createServer, type ViteDevServer } from 'vite';
import { adversarialCases, referenceTopK } from '../matcher/cases';

/**
 * The matcher pool in a real browser: a dedicated worker (test/matcher/chromium-pool.worker.ts)
 * drives a MatcherPool whose helpers are the app's own pool-helper worker, over shared wasm
 * memory in a cross-origin-isolated page, and must return exactly what a reference scan does.
 * Served by a Vite dev server from this checkout (the app's production build only starts a pool
 * for galleries of 50k rows and more, too big to build in an end-to-end test).
 */
let server: ViteDevServer;
let origin: string;

test.beforeAll(async () => {
  const isolation = {
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
  };
  server = await createServer({
    root: new URL('../../', import.meta.url).pathname,
    configFile: false,
    logLevel: 'error',
    server: { port: 0, host: '127.0.0.1', headers: isolation },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('vite did not start');
  origin = `http://127.0.0.1:${address.port}`;
});

test.afterAll(() => server?.close());

test('a two-thread pool in Chromium returns the reference top-2, ties to the lower index', async ({
  page,
}) => {
  await page.route(`${origin}/__pool/index.html`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      headers: {
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      },
      body: '<!doctype html><title>pool</title>',
    }),
  );
  await page.goto(`${origin}/__pool/index.html`);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  for (const c of adversarialCases().filter((x) => x.gallery.length >= 2 * 512)) {
    const runs = await page.evaluate(
      async ({ gallery, probes }) => {
        const w = new Worker('/test/matcher/chromium-pool.worker.ts', { type: 'module' });
        try {
          return await new Promise<
            { name: string; results: { index: number; score: number }[][] }[]
          >((resolve, reject) => {
            w.onmessage = (e) =>
              e.data.runs ? resolve(e.data.runs) : reject(new Error(e.data.error));
            w.onerror = (e) => reject(new Error(e.message));
            w.postMessage({
              gallery: new Int8Array(gallery),
              probes: probes.map((p) => new Int8Array(p)),
              variant: 'simd',
              threads: 2,
              candidates: 4,
              guard: { stepUp: 0, accept: 0, margin: 0, slack: 1e9 },
            });
          });
        } finally {
          w.terminate();
        }
      },
      { gallery: [...c.gallery], probes: c.probes.map((p) => [...p]) },
    );
    const expected = c.probes.map((p) => referenceTopK(c.gallery, p, 2));
    const exact = runs.find((r) => r.name === 'simd x2 threads')!;
    const guarded = runs.find((r) => r.name === 'simd+prefilter4+guard x2 threads')!;
    expect(exact.results, c.name).toEqual(expected);
    // With an unbounded slack the guard never trusts the pre-filter: exact again.
    expect(guarded.results, c.name).toEqual(expected);
  }
});
