// What an installed hook does when git runs it: the chained hook first (its
// failure is the hook's failure), then node + bin/aitool.js, else `aitool` on
// PATH, else a warning and exit 0; aitool without NODE_EXTRA_CA_CERTS. Real
// `git commit` and `git push`; aitool is a stand-in that records its runs,
// except where the real CLI is named.
import { mkdir, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installHooksCommand } from '../../src/hooks/command.js';
import { classifyHookText, hookScript } from '../../src/hooks/script.js';
import { makeWorld, runCli } from '../cli/run-cli.js';
import { removeTempDirs } from '../helpers/temp.js';
import { commit, fakeAitool, git, gitOk, initRepo, makeSandbox, runs, V1_COMMIT_MSG, V2_COMMIT_MSG, V3_COMMIT_MSG, V4_COMMIT_MSG, V5_COMMIT_MSG, V6_COMMIT_MSG, fixtureWith, writeExecutable, type Sandbox } from './helpers.js';

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
    // The default install: one aitool process per commit, at commit-msg, given what the script's git answered:
    // the committer, the staged file (added), the end mark.
    const [run] = await runs(log);
    expect(run?.argv).toEqual(['hook', 'run', 'commit', '--git-stdin', '.git/COMMIT_EDITMSG']);
    expect(run?.stdin).toMatch(/^Hook Test <hooks@example\.com> \d+ [+-]\d{4}\n\0A\0file\.txt\0X\0aitool-end\0$/);
    expect(await runs(log)).toHaveLength(1);
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

describe('NODE_EXTRA_CA_CERTS (set on machines behind a TLS-inspecting proxy; Node parses that file at every start)', () => {
  // A file that does not exist: Node then warns on stderr at start, so the warning shows whether aitool's node saw the variable.
  const caEnv = () => ({ ...sandbox.env, NODE_EXTRA_CA_CERTS: join(sandbox.root, 'no-such-ca.pem') });
  const nodeWarning = () => `Ignoring extra certs from \`${join(sandbox.root, 'no-such-ca.pem')}\``;
  const chainedSeen = () => join(sandbox.root, 'chained-saw.txt');
  const chainedHook = () => `#!/bin/sh\nprintf '%s' "\${NODE_EXTRA_CA_CERTS-unset}" > '${chainedSeen()}'\n`;

  it('a real commit with the default hook: aitool\'s node starts without it (no warning, not in its environment); the chained hook still has it', async () => {
    await writeExecutable(join(hooks, 'commit-msg'), chainedHook());
    const fake = await fakeAitool(join(sandbox.root, 'aitool.mjs'), log, 0);
    await installHooksCommand({}, io(), { node: process.execPath, bin: fake });
    const result = await commit(repo, caEnv(), 'a message');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).not.toContain('Ignoring extra certs');
    expect(await readFile(join(hooks, 'commit-msg'), 'utf8')).toContain('# aitool-hook v7: commit-msg\n');
    expect(await runs(log)).toEqual([expect.objectContaining({ argv: ['hook', 'run', 'commit', '--git-stdin', '.git/COMMIT_EDITMSG'], caCerts: null })]);
    expect(await readFile(chainedSeen(), 'utf8')).toBe(join(sandbox.root, 'no-such-ca.pem'));
  });

  it('the v1 script did start aitool with it (what the test above would see without v2): Node warns at start', async () => {
    await writeExecutable(join(hooks, 'commit-msg.aitool-chained'), chainedHook());
    const fake = await fakeAitool(join(sandbox.root, 'aitool.mjs'), log, 0);
    await writeExecutable(join(hooks, 'commit-msg'), fixtureWith(process.execPath, fake));
    const result = await commit(repo, caEnv(), 'a message');
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain(nodeWarning());
    expect(await runs(log)).toEqual([expect.objectContaining({ caCerts: join(sandbox.root, 'no-such-ca.pem') })]);
    expect(await readFile(chainedSeen(), 'utf8')).toBe(join(sandbox.root, 'no-such-ca.pem'));
  });

  it('pre-push (refs copied through a temp file) and the aitool-on-PATH fallback drop it too', async () => {
    const remote = join(sandbox.root, 'remote.git');
    await gitOk(sandbox.root, ['init', '-q', '--bare', remote], sandbox.env);
    await gitOk(repo, ['remote', 'add', 'origin', remote], sandbox.env);
    await writeExecutable(join(hooks, 'pre-push'), `#!/bin/sh\ncat >/dev/null\n${chainedHook().replace('#!/bin/sh\n', '')}`);
    // Only aitool on PATH: a node script started through its shebang, as a global npm install is.
    const bin = join(sandbox.root, 'bin');
    await mkdir(bin);
    const fake = await fakeAitool(join(sandbox.root, 'aitool.mjs'), log, 0);
    await writeExecutable(join(bin, 'aitool'), `#!${process.execPath}\n${await readFile(fake, 'utf8')}`);
    await installHooksCommand({ prePush: true }, io(), { node: process.execPath, bin: join(sandbox.root, 'uninstalled', 'aitool.js') });
    const pushed = await git(repo, ['push', '-q', 'origin', 'main'], { ...caEnv(), PATH: `${bin}:${sandbox.env.PATH}` });
    expect(pushed.exitCode, pushed.stderr).toBe(0);
    expect(pushed.stderr).not.toContain('Ignoring extra certs');
    expect((await runs(log)).map((r) => [r.argv[2], r.caCerts])).toEqual([['pre-push', null]]);
    expect(await readFile(chainedSeen(), 'utf8')).toBe(join(sandbox.root, 'no-such-ca.pem'));
  });

  it('the v1 to v6 templates still generate their fixtures byte for byte, and read back as ours (with their template)', () => {
    const script = { hook: 'commit-msg', run: 'commit', node: '/opt/node/bin/node', bin: '/opt/aitool/bin/aitool.js' } as const;
    for (const [template, fixture] of [['v1', V1_COMMIT_MSG], ['v2', V2_COMMIT_MSG], ['v3', V3_COMMIT_MSG], ['v4', V4_COMMIT_MSG], ['v5', V5_COMMIT_MSG], ['v6', V6_COMMIT_MSG]] as const) {
      expect(hookScript({ ...script, template })).toBe(fixture);
      expect(classifyHookText(fixture)).toEqual({ kind: 'ours', script: { ...script, template } });
      // Edited: not ours.
      expect(classifyHookText(fixture.replace('exit 0\n', 'exit 1\n'))).toMatchObject({ kind: 'changed' });
    }
    // Relabelled or unknown: not ours.
    const v7 = hookScript(script);
    expect(v7).toContain('# aitool-hook v7: commit-msg\n');
    expect(classifyHookText(v7)).toEqual({ kind: 'ours', script });
    expect(classifyHookText(v7.replace('exit 0\n', 'exit 1\n'))).toMatchObject({ kind: 'changed' });
    expect(classifyHookText(V1_COMMIT_MSG.replace('# aitool-hook v1:', '# aitool-hook v2:'))).toMatchObject({ kind: 'changed' });
    expect(classifyHookText(V2_COMMIT_MSG.replace('# aitool-hook v2:', '# aitool-hook v3:'))).toMatchObject({ kind: 'changed' });
    expect(classifyHookText(V3_COMMIT_MSG.replace('# aitool-hook v3:', '# aitool-hook v4:'))).toMatchObject({ kind: 'changed' });
    expect(classifyHookText(V4_COMMIT_MSG.replace('# aitool-hook v4:', '# aitool-hook v5:'))).toMatchObject({ kind: 'changed' });
    expect(classifyHookText(V5_COMMIT_MSG.replace('# aitool-hook v5:', '# aitool-hook v6:'))).toMatchObject({ kind: 'changed' });
    expect(classifyHookText(V6_COMMIT_MSG.replace('# aitool-hook v6:', '# aitool-hook v7:'))).toMatchObject({ kind: 'changed' });
    expect(classifyHookText(v7.replace('# aitool-hook v7:', '# aitool-hook v6:'))).toMatchObject({ kind: 'changed' });
    expect(classifyHookText(v7.replace('# aitool-hook v7:', '# aitool-hook v8:'))).toEqual({ kind: 'changed', reason: 'written by another aitool version (v8)' });
  });

  it("from v5, the script awaits the spare's answer with a reader of its own: emptied before the traps that stop it, so the user's environment never names it", () => {
    const text = hookScript({ hook: 'commit-msg', run: 'commit', node: '/opt/node/bin/node', bin: '/opt/aitool/bin/aitool.js' });
    expect(text).toContain(`reply=$(\n        reader=\n        trap 'kill "$pid" "$reader" 2>/dev/null; exit 130' INT\n        trap 'kill "$pid" "$reader" 2>/dev/null; exit 143' TERM\n        trap 'kill "$pid" "$reader" 2>/dev/null; exit 129' HUP\n        timeout 120 cat "$spares/$name.out" 2>/dev/null &\n        reader=$!\n        wait "$reader"\n      )`);
  });

  it('every launcher and hook: the unset comes after the chained hook and before every exec of aitool; shellcheck finds nothing', async () => {
    const dir = join(sandbox.root, 'scripts');
    await mkdir(dir);
    const launchers = { node: { node: '/opt/node/bin/node', bin: "/opt/it's/bin/aitool.js" }, standalone: { standalone: "/opt/it's/aitool" } };
    const files: string[] = [];
    for (const [name, launcher] of Object.entries(launchers)) {
      for (const choice of [{ hook: 'pre-commit' }, { hook: 'commit-msg' }, { hook: 'commit-msg', run: 'commit' }, { hook: 'pre-push' }] as const) {
        const text = hookScript({ ...choice, ...launcher });
        const unset = text.indexOf('\nunset NODE_EXTRA_CA_CERTS\n');
        expect(unset).toBeGreaterThan(text.lastIndexOf('"$chained" "$@"'));
        // The recorded aitool (piped its git answers, except pre-push), then aitool on PATH (which may be older: no answers).
        const starts = [...text.matchAll(/^ {2}(?:exec |git_answers 2>\/dev\/null \| ).*aitool.* hook run /gm)].map((m) => m.index);
        expect(starts).toHaveLength(2);
        for (const at of starts) expect(at).toBeGreaterThan(unset);
        expect(text.includes('git_answers 2>/dev/null |')).toBe(choice.hook !== 'pre-push');
        expect(text).toContain(`\n  exec aitool hook run ${choice.run ?? choice.hook} "$@"\n`);
        if (name === 'standalone') expect(text).toMatch(/\naitool='\/opt\/it'\\''s\/aitool'\nif \[ -f "\$aitool" \] && \[ -x "\$aitool" \]; then\n(?: {2}spare_answer "\$@"\n)? {2}(?:exec |git_answers 2>\/dev\/null \| )"\$aitool" hook run/);
        files.push(await writeExecutable(join(dir, `${choice.hook}-${choice.run ?? 'own'}-${name}.sh`), text));
      }
    }
    const lint = await execa('shellcheck', ['-s', 'sh', ...files], { reject: false });
    expect(lint.stdout + lint.stderr).toBe('');
    expect(lint.exitCode).toBe(0);
  });
});
