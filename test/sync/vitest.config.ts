import { defineConfig } from 'vitest/config';

/**
 * The sync fault-injection suite (npm run test:sync). Separate from the unit config because it
 * is a cross-process test (a real loopback proxy and the real Fastify app) and takes a minute.
 */
export default defineConfig({
  test: {
    include: ['test/sync/**/*.test.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 60_000,
    // One file at a time: the fault suite already runs four lanes at once on a 2-core machine.
    fileParallelism: false,
  },
});
