// aitool hook install / uninstall writing its own hook files: plain repositories,
// chaining an existing hook, core.hooksPath, linked worktrees and submodules,
// and the refusals that leave a hooks folder untouched.
import { lstat, mkdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { currentLauncher, installHooksCommand, uninstallHooksCommand } from '../../src/hooks/command.js';
import { classifyHookText, hookScript } from '../../src/hooks/script.js';
import { BIN, runCli, type World } from '../cli/run-cli.js';
import { removeTempDirs } from '../helpers/temp.js';
import {
  commit,
  fakeAitool,
  GIT_ENV,
  gitOk,
  initRepo,
  makeRepoWorld,
  makeSandbox,
  runs,
  snapshot,
  V2_COMMIT_MSG,
  V4_COMMIT_MSG,
  V5_COMMIT_MSG,
  V6_COMMIT_MSG,
  fixtureWith,
  writeExecutable,
  type RepoWorld,
  type Sandbox,
} from './helpers.js';

let world: World;
let env: Record<string, string>;
let repo: string;
let cli: RepoWorld['cli'];
beforeEach(async () => {
  ({ world, env, repo, cli } = await makeRepoWorld());
});
afterEach(async () => {
  world.cleanup();
  await removeTempDirs();
});
const mode = async (path: string) => (await lstat(path)).mode & 0o777;

describe('aitool hook install in a plain repository', () => {
  it('by default writes commit-msg alone, executable, running `hook run commit` with this node and this bin/aitool.js', async () => {
    const result = await cli(['install']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const path = join(repo, '.git', 'hooks', 'commit-msg');
    expect(result.stdout).toContain(`commit-msg: installed (${path})`);
    const text = await readFile(path, 'utf8');
    expect(text).toBe(hookScript({ hook: 'commit-msg', run: 'commit', node: process.execPath, bin: BIN }));
    expect(text).toContain('  spare_answer "$@"\n  git_answers 2>/dev/null | "$node" "$aitool" hook run commit --git-stdin "$@"\n  status=$?\n  spare_start </dev/null >/dev/null 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &\n  exit $status\n');
    expect(classifyHookText(text)).toEqual({ kind: 'ours', script: { hook: 'commit-msg', run: 'commit', node: process.execPath, bin: BIN } });
    expect(await mode(path)).toBe(0o755);
    for (const hook of ['pre-commit', 'pre-push']) await expect(lstat(join(repo, '.git', 'hooks', hook))).rejects.toThrow();
  });

  it('--pre-commit writes pre-commit, and a commit-msg that checks only the message (nothing runs twice)', async () => {
    const result = await cli(['install', '--pre-commit']);
    expect(result.exitCode, result.stderr).toBe(0);
    for (const hook of ['pre-commit', 'commit-msg'] as const) {
      const path = join(repo, '.git', 'hooks', hook);
      expect(result.stdout).toContain(`${hook}: installed (${path})`);
      expect(await readFile(path, 'utf8')).toBe(hookScript({ hook, node: process.execPath, bin: BIN }));
    }
    // Back to the default: pre-commit goes, commit-msg runs everything; and back again.
    const single = await cli(['install']);
    expect(single.stdout).toContain(`commit-msg: updated`);
    expect(single.stdout).toContain("pre-commit: removed aitool's pre-commit hook");
    await expect(lstat(join(repo, '.git', 'hooks', 'pre-commit'))).rejects.toThrow();
    expect(await readFile(join(repo, '.git', 'hooks', 'commit-msg'), 'utf8')).toContain('hook run commit "$@"');
    expect((await cli(['install', '--pre-commit'])).exitCode).toBe(0);
    expect(await readFile(join(repo, '.git', 'hooks', 'commit-msg'), 'utf8')).toContain('hook run commit-msg "$@"');
  });

  it('upgrade: an install by the previous version (pre-commit + commit-msg, template v1) becomes the one commit-msg hook; the chained hooks stay; uninstall restores the folder as before either install', async () => {
    const hooks = join(repo, '.git', 'hooks');
    await writeExecutable(join(hooks, 'pre-commit'), '#!/bin/sh\n# the team linter\nexit 0\n');
    const before = await snapshot(hooks);
    // Exactly what the previous version wrote: these two scripts, the pre-commit one chaining the team's hook.
    await writeExecutable(join(hooks, 'pre-commit.aitool-chained'), '#!/bin/sh\n# the team linter\nexit 0\n');
    await writeExecutable(join(hooks, 'pre-commit'), hookScript({ hook: 'pre-commit', node: process.execPath, bin: BIN, template: 'v1' }));
    await writeExecutable(join(hooks, 'commit-msg'), hookScript({ hook: 'commit-msg', node: process.execPath, bin: BIN, template: 'v1' }));
    const upgraded = await cli(['install']);
    expect(upgraded.exitCode, upgraded.stderr).toBe(0);
    expect(upgraded.stdout).toContain("pre-commit: removed aitool's pre-commit hook, and put back the hook it chained");
    expect(await readFile(join(hooks, 'pre-commit'), 'utf8')).toBe('#!/bin/sh\n# the team linter\nexit 0\n');
    await expect(lstat(join(hooks, 'pre-commit.aitool-chained'))).rejects.toThrow();
    expect(await readFile(join(hooks, 'commit-msg'), 'utf8')).toBe(hookScript({ hook: 'commit-msg', run: 'commit', node: process.execPath, bin: BIN }));
    // Again: nothing changes.
    const again = await snapshot(hooks);
    expect((await cli(['install'])).stdout).toContain('commit-msg: already installed');
    expect(await snapshot(hooks)).toEqual(again);
    expect((await cli(['uninstall'])).exitCode).toBe(0);
    expect(await snapshot(hooks)).toEqual(before);
  });

  it('a v1 hook (installed before aitool dropped NODE_EXTRA_CA_CERTS) is ours: install upgrades it to the current template in place, uninstall then puts the chained hook back byte for byte', async () => {
    const hooks = join(repo, '.git', 'hooks');
    const team = '#!/bin/sh\n# the team check\nexit 0\n';
    await writeExecutable(join(hooks, 'commit-msg'), team);
    const before = await snapshot(hooks);
    // What a v1 install left: the team's hook set aside, the v1 script (the literal fixture) in its place.
    await writeExecutable(join(hooks, 'commit-msg.aitool-chained'), team);
    await writeExecutable(join(hooks, 'commit-msg'), fixtureWith(process.execPath, BIN));
    expect(classifyHookText(await readFile(join(hooks, 'commit-msg'), 'utf8'))).toEqual({
      kind: 'ours',
      script: { hook: 'commit-msg', run: 'commit', node: process.execPath, bin: BIN, template: 'v1' },
    });

    const upgraded = await cli(['install']);
    expect(upgraded.exitCode, upgraded.stderr).toBe(0);
    expect(upgraded.stdout).toContain(`commit-msg: updated to run ${process.execPath} ${BIN}`);
    const text = await readFile(join(hooks, 'commit-msg'), 'utf8');
    expect(text).toBe(hookScript({ hook: 'commit-msg', run: 'commit', node: process.execPath, bin: BIN }));
    expect(text).toContain('# aitool-hook v7: commit-msg\n');
    expect(text).toContain('\nunset NODE_EXTRA_CA_CERTS\n');
    expect(await readFile(join(hooks, 'commit-msg.aitool-chained'), 'utf8')).toBe(team);
    expect(await mode(join(hooks, 'commit-msg'))).toBe(0o755);
    expect((await cli(['install'])).stdout).toContain('commit-msg: already installed');

    const removed = await cli(['uninstall']);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(removed.stdout).toContain("commit-msg: removed aitool's hook and put back the one it chained");
    expect(await snapshot(hooks)).toEqual(before);
  });

  it('a v1 hook left as it is: uninstall removes it and restores the chained hook byte for byte; an edited v1 hook is refused by both commands', async () => {
    const hooks = join(repo, '.git', 'hooks');
    await writeExecutable(join(hooks, 'commit-msg'), '#!/bin/sh\n# the team check\nexit 0\n');
    const before = await snapshot(hooks);
    await writeExecutable(join(hooks, 'commit-msg.aitool-chained'), '#!/bin/sh\n# the team check\nexit 0\n');
    await writeExecutable(join(hooks, 'commit-msg'), fixtureWith('/old/node', '/old/aitool/bin/aitool.js').replace('exit 0\n', 'exit 1\n'));
    const edited = await snapshot(hooks);
    for (const command of ['install', 'uninstall']) {
      const refused = await cli([command]);
      expect(refused.exitCode).toBe(2);
      expect(refused.stderr).toMatch(/commit-msg has aitool's marker but changed after aitool wrote it/);
      expect(await snapshot(hooks)).toEqual(edited);
    }
    await writeExecutable(join(hooks, 'commit-msg'), fixtureWith('/old/node', '/old/aitool/bin/aitool.js'));
    const removed = await cli(['uninstall']);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(await snapshot(hooks)).toEqual(before);
  });

  it('a hook from an aitool whose template this one does not know (v8) is refused, not overwritten', async () => {
    const path = join(repo, '.git', 'hooks', 'commit-msg');
    const v8 = hookScript({ hook: 'commit-msg', run: 'commit', node: process.execPath, bin: BIN }).replace('# aitool-hook v7:', '# aitool-hook v8:');
    await writeExecutable(path, v8);
    const result = await cli(['install']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/commit-msg has aitool's marker but written by another aitool version \(v8\)/);
    expect(await readFile(path, 'utf8')).toBe(v8);
  });

  it('a v2 hook (aitool asked git itself) is ours: install upgrades it to the current template in place, uninstall puts the chained hook back byte for byte', async () => {
    const hooks = join(repo, '.git', 'hooks');
    const team = '#!/bin/sh\n# the team check\nexit 0\n';
    await writeExecutable(join(hooks, 'commit-msg'), team);
    const before = await snapshot(hooks);
    await writeExecutable(join(hooks, 'commit-msg.aitool-chained'), team);
    const v2 = fixtureWith(process.execPath, BIN, V2_COMMIT_MSG);
    await writeExecutable(join(hooks, 'commit-msg'), v2);
    expect(classifyHookText(v2)).toEqual({ kind: 'ours', script: { hook: 'commit-msg', run: 'commit', node: process.execPath, bin: BIN, template: 'v2' } });
    const upgraded = await cli(['install']);
    expect(upgraded.exitCode, upgraded.stderr).toBe(0);
    expect(upgraded.stdout).toContain(`commit-msg: updated to run ${process.execPath} ${BIN}`);
    expect(await readFile(join(hooks, 'commit-msg'), 'utf8')).toBe(hookScript({ hook: 'commit-msg', run: 'commit', node: process.execPath, bin: BIN }));
    expect(await readFile(join(hooks, 'commit-msg.aitool-chained'), 'utf8')).toBe(team);
    const removed = await cli(['uninstall']);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(await snapshot(hooks)).toEqual(before);
  });

  it.each([
    ['v4', 'a Ctrl-C did not stop its spare at once', V4_COMMIT_MSG],
    ['v5', 'spares only in the runtime folder', V5_COMMIT_MSG],
    ['v6', 'any spare in the folder claimed, any refusal heeded', V6_COMMIT_MSG],
  ] as const)('a %s hook (%s) is ours: install upgrades it to the current template in place, uninstall puts the chained hook back byte for byte', async (template, _why, fixture) => {
    const hooks = join(repo, '.git', 'hooks');
    const team = '#!/bin/sh\n# the team check\nexit 0\n';
    await writeExecutable(join(hooks, 'commit-msg'), team);
    const before = await snapshot(hooks);
    await writeExecutable(join(hooks, 'commit-msg.aitool-chained'), team);
    // The fixture's spares folders name /opt/node and /opt/aitool: made for this node and bin, they would name theirs.
    const older = hookScript({ hook: 'commit-msg', run: 'commit', node: process.execPath, bin: BIN, template });
    const keyless = (text: string): string => text.replaceAll(/(aitool-(?:\$aitool_uid-)?)[0-9a-f]{16}/g, '$1');
    expect(keyless(fixtureWith(process.execPath, BIN, fixture))).toBe(keyless(older));
    await writeExecutable(join(hooks, 'commit-msg'), older);
    expect(classifyHookText(older)).toEqual({ kind: 'ours', script: { hook: 'commit-msg', run: 'commit', node: process.execPath, bin: BIN, template } });
    const upgraded = await cli(['install']);
    expect(upgraded.exitCode, upgraded.stderr).toBe(0);
    expect(upgraded.stdout).toContain(`commit-msg: updated to run ${process.execPath} ${BIN}`);
    expect(await readFile(join(hooks, 'commit-msg'), 'utf8')).toBe(hookScript({ hook: 'commit-msg', run: 'commit', node: process.execPath, bin: BIN }));
    expect(await readFile(join(hooks, 'commit-msg'), 'utf8')).toContain('# aitool-hook v7: commit-msg\n');
    const removed = await cli(['uninstall']);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(await snapshot(hooks)).toEqual(before);
  });

  it('the script: marker, chaining, then exec of node + bin with the hook name and "$@", then the PATH and not-installed fallbacks', async () => {
    const text = hookScript({ hook: 'commit-msg', node: '/opt/node/bin/node', bin: "/it's here/bin/aitool.js" });
    const lines = text.split('\n');
    expect(lines[0]).toBe('#!/bin/sh');
    expect(lines[1]).toBe('# aitool-hook v7: commit-msg');
    expect(text).toContain('case $0 in */*) here=${0%/*} ;; *) here=. ;; esac\nchained="$here/commit-msg.aitool-chained"\n');
    expect(text).toContain('  "$chained" "$@" || exit $?\n');
    expect(text).toContain("node='/opt/node/bin/node'\n");
    expect(text).toContain("aitool='/it'\\''s here/bin/aitool.js'\n");
    expect(text).toContain('\nunset NODE_EXTRA_CA_CERTS\n# What aitool would ask git');
    expect(text).toContain('git_answers() {\n  git var GIT_COMMITTER_IDENT && printf \'\\000\' &&\n  printf \'X\\000aitool-end\\000\'\n}\n# A spare: ');
    expect(text).toContain('  spare_answer "$@"\n  git_answers 2>/dev/null | "$node" "$aitool" hook run commit-msg --git-stdin "$@"\n  status=$?\n  spare_start </dev/null >/dev/null 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &\n  exit $status\n');
    expect(text).toContain('  "$node" "$aitool" hook spare "$spares" "$name" </dev/null >/dev/null 2>&1 &\n');
    expect(text).toContain('  exec aitool hook run commit-msg "$@"\n');
    expect(text.endsWith('the commit-msg check was skipped" >&2\nexit 0\n')).toBe(true);
    // What uninstall relies on: the values are read back and the same bytes regenerated.
    expect(classifyHookText(text)).toEqual({ kind: 'ours', script: { hook: 'commit-msg', node: '/opt/node/bin/node', bin: "/it's here/bin/aitool.js" } });
    expect(classifyHookText(text.replace('exit 0\n', 'exit 1\n'))).toMatchObject({ kind: 'changed' });
    expect(classifyHookText('#!/bin/sh\nnpm test\n')).toEqual({ kind: 'foreign' });
  });

  it('the standalone executable\'s script runs that executable alone (no node line) and reads back as ours', () => {
    const text = hookScript({ hook: 'commit-msg', run: 'commit', standalone: "/opt/it's aitool/aitool" });
    expect(text).toContain("\n}\naitool='/opt/it'\\''s aitool/aitool'\n");
    expect(text).toContain('if [ -f "$aitool" ] && [ -x "$aitool" ]; then\n  spare_answer "$@"\n  git_answers 2>/dev/null | "$aitool" hook run commit --git-stdin "$@"\n  status=$?\n  spare_start </dev/null >/dev/null 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &\n  exit $status\n');
    expect(text).toContain('  "$aitool" hook spare "$spares" "$name" </dev/null >/dev/null 2>&1 &\n');
    expect(text).not.toMatch(/^node=/m);
    expect(text).toContain('  exec aitool hook run commit "$@"\n');
    expect(classifyHookText(text)).toEqual({ kind: 'ours', script: { hook: 'commit-msg', run: 'commit', standalone: "/opt/it's aitool/aitool" } });
    expect(classifyHookText(text.replace('"$aitool" hook run commit --git-stdin', '"$aitool" hook run commit --no-verify'))).toMatchObject({ kind: 'changed' });
    // A node script's hook is not mistaken for a standalone one once its node line is gone.
    const nodeScript = hookScript({ hook: 'commit-msg', node: '/opt/node/bin/node', bin: '/opt/aitool/bin/aitool.js' });
    expect(classifyHookText(nodeScript.replace(/^node=.*\n/m, ''))).toMatchObject({ kind: 'changed' });
  });

  it('installs only the hooks asked for', async () => {
    const result = await cli(['install', '--pre-push']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await readFile(join(repo, '.git', 'hooks', 'pre-push'), 'utf8')).toBe(hookScript({ hook: 'pre-push', node: process.execPath, bin: BIN }));
    await expect(lstat(join(repo, '.git', 'hooks', 'pre-commit'))).rejects.toThrow();
  });

  it('installing twice changes nothing, byte for byte, and says so', async () => {
    expect((await cli(['install', '--pre-push', '--pre-commit', '--commit-msg'])).exitCode).toBe(0);
    const before = await snapshot(join(repo, '.git', 'hooks'));
    const again = await cli(['install', '--pre-push', '--pre-commit', '--commit-msg']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain('pre-commit: already installed');
    expect(again.stdout).toContain('commit-msg: already installed');
    expect(again.stdout).toContain('pre-push: already installed');
    expect(await snapshot(join(repo, '.git', 'hooks'))).toEqual(before);
  });

  it('chains an existing executable hook and uninstall restores the folder byte for byte and mode for mode', async () => {
    const hooks = join(repo, '.git', 'hooks');
    await writeExecutable(join(hooks, 'pre-commit'), '#!/bin/sh\n# the team linter\nexit 0\n');
    await writeFile(join(hooks, 'commit-msg'), '#!/bin/sh\necho not executable\n');
    const before = await snapshot(hooks);

    const result = await cli(['install', '--pre-commit']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('kept as pre-commit.aitool-chained');
    const chained = join(hooks, 'pre-commit.aitool-chained');
    expect(await readFile(chained, 'utf8')).toBe('#!/bin/sh\n# the team linter\nexit 0\n');
    expect(await mode(chained)).toBe(0o755);
    expect(await mode(join(hooks, 'commit-msg.aitool-chained'))).toBe(before['commit-msg']?.type === 'file' ? before['commit-msg'].mode : -1);

    const removed = await cli(['uninstall']);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(removed.stdout).toContain("pre-commit: removed aitool's hook and put back the one it chained");
    expect(await snapshot(hooks)).toEqual(before);
  });

  it('moves a symlinked hook as the link itself and puts the link back', async () => {
    const hooks = join(repo, '.git', 'hooks');
    await writeExecutable(join(repo, 'team-hook.sh'), '#!/bin/sh\nexit 0\n');
    await symlink('../../team-hook.sh', join(hooks, 'pre-commit'));
    const before = await snapshot(hooks);
    expect((await cli(['install', '--pre-commit'])).exitCode).toBe(0);
    expect(await readlink(join(hooks, 'pre-commit.aitool-chained'))).toBe('../../team-hook.sh');
    expect((await lstat(join(hooks, 'pre-commit'))).isFile()).toBe(true);
    expect((await cli(['uninstall'])).exitCode).toBe(0);
    expect(await snapshot(hooks)).toEqual(before);
  });

  it('a link planted in the hooks folder never gets the write: its target (or a dangling one) is untouched, a FIFO does not hang the installer', async () => {
    const hooks = join(repo, '.git', 'hooks');
    const victim = join(world.root, 'victim');
    await writeFile(victim, 'precious\n');
    const nowhere = join(world.root, 'created-through-a-link');
    await symlink(victim, join(hooks, 'pre-commit'));
    await symlink(nowhere, join(hooks, 'commit-msg'));
    await execa('mkfifo', [join(hooks, 'pre-push')]);
    const result = await cli(['install', '--pre-commit', '--commit-msg', '--pre-push']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await readFile(victim, 'utf8')).toBe('precious\n');
    await expect(lstat(nowhere)).rejects.toThrow();
    expect(await readlink(join(hooks, 'pre-commit.aitool-chained'))).toBe(victim);
    expect(await readlink(join(hooks, 'commit-msg.aitool-chained'))).toBe(nowhere);
    expect((await lstat(join(hooks, 'pre-push.aitool-chained'))).isFIFO()).toBe(true);
    for (const hook of ['pre-commit', 'commit-msg', 'pre-push']) {
      expect((await lstat(join(hooks, hook))).isFile()).toBe(true);
      expect(await mode(join(hooks, hook))).toBe(0o755);
    }
  });

  it('a hook installed by another node or installation is updated, and either one can uninstall it', async () => {
    const io = { cwd: repo, env };
    await installHooksCommand({ preCommit: true }, io, { node: '/old/node', bin: '/old/aitool/bin/aitool.js' });
    const result = await installHooksCommand({ preCommit: true }, io, currentLauncher());
    expect(result.text).toContain(`pre-commit: updated to run ${process.execPath}`);
    expect(await readFile(join(repo, '.git', 'hooks', 'pre-commit'), 'utf8')).toBe(hookScript({ hook: 'pre-commit', ...currentLauncher() }));
    await installHooksCommand({ preCommit: true }, io, { node: '/old/node', bin: '/old/aitool/bin/aitool.js' });
    expect((await uninstallHooksCommand({}, io)).text).toContain("pre-commit: removed aitool's hook");
    await expect(lstat(join(repo, '.git', 'hooks', 'pre-commit'))).rejects.toThrow();
  });

  it('uninstall with nothing installed says so and exits 0; the hooks folder is left in place', async () => {
    const result = await cli(['uninstall']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toBe(`aitool's hooks are not installed here (${join(repo, '.git', 'hooks')})`);
  });
});

describe('refusals leave everything untouched', () => {
  it('uninstall refuses a hook edited after install: exit 2, one line', async () => {
    const hooks = join(repo, '.git', 'hooks');
    await writeExecutable(join(hooks, 'pre-commit'), '#!/bin/sh\nexit 0\n');
    expect((await cli(['install', '--pre-commit'])).exitCode).toBe(0);
    await writeFile(join(hooks, 'commit-msg'), `${await readFile(join(hooks, 'commit-msg'), 'utf8')}echo extra\n`);
    const before = await snapshot(hooks);
    const result = await cli(['uninstall']);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^aitool: .*commit-msg has aitool's marker but changed after aitool wrote it; not removing it/);
    // pre-commit, which was fine, was not uninstalled either.
    expect(await snapshot(hooks)).toEqual(before);
  });

  it('uninstall refuses when our hook lost its marker but the chained hook is still there', async () => {
    const hooks = join(repo, '.git', 'hooks');
    await writeExecutable(join(hooks, 'pre-commit'), '#!/bin/sh\nexit 0\n');
    expect((await cli(['install', '--pre-commit'])).exitCode).toBe(0);
    await writeExecutable(join(hooks, 'pre-commit'), '#!/bin/sh\necho rewritten by hand\n');
    const before = await snapshot(hooks);
    const result = await cli(['uninstall']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/pre-commit is no longer aitool's hook .*pre-commit\.aitool-chained is still beside it/);
    expect(await snapshot(hooks)).toEqual(before);
  });

  it('install refuses to chain when <hook>.aitool-chained already exists', async () => {
    const hooks = join(repo, '.git', 'hooks');
    await writeExecutable(join(hooks, 'pre-commit'), '#!/bin/sh\nexit 0\n');
    await writeExecutable(join(hooks, 'pre-commit.aitool-chained'), '#!/bin/sh\nexit 1\n');
    const before = await snapshot(hooks);
    const result = await cli(['install', '--pre-commit']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^aitool: .*pre-commit is not aitool's hook and pre-commit\.aitool-chained already exists/);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    // commit-msg, which could have been installed, was not: all or nothing.
    expect(await snapshot(hooks)).toEqual(before);
  });

  it('install refuses to overwrite an edited aitool hook', async () => {
    const io = { cwd: repo, env };
    await installHooksCommand({ preCommit: true }, io);
    const path = join(repo, '.git', 'hooks', 'pre-commit');
    await writeFile(path, (await readFile(path, 'utf8')).replace('exit 0', 'exit 1'));
    await expect(installHooksCommand({ preCommit: true }, io)).rejects.toThrow(UserError);
    await expect(installHooksCommand({ preCommit: true }, io)).rejects.toThrow(/has aitool's marker but changed after aitool wrote it/);
  });

  it('outside a git repository: one line on stderr, exit 2', async () => {
    const outside = join(world.root, 'not-a-repo');
    await mkdir(outside);
    for (const command of ['install', 'uninstall']) {
      const result = await cli([command, '--repo', outside]);
      expect(result.exitCode).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`aitool: ${outside} is not in a git repository (run this inside one, or pass --repo <dir>)`);
    }
  });

  it('a --repo that does not exist is a one-line error', async () => {
    const result = await cli(['install', '--repo', join(world.root, 'nowhere')]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`aitool: ${join(world.root, 'nowhere')}: no such folder`);
  });
});

describe('the effective hooks folder', () => {
  let sandbox: Sandbox;
  let log: string;
  let fake: string;
  beforeEach(async () => {
    sandbox = await makeSandbox();
    log = join(sandbox.root, 'runs.jsonl');
    fake = await fakeAitool(join(sandbox.root, 'fake-aitool.mjs'), log);
  });

  it('core.hooksPath relative: relative to the top of the work tree, even when run from a subfolder', async () => {
    await gitOk(repo, ['config', 'core.hooksPath', '.githooks'], env);
    const sub = join(repo, 'src', 'deep');
    await mkdir(sub, { recursive: true });
    const result = await cli(['install', '--repo', sub]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`commit-msg: installed (${join(repo, '.githooks', 'commit-msg')})`);
    await expect(lstat(join(repo, '.git', 'hooks', 'commit-msg'))).rejects.toThrow();
    await expect(lstat(join(sub, '.githooks'))).rejects.toThrow();

    // git runs what was written there (re-pointed at a stand-in that records its runs).
    expect((await installHooksCommand({}, { cwd: sub, env }, { node: process.execPath, bin: fake })).text).toContain('commit-msg: updated');
    expect((await commit(repo, env)).exitCode).toBe(0);
    // One process per commit: the default commit-msg hook runs `hook run commit` with the message file.
    expect((await runs(log)).map((r) => r.argv.slice(0, 3))).toEqual([['hook', 'run', 'commit']]);
  });

  it('core.hooksPath absolute, outside the repository (created if missing); git -c core.hooksPath runs it', async () => {
    const shared = join(world.root, 'shared-hooks');
    await gitOk(repo, ['config', 'core.hooksPath', shared], env);
    await installHooksCommand({}, { cwd: repo, env }, { node: process.execPath, bin: fake });
    expect((await lstat(join(shared, 'commit-msg'))).isFile()).toBe(true);
    await gitOk(repo, ['config', '--unset', 'core.hooksPath'], env);
    // Without the setting git does not look there; with it on the command line, it does.
    expect((await commit(repo, env)).exitCode).toBe(0);
    expect(await runs(log)).toEqual([]);
    await writeFile(join(repo, 'file.txt'), 'more\n');
    await gitOk(repo, ['add', 'file.txt'], env);
    await gitOk(repo, ['-c', `core.hooksPath=${shared}`, 'commit', '-q', '-m', 'with hooks'], env);
    expect((await runs(log)).map((r) => r.argv[2])).toEqual(['commit']);
  });

  it('a linked worktree installs into the hooks shared through the common folder', async () => {
    const worktree = join(world.root, 'wt');
    await gitOk(repo, ['worktree', 'add', '-q', '-b', 'feature', worktree], env);
    const result = await runCli(['hook', 'install', '--repo', worktree], world, GIT_ENV);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`commit-msg: installed (${join(repo, '.git', 'hooks', 'commit-msg')})`);
    await expect(lstat(join(repo, '.git', 'worktrees', 'wt', 'hooks'))).rejects.toThrow();
    expect((await runCli(['hook', 'uninstall', '--repo', worktree], world, GIT_ENV)).exitCode).toBe(0);

    // And a commit in the worktree runs it.
    await installHooksCommand({}, { cwd: worktree, env }, { node: process.execPath, bin: fake });
    expect((await commit(worktree, env)).exitCode).toBe(0);
    const seen = await runs(log);
    expect(seen.map((r) => r.argv[2])).toEqual(['commit']);
    expect(seen[0]?.cwd).toBe(worktree);
  });

  it('a submodule (.git is a file) installs into .git/modules/<name>/hooks of the superproject', async () => {
    const lib = await initRepo(join(world.root, 'lib'), env);
    await gitOk(repo, ['-c', 'protocol.file.allow=always', 'submodule', '-q', 'add', lib, 'vendor/lib'], env);
    const sub = join(repo, 'vendor', 'lib');
    expect((await lstat(join(sub, '.git'))).isFile()).toBe(true);
    await gitOk(sub, ['config', 'user.name', 'Hook Test'], env);
    await gitOk(sub, ['config', 'user.email', 'hooks@example.com'], env);

    const result = await runCli(['hook', 'install', '--repo', sub], world, GIT_ENV);
    expect(result.exitCode, result.stderr).toBe(0);
    const hooks = join(repo, '.git', 'modules', 'vendor', 'lib', 'hooks');
    expect(result.stdout).toContain(`commit-msg: installed (${join(hooks, 'commit-msg')})`);
    await expect(lstat(join(repo, '.git', 'hooks', 'commit-msg'))).rejects.toThrow();
    expect((await runCli(['hook', 'uninstall', '--repo', sub], world, GIT_ENV)).exitCode).toBe(0);
    await expect(lstat(join(hooks, 'commit-msg'))).rejects.toThrow();

    await installHooksCommand({}, { cwd: sub, env }, { node: process.execPath, bin: fake });
    expect((await commit(sub, env)).exitCode).toBe(0);
    expect((await runs(log)).map((r) => [r.argv[2], r.cwd])).toEqual([['commit', sub]]);
  });
});
