import { defineConfig } from 'vitest/config';

// The engine tier (`npm run test:e2e`): the real Pulumi CLI against the simulator. Each test runs
// several `pulumi` commands (each a few seconds), so the timeouts are generous, and the files run
// one at a time: two engines at once on a 2-core machine only make both slower.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 15 * 60_000,
    hookTimeout: 15 * 60_000,
    pool: 'forks',
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
