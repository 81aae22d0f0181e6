import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      '{common,native,electron,renderer,wasm,cloud,bin}/**/*.test.{ts,tsx}',
      'test/integration/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 20_000,
  },
});
