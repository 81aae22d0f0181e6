import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Browser mode serves the same renderer; `--mode demo` keeps the emulator panel in the build.
export default defineConfig({
  root: resolve(import.meta.dirname),
  base: '/',
  plugins: [react()],
  // ES module workers: the matcher worker starts its pool's helper workers itself.
  worker: { format: 'es' },
  build: {
    outDir: resolve(import.meta.dirname, '../out/browser'),
    emptyOutDir: true,
  },
});
