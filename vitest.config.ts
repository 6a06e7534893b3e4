import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// The hooks tests commit through installed hook scripts, which keep spare aitools in the user's runtime folder
// (src/hooks/spare.ts). The suite must not start or claim spares there: the tests that exercise spares give each
// hook a runtime folder of their own, and every other hook runs without one.
delete process.env.XDG_RUNTIME_DIR;
// Without a runtime folder, hook template v6 keeps spares in the temporary folder instead: the suite's hooks start
// none there either, unless a test asks for them (and gives them a folder of its own).
process.env.AITOOL_HOOK_SPARE = '0';
// This run's list of the temporary folders tests make (test/helpers/temp.ts, noteTempDir): test/setup/no-stray-temp.ts
// fails the run on any that is left when it ends. Made here, before the workers start, so they all inherit it.
process.env.AITOOL_TEST_TEMP = join(tmpdir(), `aitool-test-run-${randomBytes(6).toString('hex')}.list`);
closeSync(openSync(process.env.AITOOL_TEST_TEMP, 'wx', 0o600));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests spawn real processes and the built CLI; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Refuses a machine whose installed organisation policy could make the suite stop processes it did not start.
    globalSetup: ['test/setup/no-system-policy.ts', 'test/setup/no-stray-spares.ts', 'test/setup/no-stray-temp.ts'],
    // Each test file removes the temporary folders the helpers made for it.
    setupFiles: ['test/setup/remove-temp-dirs.ts'],
  },
});
