// A shell whose working folder was deleted (a test's temp folder, a branch
// switch that removed it) starts aitool there: one line and exit 2, not
// Node's stack; `--version` needs no folder and still answers.
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, makeWorld, type World } from './run-cli.js';

let world: World;
afterEach(() => world?.cleanup());

/** aitool started by a shell standing in a folder it has just removed. */
function inDeletedFolder(...args: string[]) {
  world = makeWorld();
  const gone = `${world.root}/gone`;
  const quoted = args.map((arg) => `'${arg}'`).join(' ');
  return spawnSync('sh', ['-c', `mkdir "${gone}" && cd "${gone}" && rmdir "${gone}" && exec "${process.execPath}" "${BIN}" ${quoted}`], {
    env: world.env,
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('a deleted working folder', () => {
  for (const args of [['check'], ['check', '--format', 'json'], ['hook', 'run', 'commit', 'MSG']]) {
    it(`\`${args.join(' ')}\`: one line, exit 2`, () => {
      const result = inDeletedFolder(...args);
      expect(result.status, result.stderr).toBe(2);
      expect(result.stderr).toBe('aitool: the working folder cannot be read (ENOENT): was it deleted?\n');
      expect(result.stdout).toBe('');
    });
  }

  it('`--version` still answers', () => {
    const result = inDeletedFolder('--version');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
