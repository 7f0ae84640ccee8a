import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Date-dependent code never reads the real clock in tests;
    // zone-dependent code must not depend on the machine's zone.
    env: { TZ: 'Pacific/Kiritimati' },
    testTimeout: 20_000,
    pool: 'forks',
  },
});
