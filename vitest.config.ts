import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      '{common,native,electron,renderer,wasm,cloud,bin}/**/*.test.{ts,tsx}',
      'test/integration/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 20_000,
    // beforeAll hooks start embedded clouds (PGlite, the demo shard): seconds idle, more on a
    // busy 2-core CI runner.
    hookTimeout: 60_000,
  },
});
