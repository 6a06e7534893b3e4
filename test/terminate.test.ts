/**
 * terminate() against real processes: what it stops, what it refuses, and
 * that a refused process is still alive afterwards. Tests that would signal
 * pid 1, the test runner or its ancestors use a recording `kill` seam, so a
 * regression fails the test instead of killing the machine's init. Every
 * other test goes through ownOnlyKill: a real signal, but only to a process
 * this file started, so a regression that picks the wrong pid fails the test
 * instead of stopping someone else's process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createHost } from '../src/host.js';
import { ancestorsOf } from '../src/scanners/processes.js';
import {
  matchIdentity,
  parseProcStat,
  readAncestorPids,
  readProcessIdentity,
  terminate,
  type KillSignal,
  type ProcessIdentity,
  type TerminationOptions,
  type TerminationTarget,
} from '../src/terminate.js';
import { installNativeBinary, isSpawnedHere, killSpawned, spawnLongRunning, spawnNativeBinary, waitFor, type SpawnedProcess } from './helpers/processes.js';
import { makeTempDir, removeTempDirs } from './helpers/temp.js';

const NOBODY = 65534;
const isRoot = process.getuid!() === 0;

/** Processes started here outside spawnLongRunning (as another user). */
const others = new Set<ChildProcess>();

afterEach(async () => {
  await killSpawned();
  await Promise.all(
    [...others].map(async (child) => {
      others.delete(child);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
      await exited;
    }),
  );
});
afterAll(removeTempDirs);

function startedHere(pid: number): boolean {
  return isSpawnedHere(pid) || [...others].some((child) => child.pid === pid);
}

/** A process this file started, or one of theirs (a shell's child), by the live parent chain. */
function ownProcess(pid: number): boolean {
  for (let current = pid, depth = 0; current > 1 && depth < 64; depth++) {
    if (startedHere(current)) return true;
    try {
      const stat = parseProcStat(readFileSync(`/proc/${current}/stat`, 'utf8'));
      if (!stat) return false;
      current = stat.ppid;
    } catch {
      return false;
    }
  }
  return false;
}

/** process.kill, for the processes this file started only; anything else fails the test and is not signalled. */
function ownOnlyKill(pid: number, signal: KillSignal | 0): void {
  const ours = ownProcess(pid);
  if (signal !== 0 && !ours) throw new Error(`test bug: terminate() tried to send ${signal} to pid ${pid}, which this test did not start`);
  process.kill(pid, signal);
}

const options = (extra: Partial<TerminationOptions> = {}): TerminationOptions => ({ graceMs: 2000, dryRun: false, otherUsers: false, kill: ownOnlyKill, ...extra });

/** The target as the processes scanner records it: same cmd, argv, uid and startTime. */
async function targetFor(pid: number, tool = 'test-tool'): Promise<TerminationTarget> {
  const raw = (await createHost().listProcesses()).find((listed) => listed.pid === pid);
  if (!raw) throw new Error(`pid ${pid} not in the process list`);
  const target: TerminationTarget = { pid, tool, cmd: raw.cmd };
  if (raw.uid !== undefined) target.uid = raw.uid;
  if (raw.startTime !== undefined) target.startTime = raw.startTime;
  if (raw.argv !== undefined) target.argv = raw.argv;
  return target;
}

/** Alive and not a zombie (a dead child of this test keeps its pid until Node reaps it). */
function isRunning(pid: number): boolean {
  try {
    const stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
  } catch {
    return false;
  }
}

async function spawnSleep(): Promise<SpawnedProcess> {
  return spawnLongRunning('sleep', ['300']);
}

/** A shell that ignores SIGTERM (its sleep child inherits that); resolves once the trap is set. */
async function spawnTermIgnoringShell(): Promise<SpawnedProcess> {
  const child = await spawnLongRunning('/bin/sh', ['-c', 'trap "" TERM; echo ready; sleep 300; :']);
  await waitFor(() => (child.stdout().includes('ready') ? true : undefined), 5000, 'the trap');
  return child;
}

async function spawnTermIgnoringNode(): Promise<SpawnedProcess> {
  const child = await spawnLongRunning(process.execPath, ['-e', "process.on('SIGTERM', () => console.log('term')); console.log('ready'); setInterval(() => {}, 1000)"]);
  await waitFor(() => (child.stdout().includes('ready') ? true : undefined), 5000, 'the SIGTERM handler');
  return child;
}

/** `sleep 300` as another user, in its own process group (cleaned up in afterEach). */
async function spawnSleepAs(uid: number): Promise<number> {
  const child = spawn('sleep', ['300'], { uid, gid: uid, detached: true, stdio: 'ignore', cwd: '/' });
  others.add(child);
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return child.pid!;
}

/** A kill seam that records instead of signalling (signal 0 answers like the real one). */
function recordingKill(): { sent: Array<[number, KillSignal]>; kill: NonNullable<TerminationOptions['kill']> } {
  const sent: Array<[number, KillSignal]> = [];
  return {
    sent,
    kill: (pid, signal) => {
      if (signal === 0) process.kill(pid, 0);
      else sent.push([pid, signal]);
    },
  };
}

function errno(code: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(code);
  error.code = code;
  return error;
}

describe('readProcessIdentity', () => {
  it('reads the same cmd, argv, uid and start time as the processes scanner records', async () => {
    const child = await spawnLongRunning('/bin/sh', ['-c', 'sleep 300; :', 'arg with spaces', '']);
    const scanned = await targetFor(child.pid);
    const live = await readProcessIdentity(child.pid);
    expect(live).toMatchObject({ pid: child.pid, ppid: process.pid, cmd: scanned.cmd, argv: scanned.argv, uid: scanned.uid, zombie: false });
    expect(live?.startTime).toBe(scanned.startTime);
    expect(live?.startTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(live?.uids).toEqual([process.getuid!(), process.getuid!(), process.getuid!()]);
  });

  it('parses stat when comm holds spaces and parentheses', async () => {
    // comm is the executable's file name (up to 15 bytes): give it one that would break a naive split.
    const exe = await installNativeBinary(join(await makeTempDir(), 'a) b) (c 1 2'));
    const child = await spawnNativeBinary(exe);
    const live = await readProcessIdentity(child.pid);
    expect(live?.name).toBe('a) b) (c 1 2');
    expect(live?.ppid).toBe(process.pid);
    // Running, sleeping, or in disk sleep while the new program pages in: alive either way.
    expect(live?.state).toMatch(/^[RSD]$/);
    expect(live?.zombie).toBe(false);
    expect(live?.startTime).toBe((await targetFor(child.pid)).startTime);

    expect(parseProcStat('42 (x) (y) S 7 42 42 0 -1 4194560 1 2 3 4 5 6 7 8 20 0 1 0 123456 1000 10 18446744073709551615')).toEqual({
      comm: 'x) (y',
      state: 'S',
      ppid: 7,
      startTicks: 123456,
    });
    expect(parseProcStat('garbage')).toBeUndefined();
  });

  it('is undefined for a pid no process has', async () => {
    const pidMax = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
    expect(await readProcessIdentity(pidMax)).toBeUndefined();
  });
});

describe('readAncestorPids', () => {
  it('walks the real parent chain up to pid 1, as the scanner sees it', async () => {
    const chain = await readAncestorPids(process.pid);
    expect(chain[0]).toBe(process.ppid);
    expect(chain.at(-1)).toBe(1);
    const listing = await createHost().listProcesses();
    const me = listing.find((raw) => raw.pid === process.pid)!;
    expect(chain).toEqual(ancestorsOf(me, new Map(listing.map((raw) => [raw.pid, raw]))).map((ancestor) => ancestor.pid));
  });
});

describe('terminate: stopping', () => {
  it('stops a process with SIGTERM', async () => {
    const child = await spawnSleep();
    const started = Date.now();
    const [attempt] = await terminate([await targetFor(child.pid, 'claude-code')], options());
    expect(attempt).toEqual({ pid: child.pid, tool: 'claude-code', cmd: 'sleep 300', uid: process.getuid!(), outcome: 'stopped', signals: ['SIGTERM'] });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(isRunning(child.pid)).toBe(false);
  });

  it.each([
    ['a shell with trap "" TERM', spawnTermIgnoringShell],
    ['a node process with a SIGTERM handler', spawnTermIgnoringNode],
  ])('sends SIGKILL after graceMs to %s', async (_, start) => {
    const child = await start();
    const started = Date.now();
    const [attempt] = await terminate([await targetFor(child.pid)], options({ graceMs: 400 }));
    const elapsed = Date.now() - started;
    expect(attempt).toMatchObject({ outcome: 'killed', signals: ['SIGTERM', 'SIGKILL'] });
    expect(elapsed).toBeGreaterThanOrEqual(400);
    expect(elapsed).toBeLessThan(400 + 1500);
    expect(isRunning(child.pid)).toBe(false);
  });

  it('counts a zombie as exited: it holds its pid but is dead', async () => {
    // `sleep 400` becomes the parent of `sleep 300` and never reaps it.
    const parent = await spawnLongRunning('/bin/sh', ['-c', 'sleep 300 & exec sleep 400']);
    const orphanPid = await waitFor(async () => {
      const listing = await createHost().listProcesses();
      const found = listing.find((raw) => raw.ppid === parent.pid && raw.argv?.join(' ') === 'sleep 300');
      const parentExeced = listing.find((raw) => raw.pid === parent.pid)?.argv?.join(' ') === 'sleep 400';
      return found && parentExeced ? found.pid : undefined;
    });
    const target = await targetFor(orphanPid);
    const [attempt] = await terminate([target], options());
    expect(attempt).toMatchObject({ outcome: 'stopped', signals: ['SIGTERM'] });
    // kill(pid, 0) still succeeds on it: only the state tells it has exited.
    expect(() => process.kill(orphanPid, 0)).not.toThrow();
    expect((await readProcessIdentity(orphanPid))?.zombie).toBe(true);
    // Asked again: nothing left to stop.
    expect((await terminate([target], options()))[0]).toMatchObject({ outcome: 'gone', signals: [] });
  });

  it('handles targets concurrently, within graceMs and a small margin', async () => {
    const children = [await spawnSleep(), await spawnTermIgnoringShell(), await spawnTermIgnoringNode()];
    const targets = await Promise.all(children.map((child) => targetFor(child.pid)));
    const started = Date.now();
    const attempts = await terminate(targets, options({ graceMs: 500 }));
    expect(Date.now() - started).toBeLessThan(500 + 1500);
    expect(attempts.map((attempt) => [attempt.pid, attempt.outcome])).toEqual([
      [children[0]!.pid, 'stopped'],
      [children[1]!.pid, 'killed'],
      [children[2]!.pid, 'killed'],
    ]);
    for (const child of children) expect(isRunning(child.pid)).toBe(false);
  });

  it('dry run: checks, reports would-stop, sends nothing', async () => {
    const child = await spawnSleep();
    const recorder = recordingKill();
    const [attempt] = await terminate([await targetFor(child.pid)], options({ dryRun: true, kill: recorder.kill }));
    expect(attempt).toMatchObject({ outcome: 'would-stop', signals: [] });
    expect(recorder.sent).toEqual([]);
    // And with the (own-only) real kill: still nothing.
    expect((await terminate([await targetFor(child.pid)], options({ dryRun: true })))[0]).toMatchObject({ outcome: 'would-stop', signals: [] });
    expect(isRunning(child.pid)).toBe(true);
  });

  it('dry run still applies the safety checks', async () => {
    const child = await spawnSleep();
    const target = { ...(await targetFor(child.pid)), startTime: '2001-01-01T00:00:00.000Z' };
    const [attempt] = await terminate([target, { pid: 1, tool: 't', cmd: 'init' }], options({ dryRun: true }));
    expect(attempt).toMatchObject({ outcome: 'refused', signals: [] });
    expect(isRunning(child.pid)).toBe(true);
  });

  it('reports gone for a pid no process has', async () => {
    const pidMax = Number(readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
    const [attempt] = await terminate([{ pid: pidMax, tool: 't', cmd: 'sleep 300' }], options());
    expect(attempt).toMatchObject({ outcome: 'gone', signals: [] });
  });

  it('reports gone for a process that has exited and been reaped', async () => {
    const child = await spawnSleep();
    const target = await targetFor(child.pid);
    await child.kill();
    expect((await terminate([target], options()))[0]).toMatchObject({ outcome: 'gone', signals: [] });
  });
});

describe('terminate: refusing', () => {
  it('never signals pid 1, pids <= 1, itself or its ancestors', async () => {
    const recorder = recordingKill();
    const ancestors = await readAncestorPids(process.pid);
    const targets: TerminationTarget[] = [1, 0, -1, -process.pid, 1.5, process.pid, ...ancestors].map((pid) => ({ pid, tool: 't', cmd: 'x' }));
    const attempts = await terminate(targets, options({ kill: recorder.kill }));
    expect(recorder.sent).toEqual([]);
    expect(attempts.every((attempt) => attempt.outcome === 'refused' && attempt.signals.length === 0)).toBe(true);
    expect(attempts[0]!.reason).toMatch(/pid 1 is the init process/);
    expect(attempts[1]!.reason).toMatch(/pid 0 is not a single process/);
    expect(attempts[2]!.reason).toMatch(/process groups or every process/);
    expect(attempts[5]!.reason).toBe(`pid ${process.pid} is aitool itself`);
    expect(attempts[6]!.reason).toMatch(new RegExp(`^pid ${process.ppid} is one of aitool's ancestors`));
    // The chain ends at pid 1, which the pid-1 rule names first.
    expect(attempts.at(-1)!.reason).toMatch(/pid 1 is the init process/);
  });

  it('protects the pids given through the self seam as well', async () => {
    const [me, parent] = [await spawnSleep(), await spawnSleep()];
    const attempts = await terminate(
      [await targetFor(me.pid), await targetFor(parent.pid)],
      options({ self: { pid: me.pid, ancestors: [parent.pid], uid: process.getuid!() } }),
    );
    expect(attempts.map((attempt) => attempt.outcome)).toEqual(['refused', 'refused']);
    expect(attempts[0]!.reason).toMatch(/aitool itself/);
    expect(attempts[1]!.reason).toMatch(/ancestors/);
    expect(isRunning(me.pid) && isRunning(parent.pid)).toBe(true);
  });

  it('acts on a pid once when it is listed twice', async () => {
    const child = await spawnSleep();
    const target = await targetFor(child.pid);
    const attempts = await terminate([target, { ...target, tool: 'other' }], options());
    expect(attempts[0]).toMatchObject({ outcome: 'stopped', signals: ['SIGTERM'] });
    expect(attempts[1]).toMatchObject({ outcome: 'refused', signals: [], tool: 'other' });
    expect(attempts[1]!.reason).toMatch(/listed more than once/);
  });

  const changes: Array<[string, Partial<TerminationTarget> | 'shift']> = [
    ['an earlier start time', { startTime: '2001-01-01T00:00:00.000Z' }],
    ['a start time 10 ms off', 'shift'],
    ['another command line', { cmd: 'claude -p hi', argv: undefined }],
    ['another argv', { argv: ['sleep', '301'] }],
  ];
  it.each(changes)('refuses a pid that now belongs to another process (%s), which survives', async (_, change) => {
    const child = await spawnSleep();
    const scanned = await targetFor(child.pid);
    const target: TerminationTarget =
      change === 'shift' ? { ...scanned, startTime: new Date(Date.parse(scanned.startTime!) - 10).toISOString() } : { ...scanned, ...change };
    const [attempt] = await terminate([target], options());
    expect(attempt).toMatchObject({ outcome: 'refused', signals: [] });
    expect(attempt!.reason).toMatch(/^pid now belongs to another process: /);
    expect(isRunning(child.pid)).toBe(true);
  });

  it('accepts the same start time written differently (an offset instead of Z)', async () => {
    const child = await spawnSleep();
    const scanned = await targetFor(child.pid);
    const at = new Date(scanned.startTime!);
    const shifted = new Date(at.getTime() + 2 * 3600_000).toISOString().replace('Z', '+02:00');
    const [attempt] = await terminate([{ ...scanned, startTime: shifted }], options({ dryRun: true }));
    expect(attempt).toMatchObject({ outcome: 'would-stop' });
  });
});

describe('terminate: other users', () => {
  it('runs as root here, as the tests below need', () => {
    // The sandbox runs tests as root; the non-root cases use the self.uid seam.
    expect(isRoot).toBe(true);
  });

  it("refuses another user's process as root unless otherUsers, and stops it with otherUsers", async () => {
    const pid = await spawnSleepAs(NOBODY);
    const target = await targetFor(pid);
    expect(target.uid).toBe(NOBODY);

    const [refused] = await terminate([target], options());
    expect(refused).toMatchObject({ outcome: 'refused', uid: NOBODY, signals: [] });
    expect(refused!.reason).toBe(`owned by uid ${NOBODY}; aitool runs as root but the policy does not allow stopping other users' processes (otherUsers is false)`);
    expect(isRunning(pid)).toBe(true);

    const [stopped] = await terminate([target], options({ otherUsers: true }));
    expect(stopped).toMatchObject({ outcome: 'stopped', uid: NOBODY, signals: ['SIGTERM'] });
    expect(isRunning(pid)).toBe(false);
  });

  it('when not root, refuses other users even with otherUsers, and stops its own', async () => {
    const rootOwned = await spawnSleep();
    const nobodyOwned = await spawnSleepAs(NOBODY);
    const asNobody = { pid: process.pid, ancestors: [], uid: NOBODY };
    const attempts = await terminate([await targetFor(rootOwned.pid), await targetFor(nobodyOwned)], options({ otherUsers: true, self: asNobody }));
    expect(attempts[0]).toMatchObject({ outcome: 'refused', signals: [], uid: 0 });
    expect(attempts[0]!.reason).toBe(`owned by uid 0; aitool runs as uid ${NOBODY} and stops other users' processes only when running as root with otherUsers: true`);
    expect(isRunning(rootOwned.pid)).toBe(true);
    expect(attempts[1]).toMatchObject({ outcome: 'stopped', signals: ['SIGTERM'] });
    expect(isRunning(nobodyOwned)).toBe(false);
  });
});

describe('terminate: seams for what real processes cannot show', () => {
  const fakePid = 4_000_000;
  const fakeIdentity = (extra: Partial<ProcessIdentity> = {}): ProcessIdentity => ({
    pid: fakePid,
    name: 'claude',
    cmd: 'claude -p hi',
    argv: ['claude', '-p', 'hi'],
    startTime: '2025-01-01T00:00:00.000Z',
    uid: 1000,
    zombie: false,
    ...extra,
  });
  const target: TerminationTarget = { pid: fakePid, tool: 'claude-code', cmd: 'claude -p hi', startTime: '2025-01-01T00:00:00.000Z', argv: ['claude', '-p', 'hi'] };
  const self = { pid: process.pid, ancestors: [], uid: 1000 };

  it('reports EPERM as failed with the code, and nothing as sent', async () => {
    const [attempt] = await terminate(
      [target],
      options({
        self,
        identity: async () => fakeIdentity(),
        kill: () => {
          throw errno('EPERM');
        },
      }),
    );
    expect(attempt).toMatchObject({ outcome: 'failed', signals: [] });
    expect(attempt!.reason).toMatch(/EPERM/);
  });

  it('refuses SIGKILL when the pid changed hands between the grace period and SIGKILL', async () => {
    // A poll is kill(pid, 0) followed by an identity read; the check before a
    // signal is an identity read alone. Once SIGTERM is sent, answer the
    // first bare identity read (the pre-SIGKILL check) with a newcomer.
    const sent: Array<KillSignal | 0> = [];
    let polling = false;
    const [attempt] = await terminate(
      [target],
      options({
        self,
        graceMs: 100,
        kill: (_, signal) => {
          sent.push(signal);
          polling = signal === 0;
        },
        identity: async () => {
          const isPoll = polling;
          polling = false;
          return sent.includes('SIGTERM') && !isPoll ? fakeIdentity({ startTime: '2025-06-01T00:00:00.000Z', cmd: 'vim', argv: ['vim'] }) : fakeIdentity();
        },
      }),
    );
    expect(attempt).toMatchObject({ outcome: 'refused', signals: ['SIGTERM'] });
    expect(attempt!.reason).toMatch(/^pid now belongs to another process: started at 2025-06-01T00:00:00.000Z, expected 2025-01-01T00:00:00.000Z; SIGKILL not sent$/);
    expect(sent).not.toContain('SIGKILL');
  });

  it('unknown owner (Windows): refused unless otherUsers, then left to the OS', async () => {
    const sent: Array<KillSignal | 0> = [];
    const seams = {
      self: { pid: process.pid, ancestors: [], uid: undefined },
      identity: async () => (sent.includes('SIGTERM') ? undefined : fakeIdentity({ uid: undefined, argv: undefined })),
      kill: (_: number, signal: KillSignal | 0) => {
        sent.push(signal);
      },
    };
    const windowsTarget = { ...target, argv: undefined };
    const [refused] = await terminate([windowsTarget], options(seams));
    expect(refused).toMatchObject({ outcome: 'refused', signals: [] });
    expect(refused!.reason).toMatch(/^owner unknown/);
    const [stopped] = await terminate([windowsTarget], options({ ...seams, otherUsers: true }));
    expect(stopped).toMatchObject({ outcome: 'stopped', signals: ['SIGTERM'] });
  });

  it('an exiting process (empty cmdline) is still itself when the start time matches', () => {
    expect(matchIdentity(target, fakeIdentity({ argv: [], cmd: '[claude]' }))).toEqual({ kind: 'same' });
    expect(matchIdentity({ ...target, startTime: undefined }, fakeIdentity({ argv: [], cmd: '[claude]' })).kind).toBe('unverifiable');
  });
});

describe('terminate: abort', () => {
  it('sends nothing when aborted before it starts', async () => {
    const child = await spawnSleep();
    const [attempt] = await terminate([await targetFor(child.pid)], options({ signal: AbortSignal.abort() }));
    expect(attempt).toMatchObject({ outcome: 'failed', signals: [], reason: 'aborted before any signal was sent' });
    expect(isRunning(child.pid)).toBe(true);
  });

  it('stops waiting and sends no SIGKILL when aborted during the grace period', async () => {
    const child = await spawnTermIgnoringNode();
    const controller = new AbortController();
    // Aborted once the child has the SIGTERM (not on a timer: on a busy machine a timer can fire before the signal is sent).
    let abortedAt = 0;
    void waitFor(() => (child.stdout().includes('term') ? true : undefined), 10_000, 'the SIGTERM').then(() => {
      abortedAt = Date.now();
      controller.abort();
    });
    const [attempt] = await terminate([await targetFor(child.pid)], options({ graceMs: 10_000, signal: controller.signal }));
    expect(abortedAt).toBeGreaterThan(0);
    expect(Date.now() - abortedAt).toBeLessThan(2000);
    expect(attempt).toMatchObject({ outcome: 'failed', signals: ['SIGTERM'] });
    expect(attempt!.reason).toMatch(/aborted while waiting/);
    expect(isRunning(child.pid)).toBe(true);
  });
});
