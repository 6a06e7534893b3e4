/**
 * A check starts git only where there is a repository to ask about: outside
 * one, the repo scanner finds no `.git` walking up and spawns nothing (git's
 * start-up was a check's largest single cost there). Inside one, git still
 * runs and the repository's AI tool files are still found. A `git` earlier on
 * PATH logs each call and hands over to the real one.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, runCli, type World } from './run-cli.js';

const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();

describe('git only in a repository', () => {
  let world: World;
  let log: string;
  let env: Record<string, string>;

  beforeEach(() => {
    world = makeWorld();
    log = join(world.root, 'git-calls.log');
    const bin = join(world.root, 'fake-bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${realGit}' "$@"\n`);
    chmodSync(join(bin, 'git'), 0o755);
    env = { PATH: `${bin}:${world.env.PATH}`, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  });
  afterEach(() => world.cleanup());

  it('outside a repository: no git process, and the check still runs', async () => {
    // The world is under the temp folder, which is no repository.
    expect(existsSync(join(world.root, '.git'))).toBe(false);
    const result = await runCli(['check', '--format', 'json'], world, env);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).skipped).toEqual([]);
    expect(existsSync(log)).toBe(false);
  });

  it('in a sub-folder of a repository: git runs and the tool files are found', async () => {
    execFileSync(realGit, ['init', '-q', world.cwd], { env: { ...process.env, ...env } });
    world.write('repo/CLAUDE.md', '# agent instructions\n');
    execFileSync(realGit, ['add', 'CLAUDE.md'], { cwd: world.cwd, env: { ...process.env, ...env } });
    const deep = join(world.cwd, 'src', 'deep');
    mkdirSync(deep, { recursive: true });
    const result = await runCli(['check', '--format', 'json'], { ...world, cwd: deep }, env);
    expect(result.exitCode, result.stderr).toBeLessThanOrEqual(1);
    expect(readFileSync(log, 'utf8')).toMatch(/ls-files/);
    expect(result.stdout).toContain('CLAUDE.md');
  });

  it('GIT_DIR set: git is asked even with no .git above', async () => {
    const result = await runCli(['check', '--format', 'json'], world, { ...env, GIT_DIR: join(world.root, 'nowhere') });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readFileSync(log, 'utf8')).toMatch(/ls-files/);
  });
});
