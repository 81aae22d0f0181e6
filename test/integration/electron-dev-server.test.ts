import path from 'node:path';
import { createServer, type InlineConfig, type ViteDevServer } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS } from '../../common/csp';
import electronViteConfig from '../../electron.vite.config';

/**
 * `npm start`'s renderer dev server, started from electron.vite.config.ts's own renderer config
 * (Electron itself cannot start here): it must send the built app's cross-origin isolation
 * headers, or the matcher's thread pool (SharedArrayBuffer) is off in development.
 */
let server: ViteDevServer | null = null;
afterAll(async () => {
  await server?.close();
});

describe('the Electron dev server', () => {
  it('sends the same COOP/COEP headers as the built app', async () => {
    const renderer = (electronViteConfig as { renderer: InlineConfig }).renderer;
    server = await createServer({
      ...renderer,
      configFile: false,
      root: path.resolve(import.meta.dirname, '../..', renderer.root ?? '.'),
      logLevel: 'silent',
      server: { ...renderer.server, port: 0, host: '127.0.0.1', strictPort: false, hmr: false },
    });
    await server.listen();
    const base = server.resolvedUrls!.local[0]!;
    for (const p of ['/', '/src/main.tsx']) {
      const res = await fetch(new URL(p, base));
      expect(res.status, p).toBe(200);
      for (const [name, value] of Object.entries(ISOLATION_HEADERS))
        expect(res.headers.get(name), `${p} ${name}`).toBe(value);
    }
  });
});
