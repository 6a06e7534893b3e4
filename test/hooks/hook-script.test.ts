// What an installed hook does when git runs it: the chained hook first (its
// failure is the hook's failure), then node + bin/aitool.js, else `aitool` on
// PATH, else a warning and exit 0. Real `git commit` and `git push`; aitool is
// a stand-in that records its runs, except where the real CLI is named.
import { mkdir, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installHooksCommand } from '../../src/hooks/command.js';
import { makeWorld, runCli } from '../cli/run-cli.js';
import { removeTempDirs } from '../helpers/temp.js';
import { commit, fakeAitool, git, gitOk, initRepo, makeSandbox, runs, writeExecutable, type Sandbox } from './helpers.js';

let sandbox: Sandbox;
let repo: string;
let hooks: string;
let log: string;
beforeEach(async () => {
  sandbox = await makeSandbox();
  repo = await initRepo(join(sandbox.root, 'repo'), sandbox.env);
  hooks = join(repo, '.git', 'hooks');
  log = join(sandbox.root, 'aitool-runs.jsonl');
});
afterEach(removeTempDirs);

const io = () => ({ cwd: repo, env: sandbox.env });

describe('the chained hook', () => {
  it('a chained hook that fails (exit 3) fails the commit, even though aitool would pass; aitool does not run', async () => {
    await writeExecutable(join(hooks, 'pre-commit'), '#!/bin/sh\necho "team check failed" >&2\nexit 3\n');
    const passing = await fakeAitool(join(sandbox.root, 'aitool.mjs'), log, 0);
    await installHooksCommand({ preCommit: true }, io(), { node: process.execPath, bin: passing });
    const result = await commit(repo, sandbox.env);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('team check failed');
    expect(await runs(log)).toEqual([]);
    expect(await gitOk(repo, ['rev-list', '--count', 'HEAD'], sandbox.env)).toBe('1');
    // git reports any failure as 1; run as git would, the hook exits with the chained hook's own code.
    const direct = await execa(join(hooks, 'pre-commit'), [], { cwd: repo, env: sandbox.env, extendEnv: false, reject: false, stdin: 'ignore' });
    expect(direct.exitCode).toBe(3);
  });

  it('the same with the hook pointing at the real built CLI (installed by it)', async () => {
    const world = makeWorld();
    try {
      const cliRepo = await realpath(world.cwd);
      const env = { ...world.env, GIT_CONFIG_NOSYSTEM: '1' };
      await initRepo(cliRepo, env);
      await writeExecutable(join(cliRepo, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\necho "team check failed" >&2\nexit 3\n');
      const installed = await runCli(['hook', 'install', '--pre-commit'], world, { GIT_CONFIG_NOSYSTEM: '1' });
      expect(installed.exitCode, installed.stderr).toBe(0);
      const result = await commit(cliRepo, env);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toContain('team check failed');
      expect(await gitOk(cliRepo, ['rev-list', '--count', 'HEAD'], env)).toBe('1');
    } finally {
      world.cleanup();
    }
  });

  it('a passing chained hook gets the same arguments, then aitool runs with the hook name and git\'s arguments', async () => {
    const chainedLog = join(sandbox.root, 'chained.txt');
    await writeExecutable(join(hooks, 'commit-msg'), `#!/bin/sh\nprintf '%s\\n' "$#" "$1" >> '${chainedLog}'\n`);
    await installHooksCommand({}, io(), { node: process.execPath, bin: await fakeAitool(join(sandbox.root, 'aitool.mjs'), log, 0) });
    const result = await commit(repo, sandbox.env, 'a message');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await readFile(chainedLog, 'utf8')).toBe('1\n.git/COMMIT_EDITMSG\n');
    // The default install: one aitool process per commit, at commit-msg.
    expect((await runs(log)).map((r) => r.argv)).toEqual([['hook', 'run', 'commit', '.git/COMMIT_EDITMSG']]);
  });

  it("aitool's own exit code decides once the chained hook passed", async () => {
    await writeExecutable(join(hooks, 'pre-commit'), '#!/bin/sh\nexit 0\n');
    await installHooksCommand({ preCommit: true }, io(), { node: process.execPath, bin: await fakeAitool(join(sandbox.root, 'aitool.mjs'), log, 1) });
    expect((await commit(repo, sandbox.env)).exitCode).not.toBe(0);
    expect(await runs(log)).toHaveLength(1);
  });

  it('a chained hook that is not executable is skipped, as git would skip it', async () => {
    await writeFile(join(hooks, 'pre-commit'), '#!/bin/sh\nexit 3\n', { mode: 0o644 });
    await installHooksCommand({ preCommit: true }, io(), { node: process.execPath, bin: await fakeAitool(join(sandbox.root, 'aitool.mjs'), log, 0) });
    expect((await commit(repo, sandbox.env)).exitCode).toBe(0);
    expect((await runs(log)).map((r) => r.argv[2])).toEqual(['pre-commit', 'commit-msg']);
  });

  it('pre-push: the chained hook and aitool both get the remote arguments and the same refs on stdin; no temp file is left', async () => {
    const remote = join(sandbox.root, 'remote.git');
    await gitOk(sandbox.root, ['init', '-q', '--bare', remote], sandbox.env);
    await gitOk(repo, ['remote', 'add', 'origin', remote], sandbox.env);
    const chainedLog = join(sandbox.root, 'chained-pre-push.txt');
    await writeExecutable(join(hooks, 'pre-push'), `#!/bin/sh\necho "args: $*" > '${chainedLog}'\ncat >> '${chainedLog}'\n`);
    await installHooksCommand({ prePush: true }, io(), { node: process.execPath, bin: await fakeAitool(join(sandbox.root, 'aitool.mjs'), log, 0) });

    const pushed = await git(repo, ['push', '-q', 'origin', 'main'], sandbox.env);
    expect(pushed.exitCode, pushed.stderr).toBe(0);
    const head = await gitOk(repo, ['rev-parse', 'HEAD'], sandbox.env);
    const refs = `refs/heads/main ${head} refs/heads/main ${'0'.repeat(40)}\n`;
    expect(await readFile(chainedLog, 'utf8')).toBe(`args: origin ${remote}\n${refs}`);
    expect((await runs(log)).map((r) => ({ argv: r.argv, stdin: r.stdin }))).toEqual([{ argv: ['hook', 'run', 'pre-push', 'origin', remote], stdin: refs }]);
    expect(await readdir(sandbox.env.TMPDIR!)).toEqual([]);
  });

  it('pre-push: a failing chained hook stops the push with its exit code and cleans up', async () => {
    const remote = join(sandbox.root, 'remote.git');
    await gitOk(sandbox.root, ['init', '-q', '--bare', remote], sandbox.env);
    await gitOk(repo, ['remote', 'add', 'origin', remote], sandbox.env);
    await writeExecutable(join(hooks, 'pre-push'), '#!/bin/sh\ncat >/dev/null\nexit 3\n');
    await installHooksCommand({ prePush: true }, io(), { node: process.execPath, bin: await fakeAitool(join(sandbox.root, 'aitool.mjs'), log, 0) });
    const pushed = await git(repo, ['push', '-q', 'origin', 'main'], sandbox.env);
    expect(pushed.exitCode).not.toBe(0);
    expect(await runs(log)).toEqual([]);
    expect(await readdir(sandbox.env.TMPDIR!)).toEqual([]);
  });
});

describe('when aitool is gone', () => {
  it('falls back to aitool on PATH when the node or bin/aitool.js written in the hook no longer exists', async () => {
    const bin = join(sandbox.root, 'bin');
    await mkdir(bin);
    await writeExecutable(join(bin, 'aitool'), `#!/bin/sh\necho "$*" >> '${log}'\n`);
    await installHooksCommand({}, io(), { node: process.execPath, bin: join(sandbox.root, 'uninstalled', 'bin', 'aitool.js') });
    const env = { ...sandbox.env, PATH: `${bin}:${sandbox.env.PATH}` };
    expect((await commit(repo, env, 'msg')).exitCode).toBe(0);
    expect(await readFile(log, 'utf8')).toBe('hook run commit .git/COMMIT_EDITMSG\n');
  });

  it('with neither, warns on stderr and lets the commit through (exit 0), after the chained hook ran', async () => {
    const chainedLog = join(sandbox.root, 'chained.txt');
    await writeExecutable(join(hooks, 'pre-commit'), `#!/bin/sh\necho ran > '${chainedLog}'\n`);
    await installHooksCommand({ preCommit: true }, io(), { node: join(sandbox.root, 'gone', 'node'), bin: join(sandbox.root, 'gone', 'aitool.js') });
    const result = await commit(repo, sandbox.env);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain(`aitool: not installed (no ${join(sandbox.root, 'gone', 'aitool.js')}, no aitool on PATH); the pre-commit check was skipped`);
    expect(result.stderr).toContain('the commit-msg check was skipped');
    expect(await readFile(chainedLog, 'utf8')).toBe('ran\n');
    expect(await gitOk(repo, ['rev-list', '--count', 'HEAD'], sandbox.env)).toBe('2');
  });
});
