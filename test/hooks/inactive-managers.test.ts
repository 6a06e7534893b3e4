// Finding 9: a hook manager counts only when it runs hooks today. A committed
// lefthook.yml without lefthook, or a .husky folder that core.hooksPath does
// not point at, runs nothing; aitool must then install its own hooks, say so,
// and a commit with a staged CLAUDE.md must be refused. Real repositories,
// the built CLI, real `git commit`s.
import { existsSync } from 'node:fs';
import { lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { git, gitOk, makeRepoWorld, writeExecutable, type RepoWorld } from './helpers.js';

const LEFTHOOK_YML = 'pre-commit:\n  commands:\n    lint:\n      run: npx eslint {staged_files}\n';
/** The shape of what `lefthook install` writes into .git/hooks (abridged): it finds lefthook and runs it, or says it cannot and exits 0. */
const LEFTHOOK_SCRIPT = `#!/bin/sh
if [ "$LEFTHOOK" = "0" ]; then
  exit 0
fi
call_lefthook()
{
  if lefthook -h >/dev/null 2>&1; then
    lefthook "$@"
  else
    echo "Can't find lefthook in PATH"
  fi
}
call_lefthook run "pre-commit" "$@"
`;

let rw: RepoWorld;
let managedEnv: Record<string, string>;
beforeEach(async () => {
  rw = await makeRepoWorld();
  // No lefthook from this machine: whether it is "installed" is up to each test.
  const path = (rw.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '' && !existsSync(join(dir, 'lefthook')))
    .join(delimiter);
  rw.env.PATH = path;
  rw.world.env.PATH = path;
  const managed = rw.world.write('managed/policy.yaml', 'tools:\n  claude-code:\n    action: block\n    reason: Code stays in the company.\n');
  managedEnv = { ...rw.env, AITOOL_MANAGED_POLICY: managed };
});
afterEach(() => rw.world.cleanup());

async function commitClaudeMd(): Promise<{ exitCode: number; stderr: string; head: string }> {
  await writeFile(join(rw.repo, 'CLAUDE.md'), '# Instructions for the agent\n');
  await gitOk(rw.repo, ['add', 'CLAUDE.md'], managedEnv);
  const result = await git(rw.repo, ['commit', '-q', '-m', 'add agent instructions'], managedEnv);
  return { exitCode: result.exitCode, stderr: result.stderr, head: (await gitOk(rw.repo, ['log', '-1', '--format=%s'], managedEnv)).trim() };
}

async function expectOwnHooks(): Promise<void> {
  // The default install: commit-msg alone, checking the staged files too.
  const text = await readFile(join(rw.repo, '.git', 'hooks', 'commit-msg'), 'utf8');
  expect(text).toContain('aitool-hook v7: commit-msg');
  expect(text).toContain('hook run commit "$@"');
}

async function expectCommitRefused(): Promise<void> {
  const commit = await commitClaudeMd();
  expect(commit.exitCode, commit.stderr).not.toBe(0);
  expect(commit.stderr).toMatch(/BLOCK {2}Claude Code/);
  expect(commit.stderr).toContain('CLAUDE.md');
  expect(commit.head).toBe('first');
}

describe('lefthook.yml without a working lefthook', () => {
  it('hook install installs aitool\'s own hooks, says why, leaves lefthook.yml alone; a commit with CLAUDE.md is refused', async () => {
    await writeFile(join(rw.repo, 'lefthook.yml'), LEFTHOOK_YML);
    const result = await rw.cli(['install', '--write']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      "lefthook.yml found but lefthook is not installed (not on PATH, not in node_modules) and its hooks are not in .git/hooks: installed aitool's own hooks instead",
    );
    expect(result.stdout).toContain('commit-msg: installed (');
    expect(await readFile(join(rw.repo, 'lefthook.yml'), 'utf8')).toBe(LEFTHOOK_YML);
    await expectOwnHooks();
    await expectCommitRefused();
  });

  it('onboard does the same', async () => {
    await writeFile(join(rw.repo, 'lefthook.yml'), LEFTHOOK_YML);
    // The hooks are what this is about: the machine's processes and this session's ancestry (other test files'
    // agents, whatever agent runs the suite) would add findings that change onboard's exit code.
    const quiet = rw.world.write('quiet-policy.yaml', 'scanners:\n  processes: false\n  session: false\n');
    const result = await runCli(['onboard', '--repo', '.', '--no-color', '--policy', quiet], rw.world, { GIT_CONFIG_NOSYSTEM: '1' });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/✔ \.\n {4}lefthook\.yml found but lefthook is not installed .*: installed aitool's own hooks instead/);
    await expectOwnHooks();
    await expectCommitRefused();
  });

  it('lefthook in node_modules but "lefthook install" never run: own hooks, and the lefthook binary is never run', async () => {
    await writeFile(join(rw.repo, 'lefthook.yml'), LEFTHOOK_YML);
    const ran = join(rw.world.root, 'lefthook-ran');
    await mkdir(join(rw.repo, 'node_modules', '.bin'), { recursive: true });
    await writeExecutable(join(rw.repo, 'node_modules', '.bin', 'lefthook'), `#!/bin/sh\ntouch '${ran}'\n`);
    const result = await rw.cli(['install']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(`lefthook.yml found but lefthook's hooks are not in .git/hooks ("lefthook install" has not run): installed aitool's own hooks instead`);
    await expectOwnHooks();
    await expectCommitRefused();
    expect(existsSync(ran)).toBe(false);
  });

  it("lefthook's scripts in .git/hooks but no lefthook to run them: own hooks, lefthook's pre-commit script left as it is", async () => {
    await writeFile(join(rw.repo, 'lefthook.yml'), LEFTHOOK_YML);
    await writeExecutable(join(rw.repo, '.git', 'hooks', 'pre-commit'), LEFTHOOK_SCRIPT);
    const result = await rw.cli(['install']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain("lefthook.yml found but lefthook's hooks are in .git/hooks but lefthook itself is not installed");
    expect(await readFile(join(rw.repo, '.git', 'hooks', 'pre-commit'), 'utf8')).toBe(LEFTHOOK_SCRIPT);
    await expectOwnHooks();
    await expectCommitRefused();
  });

  it('with lefthook installed and its hooks in place, aitool goes through lefthook.yml (the binary is found, not run)', async () => {
    await writeFile(join(rw.repo, 'lefthook.yml'), LEFTHOOK_YML);
    const ran = join(rw.world.root, 'lefthook-ran');
    await mkdir(join(rw.repo, 'node_modules', '.bin'), { recursive: true });
    await writeExecutable(join(rw.repo, 'node_modules', '.bin', 'lefthook'), `#!/bin/sh\ntouch '${ran}'\n`);
    await writeExecutable(join(rw.repo, '.git', 'hooks', 'pre-commit'), LEFTHOOK_SCRIPT);
    const result = await rw.cli(['install']);
    expect(result.stdout).toContain("lefthook runs this repository's hooks (lefthook.yml)");
    expect(await readFile(join(rw.repo, '.git', 'hooks', 'pre-commit'), 'utf8')).toBe(LEFTHOOK_SCRIPT);
    expect(existsSync(ran)).toBe(false);
  });
});

describe('a .husky folder that core.hooksPath does not point at', () => {
  it('(a fresh clone: package.json would switch husky on at npm install) gets aitool\'s own hooks, with the reason; a commit with CLAUDE.md is refused', async () => {
    await mkdir(join(rw.repo, '.husky'));
    await writeFile(join(rw.repo, '.husky', 'pre-commit'), 'npm test\n');
    await writeFile(join(rw.repo, 'package.json'), JSON.stringify({ scripts: { prepare: 'husky' } }));
    const result = await rw.cli(['install', '--write']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain(".husky found but core.hooksPath does not point at it, so husky runs no hooks: installed aitool's own hooks instead");
    expect(await readFile(join(rw.repo, '.husky', 'pre-commit'), 'utf8')).toBe('npm test\n');
    await expect(lstat(join(rw.repo, '.husky', 'commit-msg'))).rejects.toThrow();
    await expectOwnHooks();
    await expectCommitRefused();
  });
});
