/**
 * Without a runtime folder, hook template v6 keeps spare aitools in the
 * temporary folder (`aitool-<uid>-<key>`, src/hooks/spare.ts), and one lives
 * up to half an hour. The suite's commits must start none there: every test
 * environment sets AITOOL_HOOK_SPARE=0, and test/hooks/spare.test.ts gives
 * its spares folders of its own. A test environment that forgets it fails the
 * run here, naming the folder it left.
 */
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

export default function noStraySpares(): () => void {
  const before = sparesFolders();
  return () => {
    const made = [...sparesFolders()].filter((folder) => !before.has(folder));
    if (made.length > 0) {
      // vitest reports an error thrown here but still exits 0: the exit code is set as well.
      process.exitCode = 1;
      throw new Error(`the suite left spare aitools' folders in the temporary folder: ${made.join(', ')}; a test's environment lacks AITOOL_HOOK_SPARE=0`);
    }
  };
}
