// The installed hook's script asks git while Node starts and hands the
// answers to aitool on stdin (`hook run <hook> --git-stdin`). What aitool
// takes from that stream, what it refuses to take, and that a stream cut
// short costs only speed: the real built CLI, real repositories and commits.
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { END_MARK, gitInputParts, parseGitInput } from '../../src/hooks/git-input.js';
import { SCRIPT_STAGED_ARGS } from '../../src/hooks/script.js';
import { STAGED_LIST_ARGS } from '../../src/git/files.js';
import { BIN, initRepo, makeWorld, runCli, type Git, type World } from '../cli/run-cli.js';

describe('the stream', () => {
  const both = gitInputParts('commit');

  it('carries what each hook asks for: commit the committer and the staged files, pre-commit the files, commit-msg the committer', () => {
    expect(gitInputParts('commit')).toEqual({ committer: true, staged: true });
    expect(gitInputParts('pre-commit')).toEqual({ committer: false, staged: true });
    expect(gitInputParts('commit-msg')).toEqual({ committer: true, staged: false });
    expect(parseGitInput(`Ada <a@b> 1 +0000\n\0A\0CLAUDE.md\0${END_MARK}`, both)).toEqual({ committer: 'Ada <a@b> 1 +0000\n', staged: 'A\0CLAUDE.md\0' });
    expect(parseGitInput(`M\0x\0${END_MARK}`, gitInputParts('pre-commit'))).toEqual({ staged: 'M\0x\0' });
    expect(parseGitInput(`Ada <a@b> 1 +0000\n\0${END_MARK}`, gitInputParts('commit-msg'))).toEqual({ committer: 'Ada <a@b> 1 +0000\n' });
    // Nothing staged is a listing too.
    expect(parseGitInput(`Ada <a@b> 1 +0000\n\0${END_MARK}`, both)).toEqual({ committer: 'Ada <a@b> 1 +0000\n', staged: '' });
  });

  it('is not used without the end mark, or with a part missing or left over', () => {
    expect(parseGitInput('', both)).toBeUndefined();
    expect(parseGitInput('Ada <a@b> 1 +0000\n\0A\0CLAUDE.md\0', both)).toBeUndefined();
    // Cut inside the mark.
    expect(parseGitInput(`Ada <a@b> 1 +0000\n\0${END_MARK.slice(0, -1)}`, both)).toBeUndefined();
    // No committer part where the hook asked for one.
    expect(parseGitInput(END_MARK, gitInputParts('commit-msg'))).toBeUndefined();
    // A listing where the hook asked for the committer alone.
    expect(parseGitInput(`Ada <a@b> 1 +0000\n\0A\0CLAUDE.md\0${END_MARK}`, gitInputParts('commit-msg'))).toBeUndefined();
  });

  it('files named like the mark stay files: the mark sits where a status would, and X is no status the listing lets through', () => {
    const listing = 'A\0X\0A\0aitool-end\0A\0CLAUDE.md\0';
    expect(parseGitInput(`${listing}${END_MARK}`, gitInputParts('pre-commit'))).toEqual({ staged: listing });
    // Without the mark, a listing ending in files named X and aitool-end is not taken for a whole one.
    expect(parseGitInput('A\0CLAUDE.md\0A\0X\0A\0aitool-end\0', gitInputParts('pre-commit'))).toBeUndefined();
    expect(SCRIPT_STAGED_ARGS).toContain('--diff-filter=ACMR');
  });

  it("the script asks git exactly what aitool would ask it (the template's text holds the arguments)", () => {
    expect([...SCRIPT_STAGED_ARGS]).toEqual([...STAGED_LIST_ARGS]);
  });
});

describe('hook run with --git-stdin (the real CLI)', () => {
  let world: World;
  let git: Git;
  let message: string;
  beforeEach(() => {
    world = makeWorld();
    git = initRepo(world);
    world.write('repo/.aitoolrc.yaml', 'tools:\n  claude-code: block\n  aider: block\n');
    git('add', '.aitoolrc.yaml');
    git('commit', '-q', '--no-verify', '-m', 'policy');
    message = world.write('repo/.git/COMMIT_EDITMSG', 'A plain message\n');
  });
  afterEach(() => world.cleanup());

  /** `hook run <hook> --git-stdin <message>` with `stdin` as the stream, as the hook script starts it. */
  function hookRun(hook: string, stdin: string, env: Record<string, string> = {}) {
    const result = spawnSync(process.execPath, [BIN, 'hook', 'run', hook, '--git-stdin', ...(hook === 'pre-commit' ? [] : [message])], {
      cwd: world.cwd,
      env: { ...world.env, GIT_CONFIG_NOSYSTEM: '1', ...env },
      input: stdin,
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { status: result.status, stderr: result.stderr };
  }

  it("takes the staged files from a whole stream: a CLAUDE.md the stream names is refused, though git's index has none", () => {
    const result = hookRun('commit', `Ada Lovelace <ada@example.com> 1 +0000\n\0A\0CLAUDE.md\0${END_MARK}`);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain('CLAUDE.md  (added, staged)');
  });

  it('reads a listing larger than one pipe buffer to its end: the last of 6,000 staged names counts', () => {
    const names = Array.from({ length: 6000 }, (_, i) => `A\0src/generated/file-${String(i).padStart(5, '0')}.ts\0`).join('');
    const stream = `Ada Lovelace <ada@example.com> 1 +0000\n\0${names}A\0docs/CLAUDE.md\0${END_MARK}`;
    expect(stream.length).toBeGreaterThan(2 * 64 * 1024);
    const result = hookRun('commit', stream);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain('docs/CLAUDE.md  (added, staged)');
  });

  it('asks git itself when the stream is cut short, empty or not there at all: a staged CLAUDE.md is still refused', () => {
    world.write('repo/CLAUDE.md', 'x\n');
    git('add', 'CLAUDE.md');
    for (const stream of ['', 'Ada Lovelace <ada@example.com> 1 +0000\n\0', `Ada Lovelace <ada@example.com> 1 +0000\n\0${END_MARK.slice(0, 4)}`]) {
      const result = hookRun('commit', stream);
      expect(result.status, JSON.stringify(stream)).toBe(1);
      expect(result.stderr).toContain('CLAUDE.md  (added, staged)');
    }
    expect(hookRun('pre-commit', 'A\0README\0').status).toBe(1);
  });

  it('does not wait on a terminal (someone typing the command): aitool asks git itself', () => {
    world.write('repo/CLAUDE.md', 'x\n');
    git('add', 'CLAUDE.md');
    // A pseudo-terminal as stdin that nobody types into and nobody closes: a read there would wait for ever.
    // Python's pty module makes one; its subprocess timeout ends only the aitool it started.
    const program = [
      'import json, os, pty, subprocess, sys',
      'master, slave = pty.openpty()',
      'try:',
      '    done = subprocess.run(sys.argv[1:], stdin=slave, capture_output=True, timeout=15)',
      '    print(json.dumps({"status": done.returncode, "stderr": done.stderr.decode()}))',
      'except subprocess.TimeoutExpired:',
      '    print(json.dumps({"status": "waited on the terminal"}))',
    ].join('\n');
    const result = spawnSync('python3', ['-c', program, process.execPath, BIN, 'hook', 'run', 'commit', '--git-stdin', message], {
      cwd: world.cwd,
      env: { ...world.env, GIT_CONFIG_NOSYSTEM: '1' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const outcome = JSON.parse(result.stdout) as { status: number | string; stderr?: string };
    expect(outcome.status).toBe(1);
    expect(outcome.stderr).toContain('CLAUDE.md  (added, staged)');
  });

  it("takes the committer from the stream when the environment has none (aider's `(aider)` committer), and the environment's over it", () => {
    const aider = `Ada Lovelace (aider) <ada@example.com> 1 +0000\n\0${END_MARK}`;
    const refused = hookRun('commit-msg', aider);
    expect(refused.status, refused.stderr).toBe(1);
    expect(refused.stderr).toContain('(aider, ');
    // git exports a committer it was given in the environment to the hook; that one counts.
    expect(hookRun('commit-msg', aider, { GIT_COMMITTER_NAME: 'Ada Lovelace', GIT_COMMITTER_EMAIL: 'ada@example.com' }).status).toBe(0);
    // Cut short: git var answers for the repository's own committer, who is no aider.
    expect(hookRun('commit-msg', 'Ada Lovelace (aider) <ada@example.com> 1 +0000\n\0').status).toBe(0);
  });

  it('a real commit through the installed hook: files named X and aitool-end beside CLAUDE.md; CLAUDE.md is refused and nothing else is named', async () => {
    expect((await runCli(['hook', 'install'], world, { GIT_CONFIG_NOSYSTEM: '1' })).exitCode).toBe(0);
    for (const name of ['X', 'aitool-end', 'CLAUDE.md']) world.write(`repo/${name}`, 'x\n');
    git('add', '.');
    const refused = spawnSync('git', ['commit', '-q', '-m', 'three files'], { cwd: world.cwd, env: { ...world.env, GIT_CONFIG_NOSYSTEM: '1' }, encoding: 'utf8' });
    expect(refused.status, refused.stderr).toBe(1);
    expect(refused.stderr).toContain('CLAUDE.md  (added, staged)');
    expect(refused.stderr).not.toMatch(/aitool-end {2}\(|\bX {2}\(/);
    git('rm', '-q', '--cached', 'CLAUDE.md');
    const passed = spawnSync('git', ['commit', '-q', '-m', 'two files'], { cwd: world.cwd, env: { ...world.env, GIT_CONFIG_NOSYSTEM: '1' }, encoding: 'utf8' });
    expect(passed.status, passed.stderr).toBe(0);
  });

  it('the installed script run by hand from inside the hooks folder ($0 without a slash) still runs the chained hook first', async () => {
    const hooks = join(world.cwd, '.git', 'hooks');
    const seen = join(world.root, 'chained-ran.txt');
    // It fails, so the hook ends with its exit code before aitool runs.
    writeFileSync(join(hooks, 'commit-msg'), `#!/bin/sh\necho "$1" > '${seen}'\nexit 3\n`);
    chmodSync(join(hooks, 'commit-msg'), 0o755);
    expect((await runCli(['hook', 'install'], world, { GIT_CONFIG_NOSYSTEM: '1' })).exitCode).toBe(0);
    const result = spawnSync('sh', ['commit-msg', message], { cwd: hooks, env: { ...world.env, GIT_CONFIG_NOSYSTEM: '1' }, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(3);
    expect(readFileSync(seen, 'utf8')).toBe(`${message}\n`);
  });
});
