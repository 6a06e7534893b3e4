// Working folders aitool must start in without falling over before its
// pipeline runs: one deleted under the shell that started it (a test's temp
// folder, a branch switch that removed it): one line and exit 2, not Node's
// stack, and `--version` still answers; and a repository whose `.git` is a
// symlink loop (the loader guesses from `.git` whether git will run): the
// check runs and says what it could not read.
import { spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, json, makeWorld, runCli, type World } from './run-cli.js';

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

describe('a `.git` that is a symlink loop', () => {
  it('the check runs: the repository scanner is skipped with the reason, the others report', async () => {
    world = makeWorld();
    symlinkSync('.git', join(world.cwd, '.git'));
    world.write('home/.claude/settings.json', '{}\n');
    const result = await runCli(['check', '--format', 'json'], world);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const report = json(result) as { skipped: Array<{ scanner: string; reason: string }>; findings: Array<{ tool: string }> };
    expect(report.skipped).toEqual([{ scanner: 'repo', reason: expect.stringContaining('ELOOP') }]);
    expect(report.findings.map((finding) => finding.tool)).toContain('claude-code');
  });
});
