import { defineConfig } from 'vitest/config';

// The hooks tests commit through installed hook scripts, which keep spare aitools in the user's runtime folder
// (src/hooks/spare.ts). The suite must not start or claim spares there: the tests that exercise spares give each
// hook a runtime folder of their own, and every other hook runs without one.
delete process.env.XDG_RUNTIME_DIR;
// Without a runtime folder, hook template v6 keeps spares in the temporary folder instead: the suite's hooks start
// none there either, unless a test asks for them (and gives them a folder of its own).
process.env.AITOOL_HOOK_SPARE = '0';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests spawn real processes and the built CLI; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Refuses a machine whose installed organisation policy could make the suite stop processes it did not start.
    globalSetup: ['test/setup/no-system-policy.ts', 'test/setup/no-stray-spares.ts'],
  },
});
