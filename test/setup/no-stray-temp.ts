/**
 * The suite leaves nothing in the temporary folder: every folder a test
 * makes there is noted in this run's list (AITOOL_TEST_TEMP, made by
 * vitest.config.ts; test/helpers/temp.ts, noteTempDir), and one still there
 * when the run ends was left by a test. It is removed here, and the run fails
 * naming it, so the test that left it gets fixed. Folders of other runs (the
 * suite of another checkout at the same time) are on their own lists.
 *
 * A run that was stopped (Ctrl-C) never gets here: its list stays, and the
 * next run removes what such a list names once it is a day old (no run is
 * still going then), with the list.
 */
import { lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

const STOPPED_RUN_MS = 24 * 60 * 60 * 1000;

/** The folders a list names that are still there: only what a test helper makes, a folder named aitool-* right in the temporary folder. */
function leftBy(list: string): string[] {
  const noted = new Set(readFileSync(list, 'utf8').split('\n').filter(Boolean));
  return [...noted].filter((dir) => dirname(dir) === tmpdir() && basename(dir).startsWith('aitool-') && lstatSync(dir, { throwIfNoEntry: false }) !== undefined);
}

function removeStoppedRuns(current: string): void {
  for (const name of readdirSync(tmpdir())) {
    const list = join(tmpdir(), name);
    if (list === current || !/^aitool-test-run-[0-9a-f]{12}\.list$/.test(name)) continue;
    const info = lstatSync(list, { throwIfNoEntry: false });
    // The suite's own lists only: regular files of this user's, a day old.
    if (!info?.isFile() || info.uid !== process.getuid?.() || Date.now() - info.mtimeMs < STOPPED_RUN_MS) continue;
    for (const dir of leftBy(list)) rmSync(dir, { recursive: true, force: true });
    rmSync(list, { force: true });
  }
}

export default function noStrayTemp(): () => void {
  const list = process.env.AITOOL_TEST_TEMP;
  if (!list) throw new Error('AITOOL_TEST_TEMP is not set: run the suite through vitest.config.ts');
  removeStoppedRuns(list);
  return () => {
    const left = leftBy(list);
    rmSync(list, { force: true });
    if (left.length === 0) return;
    for (const dir of left) rmSync(dir, { recursive: true, force: true });
    // vitest reports an error thrown here but still exits 0: the exit code is set as well.
    process.exitCode = 1;
    throw new Error(`the suite left ${left.length} folder(s) in the temporary folder (now removed): ${left.sort().join(', ')}`);
  };
}
