import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { ISOLATION_HEADERS } from './common/csp';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(import.meta.dirname, 'electron/main/index.ts'),
          // The embedded store cloud, run by main in a utility process (electron/main/cloud-process.ts).
          // Its dependencies (PGlite, which loads its wasm beside its own module) stay external.
          cloud: resolve(import.meta.dirname, 'cloud/main.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'electron/preload/index.ts') },
        // Sandboxed preloads must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    // ES module workers: the matcher worker starts its pool's helper workers itself.
    worker: { format: 'es' },
    // The dev server sends the built app's cross-origin isolation (app://terminal, protocol.ts),
    // so SharedArrayBuffer and the matcher's thread pool work in `npm start` too.
    server: { headers: { ...ISOLATION_HEADERS } },
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } },
    },
  },
});
