/**
 * Without a runtime folder, hook template v6 keeps spare aitools in the
 * temporary folder (`aitool-<uid>-<key>`, src/hooks/spare.ts), and one lives
 * up to half an hour. The suite's commits must start none there: every test
 * environment sets AITOOL_HOOK_SPARE=0, and test/hooks/spare.test.ts gives
 * its spares folders of its own and stops them. A test that forgets either
 * fails the run here, naming the folder it left, or the spare of this
 * checkout's aitool that started during the run and still waits (in a folder
 * of a test's, too).
 */
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/aitool.js', import.meta.url));
const BIN_PATHS = new Set([BIN, realpathSync(BIN)]);

function sparesFolders(): Set<string> {
  const uid = process.getuid?.();
  if (uid === undefined) return new Set();
  const folders = new Set<string>();
  for (const root of new Set([tmpdir(), '/tmp'])) {
    let names: string[];
    try {
      names = readdirSync(root);
    } catch {
      continue;
    }
    for (const name of names) if (name.startsWith(`aitool-${uid}-`)) folders.add(join(root, name));
  }
  return folders;
}

/** Spares of this checkout's aitool (`<node> <BIN> hook spare <folder> ...`) started at or after `sinceMs`, as `pid folder`. */
function sparesStartedSince(sinceMs: number): string[] {
  let bootMs: number;
  try {
    bootMs = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]) * 1000;
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const at = argv.indexOf('spare');
      if (at < 1 || argv[at - 1] !== 'hook' || !argv.some((arg) => BIN_PATHS.has(arg))) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // starttime, the 22nd field, in clock ticks (100 a second) after boot; the second-granular boot time rounds down.
      const started = bootMs + Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]) * 10;
      if (started >= sinceMs - 1000) found.push(`${entry} ${argv[at + 1] ?? ''}`);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

export default function noStraySpares(): () => void {
  const before = sparesFolders();
  const since = Date.now();
  return () => {
    const made = [...sparesFolders()].filter((folder) => !before.has(folder));
    const waiting = sparesStartedSince(since);
    if (made.length > 0 || waiting.length > 0) {
      // vitest reports an error thrown here but still exits 0: the exit code is set as well.
      process.exitCode = 1;
      const what = [
        made.length > 0 ? `spare aitools' folders in the temporary folder: ${made.join(', ')}` : '',
        waiting.length > 0 ? `spare aitools still waiting (pid, folder): ${waiting.join('; ')}` : '',
      ].filter(Boolean);
      throw new Error(`the suite left ${what.join(', and ')}; a test's environment lacks AITOOL_HOOK_SPARE=0, or a test did not stop its spares`);
    }
  };
}
