/**
 * The suite leaves nothing in the temporary folder: every folder a test
 * makes there is noted in this run's list (AITOOL_TEST_TEMP, made by
 * vitest.config.ts; test/helpers/temp.ts, noteTempDir), and one still there
 * when the run ends was left by a test. It is removed here, and the run fails
 * naming it, so the test that left it gets fixed. Folders of other runs (the
 * suite of another checkout at the same time) are on their own lists.
 */
import { lstatSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname } from 'node:path';

export default function noStrayTemp(): () => void {
  const list = process.env.AITOOL_TEST_TEMP;
  if (!list) throw new Error('AITOOL_TEST_TEMP is not set: run the suite through vitest.config.ts');
  return () => {
    const noted = new Set(readFileSync(list, 'utf8').split('\n').filter(Boolean));
    rmSync(list, { force: true });
    // Only what a test helper makes: a folder named aitool-* right in the temporary folder.
    const left = [...noted].filter((dir) => dirname(dir) === tmpdir() && basename(dir).startsWith('aitool-') && lstatSync(dir, { throwIfNoEntry: false }) !== undefined);
    if (left.length === 0) return;
    for (const dir of left) rmSync(dir, { recursive: true, force: true });
    // vitest reports an error thrown here but still exits 0: the exit code is set as well.
    process.exitCode = 1;
    throw new Error(`the suite left ${left.length} folder(s) in the temporary folder (now removed): ${left.sort().join(', ')}`);
  };
}
