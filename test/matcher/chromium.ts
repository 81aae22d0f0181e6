/**
 * Runs test/matcher/chromium-page.ts in Chromium (playwright, executablePath /usr/bin/chromium or
 * $CHROMIUM_PATH) for the matcher benchmark. A Vite dev server serves the page's TypeScript and
 * the kernel builds from this checkout with COOP/COEP headers (cross-origin isolation); it also
 * serves the cached gallery file, while the probes are handed over through request interception.
 */
import { relative } from 'node:path';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import type { PrefilterGuard } from '../../wasm/loader/guard';
import type { PageResult } from './chromium-page';

export async function runInChromium(
  galleryFile: string,
  probes: Int8Array[],
  opts: {
    candidates: number;
    guard: PrefilterGuard;
    scalarMaxN: number;
    variants?: string[];
    threads: number;
  },
): Promise<PageResult & { version: string }> {
  const root = new URL('../../', import.meta.url).pathname;
  const server = await createServer({
    root,
    configFile: false,
    logLevel: 'error',
    server: {
      port: 0,
      host: '127.0.0.1',
      headers: {
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      },
    },
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
    const flat = new Uint8Array(probes.length * 512);
    probes.forEach((p, i) => flat.set(new Uint8Array(p.buffer, p.byteOffset, 512), i * 512));
    const files: Record<string, Uint8Array> = { '/__bench/probes.bin': flat };
    await page.route(`${origin}/__bench/**`, (route) => {
      const body = files[new URL(route.request().url()).pathname];
      return body
        ? route.fulfill({
            body: Buffer.from(body.buffer, body.byteOffset, body.byteLength),
            contentType: 'application/octet-stream',
            headers: { 'Cross-Origin-Resource-Policy': 'same-origin' },
          })
        : route.fulfill({ status: 404 });
    });
    await page.route(`${origin}/__bench/index.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        headers: {
          'Cross-Origin-Opener-Policy': 'same-origin',
          'Cross-Origin-Embedder-Policy': 'require-corp',
        },
        body: '<!doctype html><script type="module" src="/test/matcher/chromium-page.ts"></script>',
      }),
    );
    await page.goto(`${origin}/__bench/index.html`);
    await page.waitForFunction(() => 'matcherBench' in globalThis, undefined, { timeout: 60_000 });
    const result = await page.evaluate(
      (o) =>
        (
          globalThis as unknown as { matcherBench: (x: typeof o) => Promise<PageResult> }
        ).matcherBench(o),
      // The gallery file (up to 512 MB) comes straight from the dev server, not through the route.
      { ...opts, galleryUrl: `/${relative(root, galleryFile)}` },
    );
    return { ...result, version: browser.version() };
  } finally {
    await browser.close();
    await server.close();
  }
}
