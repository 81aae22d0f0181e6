import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Browser mode serves the same renderer; `--mode demo` keeps the emulator panel in the build.
export default defineConfig({
  root: resolve(import.meta.dirname),
  base: '/',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, '../out/browser'),
    emptyOutDir: true,
  },
});
