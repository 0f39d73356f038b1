import { defineConfig } from 'vitest/config';

// The real-PowerShell tier (`npm run test:pwsh`): powershell/mailpolicy-host.ps1 under real pwsh
// (7.4+, from PATH or $MAILPOLICY_PWSH), against stand-in Exchange modules generated from
// Microsoft's reference that forward to the simulator. Each host takes ~1.5 s to start on a
// 2-core machine: files run one at a time and tests share hosts where they can.
export default defineConfig({
  test: {
    include: ['test/pwsh/**/*.test.ts'],
    globalSetup: ['test/pwsh/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
