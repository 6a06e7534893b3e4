/**
 * Finding 11: a `~/.gitconfig` that is a FIFO makes every git call block in
 * open() for ever. The repo scanner's budget must end its git children too,
 * so that `check` and the pre-commit hook exit by themselves, report the repo
 * scanner as skipped, and leave no git behind.
 *
 * Only processes this test starts are ever signalled: the aitool it spawns,
 * and only if it hangs. Its git children are only looked at, through /proc.
 */
import { spawn } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { BIN } from '../cli/run-cli.js';
import { makeRepoWorld, type RepoWorld } from '../hooks/helpers.js';

const HANG_LIMIT_MS = 20_000;

interface ProcInfo {
  pid: number;
  comm: string;
  ppid: number;
  state: string;
  /** Start time in clock ticks since boot: with the pid, names one process even if the pid is reused. */
  start: string;
}

async function procInfo(pid: number): Promise<ProcInfo | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (stat === undefined) return undefined;
  // comm is in parentheses and may hold spaces or parentheses; the fields after the last ')' are fixed.
  const close = stat.lastIndexOf(')');
  const comm = stat.slice(stat.indexOf('(') + 1, close);
  const fields = stat.slice(close + 2).split(' ');
  return { pid, comm, state: fields[0]!, ppid: Number(fields[1]), start: fields[19]! };
}

async function childrenOf(parent: number): Promise<ProcInfo[]> {
  const found: ProcInfo[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const info = await procInfo(Number(name));
    if (info?.ppid === parent) found.push(info);
  }
  return found;
}

/** Still running (a zombie has finished; it only waits to be reaped). */
async function stillRunning(process: ProcInfo): Promise<boolean> {
  const now = await procInfo(process.pid);
  return now !== undefined && now.start === process.start && now.state !== 'Z' && now.state !== 'X';
}

async function releaseFifo(fifo: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    try {
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
    } catch {
      return; // ENXIO: nobody has it open for reading any more
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Outcome {
  exitedByItself: boolean;
  ms: number;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  gitChildren: ProcInfo[];
}

/** Runs the built CLI in the world's repository, watching its children; kills it (only it) if it outlives HANG_LIMIT_MS. */
async function runWatched(args: string[], rw: RepoWorld): Promise<Outcome> {
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, ...args], { cwd: rw.repo, env: rw.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const seen = new Map<string, ProcInfo>();
  let exited = false;
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let killedByTest = false;
  const killer = setTimeout(() => {
    killedByTest = true;
    child.kill('SIGKILL');
  }, HANG_LIMIT_MS);
  const watching = (async () => {
    while (!exited) {
      for (const c of await childrenOf(child.pid!)) if (c.comm === 'git') seen.set(`${c.pid}:${c.start}`, c);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const exitCode = await exit;
  exited = true;
  clearTimeout(killer);
  await watching;
  return { exitedByItself: !killedByTest, ms: Date.now() - started, stdout, stderr, exitCode, gitChildren: [...seen.values()] };
}

describe('a ~/.gitconfig that is a FIFO', () => {
  let rw: RepoWorld | undefined;
  afterEach(async () => {
    // A git still blocked on the FIFO (only if the code under test failed) is released by a writer opening and closing it: no signal needed.
    if (rw) await releaseFifo(join(rw.world.home, '.gitconfig'));
    rw?.world.cleanup();
    rw = undefined;
  });

  async function fifoWorld(): Promise<RepoWorld> {
    rw = await makeRepoWorld();
    // The repository is made first (git needs its config then); from now on every git here blocks opening it.
    await execa('mkfifo', [join(rw.world.home, '.gitconfig')]);
    return rw;
  }

  async function expectNoGitLeft(outcome: Outcome): Promise<void> {
    // The scenario is real: git was started and blocked.
    expect(outcome.gitChildren.length).toBeGreaterThan(0);
    // Give the kernel a moment to finish reaping a just-killed child.
    const deadline = Date.now() + 2000;
    let left = outcome.gitChildren;
    while (left.length > 0 && Date.now() < deadline) {
      left = (await Promise.all(left.map(async (p) => ((await stillRunning(p)) ? p : undefined)))).filter((p): p is ProcInfo => p !== undefined);
      if (left.length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(left).toEqual([]);
  }

  it('check exits by itself, reports the repo scanner skipped and leaves no git running', async () => {
    const world = await fifoWorld();
    const outcome = await runWatched(['check', '--format', 'json'], world);
    expect(outcome.exitedByItself).toBe(true);
    expect(outcome.ms).toBeLessThan(HANG_LIMIT_MS);
    expect(outcome.exitCode).toBe(0);
    const report = JSON.parse(outcome.stdout) as { skipped: Array<{ scanner: string; reason: string }> };
    expect(report.skipped).toContainEqual({ scanner: 'repo', reason: expect.stringMatching(/timed out after \d+ ms/) });
    await expectNoGitLeft(outcome);
  }, 40_000);

  it('the pre-commit hook exits by itself, says the repo scanner was skipped and leaves no git running', async () => {
    const world = await fifoWorld();
    const outcome = await runWatched(['hook', 'run', 'pre-commit'], world);
    expect(outcome.exitedByItself).toBe(true);
    expect(outcome.ms).toBeLessThan(HANG_LIMIT_MS);
    expect(outcome.stderr).toMatch(/skipped: repo scanner: timed out after \d+ ms/);
    await expectNoGitLeft(outcome);
  }, 40_000);
});

describe('runGit', () => {
  let rw: RepoWorld | undefined;
  afterEach(async () => {
    if (rw) await releaseFifo(join(rw.world.home, '.gitconfig'));
    rw?.world.cleanup();
    rw = undefined;
  });

  it('kills a git that runs past its deadline, with no caller signal (the commit-msg and pre-push calls)', async () => {
    rw = await makeRepoWorld();
    await execa('mkfifo', [join(rw.world.home, '.gitconfig')]);
    const { runGit, GitTimedOut } = await import('../../src/git/run.js');
    const started = Date.now();
    // Long enough for a loaded machine to show the git child before the deadline kills it.
    const call = runGit(rw.repo, ['var', 'GIT_AUTHOR_IDENT'], { env: rw.env, timeoutMs: 3000 });
    // Handled from the start: the rejection may come while the child is being looked for.
    const timedOut = expect(call).rejects.toBeInstanceOf(GitTimedOut);
    const git = await waitForGitChild();
    await timedOut;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await stillRunning(git)).toBe(false);
  });

  it('kills git with SIGKILL when the caller aborts', async () => {
    rw = await makeRepoWorld();
    await execa('mkfifo', [join(rw.world.home, '.gitconfig')]);
    const { runGit } = await import('../../src/git/run.js');
    const controller = new AbortController();
    const call = runGit(rw.repo, ['ls-files'], { env: rw.env, signal: controller.signal });
    const git = await waitForGitChild();
    controller.abort(new Error('budget'));
    await expect(call).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await stillRunning(git)).toBe(false);
  });
});

/** The git this test process just started (vitest runs each file in its own worker process). */
async function waitForGitChild(): Promise<ProcInfo> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const git = (await childrenOf(process.pid)).find((c) => c.comm === 'git' && c.state !== 'Z');
    if (git) return git;
    if (Date.now() > deadline) throw new Error('git was not started');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('hook install with a ~/.gitconfig that is a FIFO', () => {
  let rw: RepoWorld | undefined;
  afterEach(async () => {
    if (rw) await releaseFifo(join(rw.world.home, '.gitconfig'));
    rw?.world.cleanup();
    rw = undefined;
  });

  it('ends at the git deadline with one line and exit 2, leaving no git running', async () => {
    rw = await makeRepoWorld();
    await execa('mkfifo', [join(rw.world.home, '.gitconfig')]);
    const outcome = await runWatched(['hook', 'install'], rw);
    expect(outcome.exitedByItself).toBe(true);
    expect(outcome.exitCode).toBe(2);
    expect(outcome.stderr).toMatch(/^aitool: git rev-parse did not finish within 10 s and was stopped \(a git config file that is a FIFO, or on a hung mount\?\)\n$/);
    expect(outcome.gitChildren.length).toBeGreaterThan(0);
    for (const git of outcome.gitChildren) expect(await stillRunning(git)).toBe(false);
  }, 40_000);
});
