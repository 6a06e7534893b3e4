import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests spawn real processes and the built CLI; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Refuses a machine whose installed organisation policy could make the suite stop processes it did not start.
    globalSetup: ['test/setup/no-system-policy.ts'],
  },
});
