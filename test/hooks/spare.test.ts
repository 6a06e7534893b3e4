// Spares (templates v4 to v6): an aitool that the last commit's hook started waits
// in the user's runtime folder (or, from v6 and without one, in a folder of
// the user's own in the temporary folder) and answers the next commit. Real
// commits through the installed script, the real built CLI, a runtime or
// temporary folder of the test's own (the suite runs without
// XDG_RUNTIME_DIR and with AITOOL_HOOK_SPARE=0 otherwise: see
// vitest.config.ts). Every spare a test starts is stopped after it, found by
// its command line, which names the test's own temp folder.
import { execFileSync, spawn, spawnSync, type ChildProcess, type StdioOptions } from 'node:child_process';
import { chmodSync, chownSync, closeSync, constants, cpSync, openSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installHooksCommand } from '../../src/hooks/command.js';
import { hookScript } from '../../src/hooks/script.js';
import { CI_VARIABLES, parseEnviron, REPLY_WAIT_SECONDS } from '../../src/hooks/spare.js';
import { BIN, initRepo, makeWorld, type Git, type World } from '../cli/run-cli.js';
import { makeOwnAgentTool, ownAgentPolicy } from '../helpers/own-agent.js';
import { killOwnGroup, killSpawned, spawnNativeBinary, waitFor, waitForExe } from '../helpers/processes.js';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

/**
 * Run as the user in the container test below: commits through installed hooks, and how each was answered. A spare
 * that answered has ended (one nobody claims waits), and the next is then ready.
 */
const CONTAINER_COMMITS = `set -eu
wait_for() { i=0; while ! eval "$1"; do i=$((i+1)); [ $i -lt 300 ] || { echo "timed out: $1"; exit 1; }; sleep 0.05; done; }
ready_pid() { for f in /tmp/aitool-*/s*.pid; do [ -f "$f" ] && [ ! -e "\${f%.pid}.claim" ] && { read -r p _ <"$f"; echo "$p"; return; }; done; }
mkdir /tmp/home /tmp/repo
cd /tmp/repo
git init -q
git config user.name t
git config user.email t@example.test
printf 'tools:\\n  claude-code: block\\n' >.aitoolrc.yaml
git add .aitoolrc.yaml
git commit -q --no-verify -m policy
"$NODE" /tmp/pkg/bin/aitool.js hook install >/dev/null
git commit -q --allow-empty -m first
wait_for '[ -n "$(ready_pid)" ]'
first=$(ready_pid)
echo "folder $(cd /tmp/aitool-* && pwd) $(stat -c %a /tmp/aitool-*)"
echo x >CLAUDE.md
git add CLAUDE.md
set +e
CLAUDECODE=1 git commit -q -m second 2>/tmp/second.err
echo "second $?"
set -e
echo "report $(grep -c 'CLAUDE.md  (added, staged)' /tmp/second.err)"
wait_for '[ ! -e /proc/$first ]'
wait_for '[ -n "$(ready_pid)" ] && [ "$(ready_pid)" != "$first" ]'
echo "answered by the spare"
next=$(ready_pid)
git rm -q --cached CLAUDE.md
TMPDIR=/tmp/ git commit -q --allow-empty -m third
wait_for '[ ! -e /proc/$next ]'
echo "answered by the next spare, under TMPDIR=/tmp/"
`;

let world: World;
let git: Git;
/** Where the hooks keep spares: the runtime folder the test gives them, or (`temp`) the temporary folder, without one. */
let runDir: string;
let place: 'runtime' | 'temp' = 'runtime';
let log: string;
let loggingNode: string;
const started: ChildProcess[] = [];

/** The spares folder of the installation the hooks run (one per installation below the runtime folder). */
function sparesFolder(): string {
  const entries = readdirSync(runDir).filter((entry) => entry.startsWith('aitool-'));
  if (entries.length !== 1) throw new Error(`expected one spares folder in ${runDir}, found ${entries.join(', ') || 'none'}`);
  return join(runDir, entries[0]!);
}

/** Whether a process has ended: gone, or a zombie (its parent is init, which may reap it late). */
function ended(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

const alive = (pid: number): boolean => !ended(pid);

/** Waits until `pid` has ended. */
const endOf = (pid: number): Promise<true> => waitFor(() => (ended(pid) ? true : undefined), 5000, `pid ${pid} to end`);

/** Pids of the spares this test started: their command line names a folder in its world, a fresh temp path. */
function ourSpares(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const at = argv.indexOf('spare');
    if (at > 0 && argv[at - 1] === 'hook' && argv[at + 1]?.startsWith(`${world.root}/`)) pids.push(Number(entry));
  }
  return pids;
}

/** The spare that is ready (its pid file written), once there is one. */
function readySpare(except: readonly string[] = []): Promise<{ name: string; pid: number }> {
  return waitFor(
    () => {
      if (!existsSync(runDir) || !readdirSync(runDir).some((entry) => entry.startsWith('aitool-'))) return undefined;
      const folder = sparesFolder();
      const pidFile = readdirSync(folder).find((entry) => /^s[0-9]+\.pid$/.test(entry) && !except.includes(entry.slice(0, -4)) && !existsSync(join(folder, entry.replace('.pid', '.claim'))));
      if (!pidFile) return undefined;
      // `<pid> <fd>`: the spare's pid and the descriptor it holds its FIFO open on.
      return { name: pidFile.slice(0, -4), pid: Number(readFileSync(join(folder, pidFile), 'utf8').split(' ')[0]) };
    },
    15_000,
    'a spare to be ready',
  );
}

/** The commit's environment: spares on (the world turns them off), in the test's runtime folder or its temporary folder. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  const { AITOOL_HOOK_SPARE: _off, ...base } = world.env;
  return { ...base, GIT_CONFIG_NOSYSTEM: '1', ...(place === 'runtime' ? { XDG_RUNTIME_DIR: runDir } : { TMPDIR: runDir }), ...extra };
}

/** `git commit` through the installed hook; a hook that kept git's pipes open (a spare holding them) fails on the timeout. */
function commit(message: string, extra: Record<string, string> = {}, cwd = world.cwd) {
  const result = spawnSync('git', ['commit', '-q', '-m', message], { cwd, env: env(extra), encoding: 'utf8', timeout: 30_000 });
  if (result.status === null) throw new Error(`git commit did not end: ${result.error?.message ?? result.signal}`);
  return { status: result.status, stderr: result.stderr };
}

/** The `hook run` starts logged since the last call. */
function hookRuns(): string[] {
  return logged().filter((line) => line.includes('hook run'));
}

/** Every start of the test's node logged since the last call (`hook run`, `hook spare`). */
function logged(): string[] {
  const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  writeFileSync(log, '');
  return lines;
}

/**
 * Installs the hooks with the test's node: a wrapper that appends its
 * arguments to the log and execs the real node. A commit a spare answered
 * starts no `hook run`.
 */
async function install(bin = BIN, cwd = world.cwd): Promise<void> {
  await installHooksCommand({}, { cwd, env: { ...world.env, GIT_CONFIG_NOSYSTEM: '1' } }, { node: loggingNode, bin });
}

/**
 * A stand-in spare `name` of this user's in `folder` that passes every check
 * the script makes: it holds its FIFO open as its pid file says, takes the
 * request, opens the answer's FIFO as a spare does, and then runs `then`
 * (JavaScript, with `fs` and `dir`). A group of its own, so that the test's
 * cleanup ends it whatever the hook does.
 */
function standInSpare(folder: string, name: string, then: string): ChildProcess {
  execFileSync('mkfifo', ['-m', '600', join(folder, `${name}.in`), join(folder, `${name}.out`)]);
  const source = `const fs = require('node:fs');
const [dir, name] = process.argv.slice(1);
const input = fs.openSync(dir + '/' + name + '.in', fs.constants.O_RDWR);
fs.writeFileSync(dir + '/' + name + '.pid', process.pid + ' ' + input + '\\n' + dir + '\\n');
fs.readSync(input, Buffer.alloc(4096));
for (;;) {
  try { fs.openSync(dir + '/' + name + '.out', fs.constants.O_WRONLY | fs.constants.O_NONBLOCK); break; } catch { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5); }
}
${then}`;
  return spawn(process.execPath, ['-e', source, folder, name], { stdio: 'ignore', detached: true });
}

/** A `sleep` of this test's holding `fifo` open on its fd 0, as a spare holds its own. */
function holding(fifo: string, as: { uid?: number; gid?: number } = {}, on = 0): ChildProcess {
  const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK);
  const stdio: StdioOptions = Array.from({ length: on + 1 }, (_, index) => (index === on ? fd : 'ignore'));
  const child = spawn('sleep', ['60'], { ...as, detached: true, stdio });
  closeSync(fd);
  started.push(child);
  return child;
}

/** Stages CLAUDE.md and commits: refused, by an aitool the script started (no spare answered). */
function refusedByAStartedAitool(message: string, extra: Record<string, string> = {}): void {
  world.write('repo/CLAUDE.md', 'x\n');
  git('add', 'CLAUDE.md');
  const result = commit(message, extra);
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('CLAUDE.md  (added, staged)');
  expect(hookRuns()).toHaveLength(1);
}

/** Installs the hooks and makes a first commit (aitool started by the script), which starts a spare; resolves once it is ready. */
async function firstSpare(): Promise<{ name: string; pid: number }> {
  await install();
  world.write('repo/notes.txt', 'one\n');
  git('add', 'notes.txt');
  expect(commit('first').status).toBe(0);
  return readySpare();
}

/**
 * Whether the spares folder holds a whole refusal: its path and its reason,
 * each on a line. The spare makes the file and then writes it, so a file that
 * is there may still be empty for a moment.
 */
function refusalRecorded(): boolean {
  const file = join(sparesFolder(), 'refused');
  return existsSync(file) && /^[^\n]+\n[^\n]+\n$/.test(readFileSync(file, 'utf8'));
}

/** Stops a spare as its user would (SIGTERM) and waits for it to end. */
async function stopSpare(spare: { pid: number }): Promise<void> {
  process.kill(spare.pid, 'SIGTERM');
  await endOf(spare.pid);
}

beforeEach(() => {
  world = makeWorld();
  git = initRepo(world);
  place = 'runtime';
  runDir = join(world.root, 'run');
  mkdirSync(runDir, { mode: 0o700 });
  log = join(world.root, 'starts.log');
  loggingNode = join(world.root, 'node');
  writeFileSync(loggingNode, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${process.execPath}' "$@"\n`, { mode: 0o755 });
  world.write('repo/.aitoolrc.yaml', 'tools:\n  claude-code: block\n');
  git('add', '.aitoolrc.yaml');
  git('commit', '-q', '--no-verify', '-m', 'policy');
});

afterEach(async () => {
  // Until none is left: the last commit's spare may still be starting.
  await waitFor(
    () => {
      const pids = ourSpares();
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // Ended between the listing and the signal.
        }
      }
      return pids.length === 0 ? true : undefined;
    },
    10_000,
    "this test's spares to end",
  );
  for (const child of started.splice(0)) killOwnGroup(child);
  await killSpawned();
  world.cleanup();
});

describe('a spare answers the next commit', () => {
  it('the first commit starts one; the next is answered by it (no aitool started), with the report a started aitool gives', async () => {
    await install();
    world.write('repo/notes.txt', 'one\n');
    git('add', 'notes.txt');
    expect(commit('first').status).toBe(0);
    const spare = await readySpare();
    expect(hookRuns()).toHaveLength(1);

    world.write('repo/CLAUDE.md', 'x\n');
    git('add', 'CLAUDE.md');
    const message = 'second\n\nCo-Authored-By: Claude <noreply@anthropic.com>';
    const warm = commit(message, { CLAUDECODE: '1' });
    expect(hookRuns()).toEqual([]);
    await endOf(spare.pid);
    expect(readdirSync(sparesFolder()).filter((entry) => entry.startsWith(`${spare.name}.`))).toEqual([]);
    const next = await readySpare();
    expect(next.pid).not.toBe(spare.pid);

    // The same commit with spares off: aitool started by the script, as before.
    const cold = commit(message, { CLAUDECODE: '1', AITOOL_HOOK_SPARE: '0' });
    expect(hookRuns()).toHaveLength(1);
    expect(cold.status).toBe(1);
    expect(warm).toEqual(cold);
    expect(warm.stderr).toContain('environment CLAUDECODE=1');
    expect(warm.stderr).toContain('CLAUDE.md  (added, staged)');
    expect(warm.stderr).toContain('Co-Authored-By: Claude');
    // The spare that answered nothing is still there for the next commit.
    expect(alive(next.pid)).toBe(true);
  });

  it("takes the commit's environment, folder and policy, not the ones it was started with", async () => {
    const other = join(world.root, 'other');
    mkdirSync(other);
    spawnSync('git', ['init', '-q', '-b', 'main', other]);
    for (const [key, value] of [['user.name', 'Other'], ['user.email', 'o@example.com'], ['commit.gpgsign', 'false']]) spawnSync('git', ['-C', other, 'config', key!, value!]);
    writeFileSync(join(other, '.aitoolrc.yaml'), 'tools:\n  claude-code: allow\n');
    await install();
    await install(BIN, other);

    // Started by a commit made inside Claude Code (CLAUDECODE=1 in its environment) ...
    world.write('repo/notes.txt', 'one\n');
    git('add', 'notes.txt');
    expect(commit('first', { CLAUDECODE: '1' }).status).toBe(1);
    await readySpare();
    hookRuns();
    // ... it answers a commit in another repository, from a plain terminal, under that repository's policy.
    writeFileSync(join(other, 'CLAUDE.md'), 'x\n');
    spawnSync('git', ['-C', other, 'add', '.']);
    const there = commit('other', {}, other);
    expect(hookRuns()).toEqual([]);
    expect(there.status, there.stderr).toBe(0);
    expect(there.stderr).not.toContain('CLAUDECODE');
    await readySpare();

    // Started from that plain terminal, it answers a commit made inside Claude Code, here.
    const here = commit('again', { CLAUDECODE: '1' });
    expect(hookRuns()).toEqual([]);
    expect(here.status).toBe(1);
    expect(here.stderr).toContain('environment CLAUDECODE=1');
    await readySpare();

    // A policy changed after the spare started is the one that counts.
    world.write('repo/.aitoolrc.yaml', 'tools:\n  claude-code: allow\n');
    const allowed = commit('allowed now', { CLAUDECODE: '1' });
    expect(hookRuns()).toEqual([]);
    expect(allowed.status, allowed.stderr).toBe(0);
  });

  it('an installation changed since the spare started: it declines, and the aitool installed now answers', async () => {
    // A copy of this package, so that changing it touches nothing another test uses.
    const root = join(dirname(BIN), '..');
    const copy = join(world.root, 'package');
    for (const part of ['bin', 'dist', 'package.json']) cpSync(join(root, part), join(copy, part), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
    await install(join(copy, 'bin', 'aitool.js'));
    world.write('repo/notes.txt', 'one\n');
    git('add', 'notes.txt');
    expect(commit('first').status).toBe(0);
    const spare = await readySpare();
    hookRuns();
    // An upgrade in place: the same paths, new files.
    writeFileSync(join(copy, 'package.json'), readFileSync(join(copy, 'package.json')));

    refusedByAStartedAitool('second');
    await endOf(spare.pid);
  });

  it('holds none of the pipes the commit was run with: a program reading them to their end is not kept waiting', async () => {
    await install();
    world.write('repo/notes.txt', 'one\n');
    git('add', 'notes.txt');
    // Pipes besides stdout and stderr, as some tools run git; git and the hook script pass them on. fd 3 is one Node
    // marks close-on-exec at start; fd 30, after a gap, is one it does not reach (what the spare closes itself).
    const stdio: StdioOptions = ['ignore', 'pipe', 'pipe', 'pipe', ...Array<'ignore'>(26).fill('ignore'), 'pipe'];
    const child = spawn('git', ['commit', '-q', '-m', 'first'], { cwd: world.cwd, env: env(), stdio });
    const closed = new Promise<number | null>((resolve) => child.on('close', (code: number | null) => resolve(code)));
    const timeout = new Promise<'still open'>((resolve) => setTimeout(() => resolve('still open'), 10_000));
    expect(await Promise.race([closed, timeout])).toBe(0);
    // The spare that commit started is running, without those pipes.
    const spare = await readySpare();
    expect(alive(spare.pid)).toBe(true);
  });

  it("waits with an empty environment: it does not carry what the commit that started it ran inside", async () => {
    await install();
    world.write('repo/notes.txt', 'one\n');
    git('add', 'notes.txt');
    commit('first', { CLAUDECODE: '1', CLAUDE_AGENT_SDK_VERSION: '0.1.0' });
    const spare = await readySpare();
    expect(readFileSync(`/proc/${spare.pid}/environ`, 'utf8')).toBe('');
  });

  it('declines a commit whose Node would start with NODE_OPTIONS (the spare did not): aitool starts as before', async () => {
    await firstSpare();
    hookRuns();
    refusedByAStartedAitool('second', { NODE_OPTIONS: '--no-warnings' });
  });

  it('declines a commit whose started aitool would see another environment: a variable the script sets that the user exports, NODE_DEBUG', async () => {
    await firstSpare();
    world.write('repo/CLAUDE.md', 'x\n');
    git('add', 'CLAUDE.md');
    for (const extra of [{ name: 'exported by the user' }, { NODE_DEBUG: 'nothing' }] as Array<Record<string, string>>) {
      hookRuns();
      const result = commit('declined', extra);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('CLAUDE.md  (added, staged)');
      expect(hookRuns()).toHaveLength(1);
      await readySpare();
    }
  });

  it('a stopped spare (Ctrl-Z, a debugger) is passed over at once, not waited for', async () => {
    const spare = await firstSpare();
    process.kill(spare.pid, 'SIGSTOP');
    try {
      hookRuns();
      world.write('repo/CLAUDE.md', 'x\n');
      git('add', 'CLAUDE.md');
      const before = Date.now();
      expect(commit('refused').status).toBe(1);
      expect(Date.now() - before).toBeLessThan(5000);
      expect(hookRuns()).toHaveLength(1);
      expect(existsSync(join(sparesFolder(), `${spare.name}.claim`))).toBe(false);
    } finally {
      process.kill(spare.pid, 'SIGCONT');
    }
  });

  it.runIf(isRoot)('declines a commit made with other groups than the commit that started the spare (it could read what the commit could not)', async () => {
    await install();
    world.write('repo/notes.txt', 'one\n');
    git('add', 'notes.txt');
    // The spare is started by a commit with one more supplementary group.
    const first = spawnSync('setpriv', ['--groups', '2000', '--', 'git', 'commit', '-q', '-m', 'with group 2000'], { cwd: world.cwd, env: env(), encoding: 'utf8', timeout: 30_000 });
    expect(first.status, first.stderr).toBe(0);
    await readySpare();
    hookRuns();
    refusedByAStartedAitool('without it');
  });

  it('one waiting spare is enough: another that gets ready beside it ends and removes its files', async () => {
    const spare = await firstSpare();
    const folder = sparesFolder();
    execFileSync('mkfifo', ['-m', '600', join(folder, 's5.in'), join(folder, 's5.out')]);
    // The spare itself (--started), not its starter: it must end by itself, at once, having found the other one waiting.
    const second = spawnSync(process.execPath, [BIN, 'hook', 'spare', folder, 's5', '--started'], { env: {}, encoding: 'utf8', timeout: 15_000 });
    expect(second.status, second.stderr).toBe(0);
    expect(readdirSync(folder).filter((entry) => entry.startsWith('s5.'))).toEqual([]);
    expect(ourSpares()).toEqual([spare.pid]);
  });

  it('a spare nobody claims ends by itself once idle, removing its files; one a script has claimed waits for its request instead', async () => {
    // The spare itself (--started), as its starter runs it, with a short idle time (its starter gives it none: 30 min).
    const folder = join(runDir, 'aitool-idle');
    mkdirSync(folder, { mode: 0o700 });
    const startSpare = (name: string): ChildProcess => {
      execFileSync('mkfifo', ['-m', '600', join(folder, `${name}.in`), join(folder, `${name}.out`)]);
      const child = spawn(process.execPath, [BIN, 'hook', 'spare', folder, name, '--started'], { env: { AITOOL_SPARE_IDLE_MS: '1500' }, stdio: 'ignore', detached: true });
      started.push(child);
      return child;
    };
    const ready = (name: string): Promise<true> => waitFor(() => (existsSync(join(folder, `${name}.pid`)) ? true : undefined), 15_000, `${name} to be ready`);
    const files = (name: string): string[] => readdirSync(folder).filter((entry) => entry.startsWith(`${name}.`)).sort();

    const unclaimed = startSpare('s7');
    await ready('s7');
    expect(files('s7')).toEqual(['s7.in', 's7.out', 's7.pid']);
    await waitFor(() => (ended(unclaimed.pid!) ? true : undefined), 10_000, 'the idle spare to end');
    expect(files('s7')).toEqual([]);

    // Claimed as a script claims one (noclobber), whose request is still to come (git's answers go first).
    const claimed = startSpare('s8');
    await ready('s8');
    writeFileSync(join(folder, 's8.claim'), '', { flag: 'wx' });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(alive(claimed.pid!), 'past its idle time, a claimed spare still waits').toBe(true);
    expect(files('s8')).toEqual(['s8.claim', 's8.in', 's8.out', 's8.pid']);
    await stopSpare({ pid: claimed.pid! });
    expect(files('s8')).toEqual([]);
  });

  it("a pid file naming a live process of this user's that does not hold the FIFO (a pid reused) is not claimed, and costs no wait", async () => {
    await stopSpare(await firstSpare());
    const folder = sparesFolder();
    execFileSync('mkfifo', ['-m', '600', join(folder, 's3.in'), join(folder, 's3.out')]);
    const other = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
    started.push(other);
    writeFileSync(join(folder, 's3.pid'), `${other.pid} 0\n`);
    world.write('repo/CLAUDE.md', 'x\n');
    git('add', 'CLAUDE.md');
    const before = Date.now();
    expect(commit('refused').status).toBe(1);
    expect(Date.now() - before).toBeLessThan(REPLY_WAIT_SECONDS * 1000);
    expect(existsSync(join(folder, 's3.claim'))).toBe(false);
  });

  it.runIf(isRoot)('declines a commit made in another mount namespace (its paths may name other files): aitool starts there as before', async () => {
    await firstSpare();
    hookRuns();
    world.write('repo/CLAUDE.md', 'x\n');
    git('add', 'CLAUDE.md');
    const result = spawnSync('unshare', ['-m', 'git', 'commit', '-q', '-m', 'in a namespace'], { cwd: world.cwd, env: env(), encoding: 'utf8', timeout: 30_000 });
    expect(result.status, result.stderr).toBe(1);
    expect(result.stderr).toContain('CLAUDE.md  (added, staged)');
    expect(hookRuns()).toHaveLength(1);
  });

  it("works under busybox's sh and tools (as on Alpine): the script's -O, -ef, noclobber and timeout", async () => {
    await install();
    // busybox's sh runs the script, and its applets come first on PATH for what the script runs besides git.
    const applets = join(world.root, 'busybox-bin');
    mkdirSync(applets);
    for (const applet of ['sh', 'timeout', 'cat', 'mkfifo', 'mkdir']) symlinkSync(execFileSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).trim(), join(applets, applet));
    world.write('repo/CLAUDE.md', 'x\n');
    git('add', 'CLAUDE.md');
    const message = world.write('repo/.git/COMMIT_EDITMSG', 'with busybox\n');
    const hook = () => spawnSync('busybox', ['sh', join(world.cwd, '.git', 'hooks', 'commit-msg'), message], { cwd: world.cwd, env: env({ PATH: `${applets}:${process.env.PATH ?? '/usr/bin:/bin'}` }), encoding: 'utf8', timeout: 30_000 });
    const cold = hook();
    expect(hookRuns()).toHaveLength(1);
    const spare = await readySpare();
    const warm = hook();
    expect(hookRuns()).toEqual([]);
    await endOf(spare.pid);
    expect(cold.status).toBe(1);
    expect(warm.status).toBe(1);
    expect(warm.stderr).toBe(cold.stderr);
    expect(warm.stderr).toContain('CLAUDE.md  (added, staged)');
    await readySpare();
  });

  it('a spare another hook has claimed is left to it: the commit starts aitool, and the spare stays', async () => {
    const spare = await firstSpare();
    hookRuns();
    writeFileSync(join(sparesFolder(), `${spare.name}.claim`), '');
    world.write('repo/CLAUDE.md', 'x\n');
    git('add', 'CLAUDE.md');
    expect(commit('second').status).toBe(1);
    expect(hookRuns()).toHaveLength(1);
    expect(alive(spare.pid)).toBe(true);
  });

  it('stopped (SIGTERM), a spare removes its files; files of a spare that died are removed by the next one', async () => {
    await stopSpare(await firstSpare());
    expect(readdirSync(sparesFolder())).toEqual([]);

    // What a spare killed with SIGKILL leaves: its FIFOs, pid file and claim, its pid long gone.
    const dead = sparesFolder();
    execFileSync('mkfifo', ['-m', '600', join(dead, 's1.in'), join(dead, 's1.out')]);
    writeFileSync(join(dead, 's1.pid'), '999999999 3\n');
    writeFileSync(join(dead, 's1.claim'), '');
    const old = new Date(Date.now() - 10 * 60 * 1000);
    for (const part of ['in', 'out', 'pid', 'claim']) utimesSync(join(dead, `s1.${part}`), old, old);
    world.write('repo/notes.txt', 'two\n');
    git('add', 'notes.txt');
    commit('second');
    // Not s1 itself: while the new spare removes s1's files, its pid file may be there a moment without its claim.
    await readySpare(['s1']);
    expect(readdirSync(dead).filter((entry) => entry.startsWith('s1.'))).toEqual([]);
  });
});

describe('what a spare and the script refuse', () => {
  it('run by hand on a folder it will not use, a spare says why in one line (exit 2)', () => {
    const spare = (folder: string, name = 's1') => spawnSync(process.execPath, [BIN, 'hook', 'spare', folder, name, '--started'], { env: world.env, encoding: 'utf8' });
    const open = join(world.root, 'open');
    mkdirSync(open, { mode: 0o755 });
    chmodSync(open, 0o755);
    for (const [result, line] of [
      [spare(join(world.root, 'missing')), `aitool: ${join(world.root, 'missing')}: cannot be used (ENOENT)\n`],
      [spare(open), `aitool: ${open}: others may enter it (mode 755)\n`],
      [spare(runDir, '../s1'), "aitool: ../s1: not a spare's name\n"],
      [spare('relative'), 'aitool: relative: not an absolute path\n'],
    ] as const) {
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(line);
    }
  });

  it('a spares folder others may enter: the spare refuses to run there, and commits are answered as before', async () => {
    await stopSpare(await firstSpare());
    logged();
    chmodSync(sparesFolder(), 0o755);
    for (const round of [1, 2]) {
      world.write('repo/CLAUDE.md', `x${round}\n`);
      git('add', 'CLAUDE.md');
      const result = commit(`refused ${round}`);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('CLAUDE.md  (added, staged)');
      // The first commit's spare refused the folder, took its FIFOs away with it and said why; the script of the next
      // (template v6) starts none there.
      if (round === 1) await waitFor(() => (refusalRecorded() ? true : undefined), 10_000, 'the refusal');
      else await new Promise((resolve) => setTimeout(resolve, 500));
      await waitFor(() => (ourSpares().length === 0 ? true : undefined), 10_000, 'the refusing spare to end');
      const starts = logged();
      expect(starts.filter((line) => line.includes('hook run'))).toHaveLength(1);
      expect(starts.filter((line) => line.includes('hook spare'))).toHaveLength(round === 1 ? 1 : 0);
      expect(readdirSync(sparesFolder())).toEqual(['refused']);
      expect(readFileSync(join(sparesFolder(), 'refused'), 'utf8')).toBe(`${sparesFolder()}\n${sparesFolder()}: others may enter it (mode 755)\n`);
    }
  });

  it('a waiting spare whose place others can now change (a folder on its path made writable by all) ends within seconds; the next commit starts aitool, and its spare refuses the place', async () => {
    const waiting = await firstSpare();
    logged();
    // The runtime folder the spares folder is in, as a careless chmod (or a TMPDIR made shared) leaves it.
    chmodSync(runDir, 0o777);
    await waitFor(() => (ended(waiting.pid) ? true : undefined), 12_000, 'the spare whose place changed to end');
    // It claimed itself on the way out: no script takes it for a spare any more.
    expect(existsSync(join(sparesFolder(), `${waiting.name}.claim`))).toBe(true);
    world.write('repo/CLAUDE.md', 'x\n');
    git('add', 'CLAUDE.md');
    const result = commit('refused');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('CLAUDE.md  (added, staged)');
    await waitFor(() => (refusalRecorded() ? true : undefined), 10_000, 'the refusal');
    expect(readFileSync(join(sparesFolder(), 'refused'), 'utf8')).toContain(`${runDir}: others may write to it, and it is not sticky`);
    expect(hookRuns()).toHaveLength(1);
  });

  it('a spare a script has claimed when its place changes declines that script\'s request ("-": the script then starts aitool itself), whether or not it has looked again since', async () => {
    await install();
    world.write('repo/CLAUDE.md', 'x\n');
    git('add', 'CLAUDE.md');
    const message = world.write('repo/.git/COMMIT_EDITMSG', 'a message\n');
    const script = `{ printf '%s\\000' aitool-spare-1 "$$" commit 0 1 "$1" >&8; timeout 20 cat "$0.out"; } 8<>"$0.in"`;
    // At once (before its next look, every 5 s: it looks when the request comes), and after a look.
    for (const wait of [0, 6500]) {
      chmodSync(runDir, 0o700);
      commit(`a commit ${wait}`);
      const spare = await readySpare();
      // Claimed as the script claims it; its request comes after the place has changed.
      writeFileSync(join(sparesFolder(), `${spare.name}.claim`), '', { flag: 'wx' });
      chmodSync(runDir, 0o777);
      await new Promise((resolve) => setTimeout(resolve, wait));
      expect(alive(spare.pid), 'claimed, it waits for the request').toBe(true);
      const reply = spawnSync('sh', ['-c', script, join(sparesFolder(), spare.name), message], { cwd: world.cwd, env: env(), encoding: 'utf8', timeout: 30_000 });
      expect(reply.stdout, `after ${wait} ms`).toBe('-\n.');
      await endOf(spare.pid);
    }
  });

  // Files and processes of another user can only be made as root (the suite's CI runs as root).
  it.runIf(isRoot)("a spare's files that are not this user's are never claimed, and a folder that is not this user's is never used", async () => {
    await stopSpare(await firstSpare());
    const folder = sparesFolder();
    // Another user's "spare": a live process of theirs holding the FIFO open as a spare does, FIFOs and pid file they
    // own. Only the owner tells it apart.
    execFileSync('mkfifo', ['-m', '666', join(folder, 's7.in'), join(folder, 's7.out')]);
    const theirs = holding(join(folder, 's7.in'), { uid: NOBODY, gid: NOBODY });
    writeFileSync(join(folder, 's7.pid'), `${theirs.pid} 0\n`);
    for (const part of ['in', 'out', 'pid']) chownSync(join(folder, `s7.${part}`), NOBODY, NOBODY);
    world.write('repo/CLAUDE.md', 'x\n');
    git('add', 'CLAUDE.md');
    const before = Date.now();
    const result = commit('refused');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('CLAUDE.md  (added, staged)');
    expect(Date.now() - before).toBeLessThan(REPLY_WAIT_SECONDS * 1000);
    expect(existsSync(join(folder, 's7.claim'))).toBe(false);
    expect(existsSync(join(folder, 's7.git'))).toBe(false);
    await stopSpare(await readySpare(['s7']));

    // The whole folder another user's: nothing is claimed, made or started in it.
    chownSync(folder, NOBODY, NOBODY);
    const listing = readdirSync(folder).sort();
    hookRuns();
    const again = commit('refused again');
    expect(again.status).toBe(1);
    expect(hookRuns()).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(readdirSync(folder).sort()).toEqual(listing);
    expect(ourSpares()).toEqual([]);
    expect(lstatSync(folder).uid).toBe(NOBODY);
  });

  it('a spare that dies while it answers ends the wait at once: aitool starts, and the commit is judged as before', async () => {
    await stopSpare(await firstSpare());
    const folder = sparesFolder();
    // A stand-in spare that takes the request, opens the answer's FIFO as a spare does, and dies without a word.
    const dying = standInSpare(folder, 's9', 'process.exit(9);');
    started.push(dying);
    await waitFor(() => (existsSync(join(folder, 's9.pid')) ? true : undefined), 5000, 'the stand-in to be ready');
    hookRuns();
    world.write('repo/CLAUDE.md', 'x\n');
    git('add', 'CLAUDE.md');
    const before = Date.now();
    const result = commit('refused');
    expect(Date.now() - before).toBeLessThan(5000);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('CLAUDE.md  (added, staged)');
    expect(hookRuns()).toHaveLength(1);
    expect(existsSync(join(folder, 's9.claim'))).toBe(true);
    await endOf(dying.pid!);
  });

  it.each(['SIGINT', 'SIGHUP'] as const)('a commit given up (%s: Ctrl-C, a closed terminal) while a spare checks it stops that spare, and leaves no reader of its answer behind', async (signal) => {
    await stopSpare(await firstSpare());
    const folder = sparesFolder();
    // A stand-in spare that takes the request, holds the answer's FIFO open as a spare does, says so in a file, and
    // then takes its time.
    const slow = standInSpare(folder, 's8', "fs.writeFileSync(dir + '/s8.asked', ''); setTimeout(() => {}, 600000);");
    started.push(slow);
    const slowEnded = new Promise<NodeJS.Signals | null>((resolve) => slow.once('exit', (_code, signal) => resolve(signal)));
    await waitFor(() => (existsSync(join(folder, 's8.pid')) ? true : undefined), 5000, 'the stand-in to be ready');
    world.write('repo/CLAUDE.md', 'x\n');
    git('add', 'CLAUDE.md');
    // A process group of its own, as a terminal gives the command it runs: Ctrl-C signals that group.
    const committing = spawn('git', ['commit', '-q', '-m', 'given up'], { cwd: world.cwd, env: env(), stdio: 'ignore', detached: true });
    started.push(committing);
    const commitEnded = new Promise<number | null>((resolve) => committing.once('exit', (code) => resolve(code)));
    await waitFor(() => (existsSync(join(folder, 's8.asked')) ? true : undefined), 15_000, 'the stand-in to be asked');
    const before = Date.now();
    // Ctrl-C or a closed terminal: the signal to git's group, this test's own (git, the hook script and its shells; not
    // timeout, which makes a group of its own).
    process.kill(-committing.pid!, signal);
    // The script stops the spare (SIGTERM) and the reader of its answer at once, not when the spare answers; git is
    // refused.
    expect(await slowEnded).toBe('SIGTERM');
    expect(await commitEnded).not.toBe(0);
    expect(Date.now() - before).toBeLessThan(5000);
    await waitFor(() => (readdirSync('/proc').every((entry) => {
      try {
        return !readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(join(folder, 's8.out'));
      } catch {
        return true;
      }
    }) ? true : undefined), 5000, 'no reader of the answer to be left');
    expect(git('log', '--format=%s').includes('given up')).toBe(false);
  });

  it("a request naming a pid that is not the asker's (what a pid namespace's $$ looks like from outside) is declined; the asker's own is answered", async () => {
    await install();
    world.write('repo/CLAUDE.md', 'x\n');
    git('add', 'CLAUDE.md');
    const message = world.write('repo/.git/COMMIT_EDITMSG', 'a message\n');
    // A process of this user's in the repository, with a plain environment: what a spare would judge if it took the pid.
    const decoy = spawn('sleep', ['60'], { cwd: world.cwd, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, detached: true, stdio: 'ignore' });
    started.push(decoy);
    const ask = async (pid: string): Promise<string> => {
      // A commit (refused: CLAUDE.md is staged) starts the spare the question goes to.
      commit('a commit');
      const spare = await readySpare();
      writeFileSync(join(sparesFolder(), `${spare.name}.claim`), '');
      // As the script asks: holding the FIFO open on fd 8.
      const script = `p=$1; [ "$p" = self ] && p=$$; { printf '%s\\000' aitool-spare-1 "$p" commit 0 1 "$2" >&8; timeout 20 cat "$0.out"; } 8<>"$0.in"`;
      const reply = spawnSync('sh', ['-c', script, join(sparesFolder(), spare.name), pid, message], { cwd: world.cwd, env: env({ CLAUDECODE: '1' }), encoding: 'utf8', timeout: 30_000 });
      await endOf(spare.pid);
      return reply.stdout;
    };
    expect(await ask(String(decoy.pid))).toBe('-\n.');
    // The shell's own pid: answered, with the shell's environment (CLAUDECODE=1), and the commit refused.
    const own = await ask('self');
    expect(own).toMatch(/^1\n/);
    expect(own).toContain('environment CLAUDECODE=1');
  });

  it('a request the spare cannot take (another protocol, a hook it does not run, a process of another user) is declined with "-", and the spare ends', async () => {
    await install();
    const folder = (): string => sparesFolder();
    const ask = async (fields: string[]): Promise<string> => {
      // A commit starts the spare the question goes to.
      world.write('repo/notes.txt', `${Date.now()}\n`);
      git('add', 'notes.txt');
      commit('a commit');
      const spare = await readySpare();
      writeFileSync(join(folder(), `${spare.name}.claim`), '');
      const script = `printf '%s\\000' "$@" 1<>"$0.in"; timeout 5 cat "$0.out"`;
      const reply = spawnSync('sh', ['-c', script, join(folder(), spare.name), ...fields], { encoding: 'utf8', timeout: 20_000 });
      await endOf(spare.pid);
      return reply.stdout;
    };
    expect(await ask(['aitool-spare-0', String(process.pid), 'commit', '0', '0'])).toBe('-\n.');
    expect(await ask(['aitool-spare-1', String(process.pid), 'pre-push', '0', '0'])).toBe('-\n.');
    expect(await ask(['aitool-spare-1', 'x', 'commit', '0', '0'])).toBe('-\n.');
    if (!isRoot) return;
    // Another user's process that holds the FIFO on fd 8, as an asker does: declined for its owner alone.
    world.write('repo/notes.txt', `${Date.now()}\n`);
    git('add', 'notes.txt');
    commit('a commit');
    const next = await readySpare();
    const theirs = holding(join(folder(), `${next.name}.in`), { uid: NOBODY, gid: NOBODY }, 8);
    writeFileSync(join(folder(), `${next.name}.claim`), '');
    const reply = spawnSync('sh', ['-c', `printf '%s\\000' aitool-spare-1 "$1" commit 0 1 .git/COMMIT_EDITMSG 1<>"$0.in"; timeout 5 cat "$0.out"`, join(folder(), next.name), String(theirs.pid)], { encoding: 'utf8', timeout: 20_000 });
    expect(reply.stdout).toBe('-\n.');
  });
});

describe('under a CI system', () => {
  it("no spare starts, with a runtime folder too: the starter declines under CI or a CI system's own variable (Bamboo's and GoCD's among them), and removes the FIFOs the script made", async () => {
    await install();
    for (const [round, extra] of [
      [1, { CI: 'true' }],
      [2, { bamboo_planKey: 'PROJ-PLAN' }],
      [3, { GO_PIPELINE_LABEL: '42' }],
    ] as const) {
      world.write('repo/notes.txt', `${round}\n`);
      git('add', 'notes.txt');
      expect(commit(`plain ${round}`, extra).status).toBe(0);
      // The script (runtime folder: it does not look at CI itself) made the FIFOs and ran the starter, which declined.
      const starts: string[] = [];
      await waitFor(() => (starts.push(...logged()), starts.some((line) => line.includes('hook spare')) ? true : undefined), 10_000, 'the starter to run');
      expect(starts.filter((line) => line.includes('hook run'))).toHaveLength(1);
      await waitFor(() => (readdirSync(sparesFolder()).length === 0 ? true : undefined), 10_000, "the starter to remove the script's FIFOs");
      // The starter ends, and no spare is left (one would wait for 30 minutes).
      await waitFor(() => (ourSpares().length === 0 ? true : undefined), 10_000, 'the starter to end, leaving no spare');
    }
    // Without them, the next commit starts one, as everywhere else.
    world.write('repo/notes.txt', 'last\n');
    git('add', 'notes.txt');
    expect(commit('last').status).toBe(0);
    await stopSpare(await readySpare());
  });

  it("the declining starter removes a spare's FIFOs only in a folder of the user's own, and never through a link at its name", () => {
    const folder = join(runDir, 'aitool-fifos');
    mkdirSync(folder, { mode: 0o700 });
    const link = join(runDir, 'aitool-link');
    symlinkSync(folder, link);
    const fifos = (): string[] => readdirSync(folder).sort();
    execFileSync('mkfifo', ['-m', '600', join(folder, 's5.in'), join(folder, 's5.out')]);
    const starter = (at: string, name = 's5') => spawnSync(process.execPath, [BIN, 'hook', 'spare', at, name], { env: { ...world.env, CI: 'true' }, encoding: 'utf8', timeout: 15_000 });
    for (const [at, name] of [[link, 's5'], [`${folder}/../aitool-link`, 's5'], [folder, '../s5'], ['relative', 's5']] as const) {
      expect(starter(at, name).status, `${at} ${name}`).toBe(0);
      expect(fifos(), `${at} ${name}`).toEqual(['s5.in', 's5.out']);
    }
    expect(starter(folder).status).toBe(0);
    expect(fifos()).toEqual([]);
  });

  it("the script's own check (template v6 and later, without a runtime folder) names no CI variable the starter does not", () => {
    const script = hookScript({ hook: 'commit-msg', run: 'commit', node: process.execPath, bin: BIN });
    const line = /elif \[ -z "((?:\$\{[A-Za-z_]+-\})+)" \]/.exec(script)?.[1];
    expect(line).toBeDefined();
    const names = [...line!.matchAll(/\$\{([A-Za-z_]+)-\}/g)].map((match) => match[1]);
    expect(names).toEqual(['CI', 'JENKINS_URL', 'TF_BUILD', 'TEAMCITY_VERSION', 'CODEBUILD_BUILD_ID']);
    for (const name of names) expect(CI_VARIABLES).toContain(name);
  });
});

describe('without a runtime folder (template v6): spares in a folder of the user\'s own in the temporary folder', () => {
  beforeEach(() => {
    place = 'temp';
    runDir = join(world.root, 'tmp');
    mkdirSync(runDir, { mode: 0o755 });
  });

  it('a container or devcontainer login: the first commit starts a spare in $TMPDIR/aitool-<uid>-<key>, the next is answered by it', async () => {
    const spare = await firstSpare();
    const folder = sparesFolder();
    expect(folder).toMatch(new RegExp(`/tmp/aitool-${process.getuid!()}-[0-9a-f]{16}$`));
    expect(lstatSync(folder).mode & 0o7777).toBe(0o700);
    expect(hookRuns()).toHaveLength(1);
    world.write('repo/CLAUDE.md', 'x\n');
    git('add', 'CLAUDE.md');
    const warm = commit('second', { CLAUDECODE: '1' });
    expect(hookRuns()).toEqual([]);
    await endOf(spare.pid);
    const cold = commit('second', { CLAUDECODE: '1', AITOOL_HOOK_SPARE: '0' });
    expect(hookRuns()).toHaveLength(1);
    expect(cold.status).toBe(1);
    expect(warm).toEqual(cold);
    expect(warm.stderr).toContain('environment CLAUDECODE=1');
  });

  it("the script's variables carry aitool's prefix: a user's own exported tmp or uid does not make the spare decline", async () => {
    const spare = await firstSpare();
    hookRuns();
    world.write('repo/notes.txt', 'two\n');
    git('add', 'notes.txt');
    expect(commit('second', { tmp: join(world.root, 'elsewhere'), uid: '1234' }).status).toBe(0);
    expect(hookRuns()).toEqual([]);
    await endOf(spare.pid);
  });

  it('a relative TMPDIR, or CI set (or a CI system\'s own variable), means no spares: aitool starts as before', async () => {
    await install();
    // There, and this user's: only its being relative keeps it out.
    mkdirSync(join(world.cwd, 'relative', 'tmp'), { recursive: true });
    for (const [round, extra] of [
      [1, { TMPDIR: 'relative/tmp' }],
      [2, { CI: 'true' }],
      [3, { JENKINS_URL: 'https://ci.example/' }],
      [4, { TF_BUILD: 'True' }],
      [5, { TEAMCITY_VERSION: '2025.11' }],
      [6, { CODEBUILD_BUILD_ID: 'project:0f2e' }],
    ] as const) {
      world.write('repo/notes.txt', `${round}\n`);
      git('add', 'notes.txt');
      expect(commit(`plain ${round}`, extra).status).toBe(0);
      expect(hookRuns()).toHaveLength(1);
    }
    // Nothing was made or started for those commits.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(readdirSync(runDir).filter((entry) => entry.startsWith('aitool-'))).toEqual([]);
    expect(readdirSync(join(world.cwd, 'relative', 'tmp'))).toEqual([]);
    expect(ourSpares()).toEqual([]);
    expect(logged().filter((line) => line.includes('hook spare'))).toEqual([]);
  });

  // A temporary folder of another user's can only be made as root (the suite's CI runs as root).
  it.runIf(isRoot)('a temporary folder another user owns (without the sticky bit of /tmp) is not used: the script makes nothing there, and a spare run by hand refuses it', async () => {
    const theirs = join(world.root, 'theirs');
    mkdirSync(theirs);
    chmodSync(theirs, 0o777);
    chownSync(theirs, NOBODY, NOBODY);
    runDir = theirs;
    await install();
    world.write('repo/notes.txt', 'one\n');
    git('add', 'notes.txt');
    expect(commit('plain').status).toBe(0);
    expect(hookRuns()).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(readdirSync(theirs)).toEqual([]);
    expect(ourSpares()).toEqual([]);

    // By hand, in a folder of this user's inside it: another user could rename that folder and put one in its place.
    // Sticky does not help when the sticky folder is theirs (its owner may rename anything in it); /tmp is root's.
    const spare = (folder: string) => spawnSync(process.execPath, [BIN, 'hook', 'spare', folder, 's1', '--started'], { env: world.env, encoding: 'utf8' });
    for (const mode of [0o777, 0o1777]) {
      chmodSync(theirs, mode);
      const ours = join(theirs, `aitool-0-${mode.toString(8)}`);
      mkdirSync(ours, { mode: 0o700 });
      const result = spare(ours);
      expect(result.status).toBe(2);
      expect(result.stderr).toBe(`aitool: ${theirs}: neither this user's nor root's (uid ${NOBODY}, mode ${mode.toString(8)}): another user could put another folder in the place of ${ours}\n`);
    }
  });

  // What most containers have: no runtime folder, TMPDIR unset, and root's /tmp with its sticky bit. The user is nobody
  // (as root, -O passes for any folder of root's), in a mount namespace whose /tmp is a fresh folder of the test's, and
  // a pid namespace whose end ends every spare in it. Needs root, for the namespaces and the other user.
  it.runIf(isRoot)("the usual container: another user than root, TMPDIR unset, root's sticky /tmp: spares answer there (TMPDIR=/tmp/ too)", () => {
    const fakeTmp = join(world.root, 'container-tmp');
    mkdirSync(fakeTmp);
    chmodSync(world.root, 0o755);
    chmodSync(fakeTmp, 0o1777);
    mkdirSync(join(fakeTmp, 'pkg'));
    const pkg = dirname(dirname(realpathSync(BIN)));
    const result = spawnSync(
      'unshare',
      ['-mpf', '--mount-proc', 'sh', '-c', `mount --bind "$1" "$2/pkg" && mount --rbind "$2" /tmp && cd / && exec setpriv --reuid=${NOBODY} --regid=${NOBODY} --clear-groups env -i PATH="$3" HOME=/tmp/home LC_ALL=C NODE="$4" GIT_CONFIG_NOSYSTEM=1 sh -c "$5"`, 'sh', pkg, fakeTmp, process.env.PATH ?? '/usr/bin:/bin', process.execPath, CONTAINER_COMMITS],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.stderr).toBe('');
    const key = /aitool-[0-9]+-([0-9a-f]{16})/.exec(result.stdout)?.[1] ?? '?';
    expect(result.stdout).toBe(`folder /tmp/aitool-${NOBODY}-${key} 700\nsecond 1\nreport 1\nanswered by the spare\nanswered by the next spare, under TMPDIR=/tmp/\n`);
    expect(result.status).toBe(0);
  });

  it("a temporary folder others could change (0777, inside a folder others may write to, or reached through a link): the spare refuses it and says why, and the script starts no more there", async () => {
    await install();
    const open = join(world.root, 'open');
    mkdirSync(join(open, 'private'), { recursive: true, mode: 0o700 });
    chmodSync(open, 0o777);
    mkdirSync(join(world.root, 'mine'), { mode: 0o700 });
    // Even this user's own link: a link of a link inside a folder others may write to would pass the folders it goes
    // through unchecked.
    symlinkSync(join(world.root, 'mine'), join(world.root, 'link'));
    const uid = process.getuid!();
    const cases: Array<[string, (folder: string) => string]> = [
      [open, (folder) => `${open}: others may write to it, and it is not sticky (uid ${uid}, mode 777): another user could put another folder in the place of ${folder}`],
      [join(open, 'private'), (folder) => `${open}: others may write to it, and it is not sticky (uid ${uid}, mode 777): another user could put another folder in the place of ${folder}`],
      [join(world.root, 'link'), (folder) => `${folder}: not the folder's own path (${folder.replace('/link/', '/mine/')}): spares wait only where no link leads`],
    ];
    for (const [round, [tmp, why]] of cases.entries()) {
      runDir = tmp;
      for (const again of [false, true]) {
        world.write('repo/notes.txt', `${round} ${again}\n`);
        git('add', 'notes.txt');
        expect(commit(`plain ${round} ${again}`).status).toBe(0);
        if (again) await new Promise((resolve) => setTimeout(resolve, 500));
        else await waitFor(() => (refusalRecorded() ? true : undefined), 10_000, 'the refusal');
        await waitFor(() => (ourSpares().length === 0 ? true : undefined), 10_000, 'the refusing spare to end');
        const starts = logged();
        expect(starts.filter((line) => line.includes('hook run'))).toHaveLength(1);
        expect(starts.filter((line) => line.includes('hook spare'))).toHaveLength(again ? 0 : 1);
        const folder = sparesFolder();
        expect(readdirSync(folder)).toEqual(['refused']);
        expect(readFileSync(join(folder, 'refused'), 'utf8')).toBe(`${folder}\n${why(folder)}\n`);
      }
    }
  });

  it("the script claims only a spare that checked the path it looks in: a TMPDIR that leads to the spare's folder through a link starts aitool, and the refusal recorded for the link's path leaves the spare's own path alone", async () => {
    const spare = await firstSpare();
    hookRuns();
    const via = join(world.root, 'via');
    symlinkSync(runDir, via);
    world.write('repo/notes.txt', 'through the link\n');
    git('add', 'notes.txt');
    expect(commit('through the link', { TMPDIR: via }).status).toBe(0);
    expect(hookRuns()).toHaveLength(1);
    expect(alive(spare.pid)).toBe(true);
    // The spare that commit started was given the link's path, refused it, and said so for that path only.
    await waitFor(() => (refusalRecorded() ? true : undefined), 10_000, 'the refusal');
    expect(readFileSync(join(sparesFolder(), 'refused'), 'utf8').split('\n')[0]).toBe(join(via, sparesFolder().slice(runDir.length + 1)));
    world.write('repo/notes.txt', 'by its own path\n');
    git('add', 'notes.txt');
    expect(commit('by its own path').status).toBe(0);
    expect(hookRuns()).toEqual([]);
    await endOf(spare.pid);
    await readySpare([spare.name]);
  });

  it('a waiting spare outlasts its checks of its FIFO; one whose folder is removed (rm -rf of the temporary folder) ends within seconds, and one whose FIFO is replaced too', async () => {
    const waiting = await firstSpare();
    hookRuns();
    // Past the first checks (every 5 s), it is still there, and answers.
    await new Promise((resolve) => setTimeout(resolve, 6000));
    expect(alive(waiting.pid)).toBe(true);
    world.write('repo/notes.txt', 'later\n');
    git('add', 'notes.txt');
    expect(commit('later').status).toBe(0);
    expect(hookRuns()).toEqual([]);
    await endOf(waiting.pid);

    const spare = await readySpare();
    rmSync(sparesFolder(), { recursive: true, force: true });
    await waitFor(() => (ended(spare.pid) ? true : undefined), 12_000, 'the spare whose folder went to end');

    world.write('repo/notes.txt', 'two\n');
    git('add', 'notes.txt');
    expect(commit('second').status).toBe(0);
    const next = await readySpare();
    const fifo = join(sparesFolder(), `${next.name}.in`);
    rmSync(fifo);
    execFileSync('mkfifo', ['-m', '600', fifo]);
    await waitFor(() => (ended(next.pid) ? true : undefined), 12_000, 'the spare whose FIFO was replaced to end');
    // It left the files by its names alone: they may be another's by now.
    expect(existsSync(fifo)).toBe(true);
  });
});

describe('stopping processes from a spare', () => {
  it("stops a blocked tool's process as a started aitool would, and never the commit's own ancestors", async () => {
    // Own agent only (a shell copy under a random path): nothing of the machine's is ever blocked.
    const own = await makeOwnAgentTool(world.root);
    world.write('managed/policy.yaml', 'default: allow\n');
    const managed = { AITOOL_MANAGED_POLICY: join(world.root, 'managed', 'policy.yaml') };
    world.write('repo/.aitoolrc.yaml', ownAgentPolicy(own, '{ action: block, terminate: true }', 'hook:\n  scanners:\n    processes: true\n'));
    git('add', '.aitoolrc.yaml');
    git('commit', '-q', '--no-verify', '-m', 'own agent policy');
    await install();
    // The first commit (aitool started by the script) starts the spare; it stops a bystander agent too.
    const first = await spawnNativeBinary(own.binary);
    await waitForExe(first.pid, own.binary);
    world.write('repo/notes.txt', 'one\n');
    git('add', 'notes.txt');
    expect(commit('first', managed).status).toBe(1);
    await endOf(first.pid);
    await readySpare();
    hookRuns();

    // From inside the agent (its shell runs git commit), with another agent of the same tool running beside it.
    const bystander = await spawnNativeBinary(own.binary);
    await waitForExe(bystander.pid, own.binary);
    world.write('repo/notes.txt', 'two\n');
    git('add', 'notes.txt');
    const inside = spawnSync(own.binary, ['-c', 'echo "shell $$"; git commit -q -m second 2>&1; echo "exit $?"'], { cwd: world.cwd, env: env(managed), encoding: 'utf8', timeout: 30_000 });
    expect(hookRuns()).toEqual([]);
    const shell = /^shell ([0-9]+)$/m.exec(inside.stdout)?.[1];
    expect(inside.stdout).toContain('exit 1');
    expect(inside.stdout).toMatch(new RegExp(`^stopped \\(SIGTERM\\): pid ${bystander.pid} `, 'm'));
    expect(inside.stdout).toMatch(new RegExp(`^not stopped: pid ${shell} .*is one of aitool's ancestors`, 'm'));
    // The chain is counted from the hook script, as for an aitool it started: sh, git, then the agent's shell.
    expect(inside.stdout).toContain(`inside    pid ${shell}  `);
    expect(inside.stdout).toMatch(/\(ancestor, 3 levels up; path /);
    await endOf(bystander.pid);
  });
});

describe("the script's environment, as its shell would pass it on", () => {
  it('keeps NAME=value entries; leaves out what is no variable name (the shell does); refuses a name given twice (the shell keeps the last, Node the first)', () => {
    expect(parseEnviron(Buffer.from('HOME=/home/ada\0CLAUDECODE=1\0EMPTY=\0A=b=c\0'))).toEqual({ HOME: '/home/ada', CLAUDECODE: '1', EMPTY: '', A: 'b=c' });
    expect(parseEnviron(Buffer.from('BASH_FUNC_module%%=() { :; }\0a-b=1\0=x\0noequals\0OK=1\0'))).toEqual({ OK: '1' });
    expect(() => parseEnviron(Buffer.from('CLAUDECODE=0\0CLAUDECODE=1\0'))).toThrow(/CLAUDECODE twice/);
  });
});
