import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { BUILD_MODE_META } from '../common/build-mode';

/**
 * Browser mode serves the same renderer. `--mode demo` keeps the emulator panel (out/browser);
 * `--mode production` leaves it out (out/browser-production, what a production host serves).
 */
export default defineConfig(({ mode }) => ({
  root: resolve(import.meta.dirname),
  base: '/',
  plugins: [
    react(),
    {
      // The mode, in the page, for the host to check (native/browser-host/build-mode.ts).
      name: 'palm-build-mode',
      transformIndexHtml: () => [
        { tag: 'meta', attrs: { name: BUILD_MODE_META, content: mode }, injectTo: 'head' },
      ],
    },
  ],
  // ES module workers: the matcher worker starts its pool's helper workers itself.
  worker: { format: 'es' },
  build: {
    outDir: resolve(
      import.meta.dirname,
      mode === 'production' ? '../out/browser-production' : '../out/browser',
    ),
    emptyOutDir: true,
  },
}));
