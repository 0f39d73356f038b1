import { defineConfig } from 'vitest/config';

// Fast tier only: files under test/e2e run through `npm run test:e2e` with the real Pulumi CLI,
// files under test/pwsh through `npm run test:pwsh` with real PowerShell.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'test/pwsh/**', 'node_modules/**', 'dist/**'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
