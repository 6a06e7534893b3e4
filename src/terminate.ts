/**
 * Stopping the processes of banned tools, safely (`aitool check --kill`,
 * policy `terminate: true`).
 *
 * A security tool that sends signals must never hit the wrong process, so
 * every target passes these rules before anything is sent, in this order:
 *
 * 1. the pid is a single real process: never pid 1 (init) or lower (0 and
 *    negative pids address process groups or every process);
 * 2. never aitool itself, nor any of its ancestors (the parent chain read at
 *    call time, up to pid 1): stopping those would end aitool's own session;
 * 3. never the same pid twice in one call;
 * 4. the process still exists (else `gone`) and is still the one the scan saw:
 *    its start time and command line are re-read right before each signal
 *    (SIGTERM and SIGKILL) and compared with what was recorded, because a pid
 *    may have been reused since the scan;
 * 5. never another user's process, unless aitool runs as root and the policy
 *    says `otherUsers`.
 *
 * Then SIGTERM, up to `graceMs` for the process to exit, and SIGKILL if it did
 * not. A dry run applies the same checks and sends nothing.
 *
 * What remains: between the last identity check and kill() the pid could in
 * theory be reused (Node has no pidfd_send_signal); that window is a few
 * microseconds, against the minutes between a scan and a kill without the check.
 */
import { basename } from 'node:path';
import {
  CMDLINE_MAX_BYTES,
  commandLine,
  parseProcStat,
  readBootTimeMs,
  readProcFile,
  splitCmdline,
  startTimeOf,
  STAT_MAX_BYTES,
} from './proc.js';
import type { TerminationAttempt } from './report/types.js';
import type { Finding } from './types.js';
import { chainOwner, knownParents, selfPids } from './self.js';

export { parseProcStat, type ProcStat } from './proc.js';

/** A process to stop, as the scan recorded it (a ProcessObservation's fields). */
export interface TerminationTarget {
  pid: number;
  /** The catalog tool it was found to be; copied to the attempt. */
  tool: string;
  /** The command line the scan saw; the live process must still show it. */
  cmd: string;
  /** The owner the scan saw. The live owner is checked too. */
  uid?: number;
  /** ProcessObservation.startTime: when known, the live process must have started at the same instant. */
  startTime?: string;
  /** ProcessObservation.argv: compared exactly (instead of `cmd`) where the platform splits argv (Linux). */
  argv?: string[];
}

/** The target a process finding names: its pid, tool, command line, owner and start time as the scan saw them. */
export function targetOf(finding: Finding, pid: number): TerminationTarget {
  return {
    pid,
    tool: finding.tool,
    cmd: finding.evidence.cmd ?? '',
    ...(finding.evidence.uid === undefined ? {} : { uid: finding.evidence.uid }),
    ...(finding.evidence.startTime === undefined ? {} : { startTime: finding.evidence.startTime }),
  };
}

/** Who a pid is right now, as the process table says. */
export interface ProcessIdentity {
  pid: number;
  ppid?: number;
  /** Effective uid (what ps and the processes scanner call the owner). */
  uid?: number;
  /** Linux: real, effective and saved uid; the process is one's own only when all three are. */
  uids?: number[];
  /** comm on Linux; the executable's base name elsewhere. */
  name: string;
  /** Built exactly as the processes scanner builds RawProcess.cmd, so the two compare. */
  cmd: string;
  /** Linux only; empty when the process has no memory left (exiting) or is a kernel thread. */
  argv?: string[];
  /** Same format as ProcessObservation.startTime (an ISO 8601 instant). */
  startTime?: string;
  /** Linux: the state letter of /proc/<pid>/stat (R, S, D, Z, ...). */
  state?: string;
  /** Exited but not yet reaped by its parent: it holds its pid but will never run again. */
  zombie: boolean;
}

export type KillSignal = 'SIGTERM' | 'SIGKILL';

export interface TerminationOptions {
  /** After SIGTERM, how long to wait for the process to exit before SIGKILL. */
  graceMs: number;
  /** Report `would-stop` (after the same safety checks) and send nothing. */
  dryRun: boolean;
  /** The policy allows stopping other users' processes; only effective when running as root. */
  otherUsers: boolean;
  /** Stops the work: no further signal is sent, and what was sent is reported. */
  signal?: AbortSignal;
  /**
   * Seams for tests. `self` adds to the protected pids (the real process.pid and
   * its real ancestors are always protected too) and replaces the current uid.
   */
  self?: { pid: number; ancestors: number[]; uid: number | undefined };
  identity?: (pid: number) => Promise<ProcessIdentity | undefined>;
  kill?: (pid: number, signal: KillSignal | 0) => void;
}

/** How often a signalled process is checked for exit. ps-list spawns ps (or fastlist) per check, so less often there. */
const POLL_MS = process.platform === 'linux' ? 25 : 150;
/** After SIGKILL, how long to wait to see the process go: SIGKILL cannot be caught, but a process in uninterruptible sleep (D) dies late. */
const KILL_CONFIRM_MS = 1000;
/** Reading /proc/<pid>/cmdline can block while the process is stuck in the kernel; an identity that cannot be read in time is not trusted. */
const IDENTITY_TIMEOUT_MS = 1000;
/** Same cap as the processes scanner (src/host.ts), so a long command line is cut at the same byte and still compares equal. */
const STATUS_MAX_BYTES = 16 * 1024;
/** A parent chain longer than this is a loop in a changing process table, not a real chain. */
const MAX_ANCESTORS = 4096;

// ---------------------------------------------------------------------------
// Reading a process's identity
// ---------------------------------------------------------------------------

/** `Uid:	real	effective	saved	fs` from /proc/<pid>/status. */
function parseStatusUids(text: string): number[] | undefined {
  const found = /^Uid:\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(text);
  return found ? [Number(found[1]), Number(found[2]), Number(found[3])] : undefined;
}

async function readLinuxIdentity(pid: number, retries = 2): Promise<ProcessIdentity | undefined> {
  const [statRaw, cmdline, status, bootMs] = await Promise.all([
    readProcFile(`/proc/${pid}/stat`, STAT_MAX_BYTES),
    readProcFile(`/proc/${pid}/cmdline`, CMDLINE_MAX_BYTES),
    readProcFile(`/proc/${pid}/status`, STATUS_MAX_BYTES),
    readBootTimeMs(),
  ]);
  const stat = statRaw ? parseProcStat(statRaw.toString('utf8')) : undefined;
  if (!stat) return undefined;
  // The files are read separately: if the pid changed hands meanwhile, the
  // pieces would describe two processes. Re-read stat and insist on the same
  // start tick; otherwise read the newcomer afresh (a pid reused twice within
  // one read is not a real case, so the retries are few).
  const again = await readProcFile(`/proc/${pid}/stat`, STAT_MAX_BYTES);
  const statAgain = again ? parseProcStat(again.toString('utf8')) : undefined;
  if (!statAgain) return undefined;
  if (statAgain.startTicks !== stat.startTicks) {
    if (retries > 0) return readLinuxIdentity(pid, retries - 1);
    throw new Error(`pid ${pid} kept changing hands while it was read`);
  }

  // The scanner's rule (src/host.ts): argv joined by spaces, or `[comm]` when there is none (kernel threads, zombies).
  const argv = cmdline ? splitCmdline(cmdline) : [];
  const identity: ProcessIdentity = {
    pid,
    ppid: stat.ppid,
    name: stat.comm,
    cmd: commandLine(argv, stat.comm),
    argv,
    state: stat.state,
    // X (dead) is only ever seen in the instant before the pid is freed.
    zombie: stat.state === 'Z' || stat.state === 'X',
  };
  if (bootMs !== undefined) identity.startTime = startTimeOf(bootMs, stat.startTicks);
  const uids = status ? parseStatusUids(status.toString('utf8')) : undefined;
  if (uids) {
    identity.uids = uids;
    identity.uid = uids[1]!;
  }
  return identity;
}

/** macOS and Windows (and Linux without a readable /proc): ps-list, read the way src/host.ts reads it. */
async function readListedIdentity(pid: number): Promise<ProcessIdentity | undefined> {
  const { default: psList } = await import('ps-list');
  const entry = (await psList({ all: true })).find((listed) => listed.pid === pid);
  if (!entry) return undefined;
  // ps-list gives no state: a zombie shows as a process (macOS prints its command as `<defunct>`).
  const identity: ProcessIdentity = { pid, ppid: entry.ppid, name: basename(entry.name), cmd: entry.cmd || entry.name, zombie: false };
  if (entry.uid !== undefined) identity.uid = entry.uid;
  if (entry.startTime) identity.startTime = entry.startTime.toISOString();
  return identity;
}

let procUsable: Promise<boolean> | undefined;

/** Whether this is Linux with a readable /proc (the processes scanner falls back to ps-list otherwise, and so does this). */
function useProc(): Promise<boolean> {
  procUsable ??= process.platform === 'linux' ? readProcFile('/proc/self/stat', STAT_MAX_BYTES).then((raw) => raw !== undefined) : Promise.resolve(false);
  return procUsable;
}

/**
 * Who `pid` is right now, or undefined when no process has that pid. On Linux
 * from /proc (stat for comm, state, ppid and start time; cmdline for argv;
 * status for the uids); elsewhere from ps-list. `cmd`, `argv` and `startTime`
 * are built exactly as the processes scanner builds them, so a target taken
 * from a ProcessObservation compares equal while the process lives.
 */
export async function readProcessIdentity(pid: number): Promise<ProcessIdentity | undefined> {
  if (!Number.isSafeInteger(pid) || pid <= 0) return undefined;
  return (await useProc()) ? readLinuxIdentity(pid) : readListedIdentity(pid);
}

/**
 * The parent chain of `pid` (parent first, up to pid 1), read now: on Linux
 * from each /proc/<pid>/stat's ppid, elsewhere from one ps-list listing.
 * Throws when the chain cannot be read at all.
 */
export async function readAncestorPids(pid: number = process.pid): Promise<number[]> {
  if (await useProc()) {
    const chain: number[] = [];
    let current = pid;
    for (let step = 0; step < MAX_ANCESTORS; step++) {
      const raw = await readProcFile(`/proc/${current}/stat`, STAT_MAX_BYTES);
      const stat = raw ? parseProcStat(raw.toString('utf8')) : undefined;
      if (!stat) {
        if (step === 0) throw new Error(`cannot read /proc/${current}/stat`);
        // An ancestor exited while we walked: its children were re-parented, so the chain above is no longer ours.
        break;
      }
      // ppid 0: pid 1, or a process whose parent is outside this pid namespace.
      if (stat.ppid <= 0 || chain.includes(stat.ppid)) break;
      chain.push(stat.ppid);
      if (stat.ppid === 1) break;
      current = stat.ppid;
    }
    return chain;
  }
  const { default: psList } = await import('ps-list');
  const parents = new Map((await psList({ all: true })).map((entry) => [entry.pid, entry.ppid]));
  if (!parents.has(pid)) throw new Error(`pid ${pid} is not in the process list`);
  const chain: number[] = [];
  let next = parents.get(pid);
  // Windows never re-parents: a dead parent's pid may be reused by an unrelated process. Following it only protects more.
  while (next !== undefined && next > 0 && next !== pid && !chain.includes(next) && chain.length < MAX_ANCESTORS) {
    chain.push(next);
    if (next === 1) break;
    next = parents.get(next);
  }
  return chain;
}

// ---------------------------------------------------------------------------
// The rules
// ---------------------------------------------------------------------------

/** What aitool must never stop, and who it runs as. */
interface Self {
  /** aitool's own pid(s): the real one and any the seam adds. */
  pids: Set<number>;
  ancestors: Set<number>;
  uid: number | undefined;
  /** Set when the parent chain could not be read: then nothing is stopped. */
  unreadable?: string;
}

async function resolveSelf(seam: TerminationOptions['self']): Promise<Self> {
  const self: Self = {
    pids: new Set(selfPids()),
    // process.ppid (and a spare's client's) is known without reading anything: protected even if the walk fails.
    ancestors: new Set(knownParents()),
    uid: seam ? seam.uid : process.getuid?.(),
  };
  if (seam) {
    self.pids.add(seam.pid);
    for (const pid of seam.ancestors) self.ancestors.add(pid);
  }
  try {
    for (const pid of await readAncestorPids(chainOwner())) self.ancestors.add(pid);
  } catch (error) {
    self.unreadable = error instanceof Error ? error.message : String(error);
  }
  return self;
}

/** Rules 1-3, which need no look at the process. Returns the refusal reason, if any. */
function preflightRefusal(pid: number, self: Self, seen: Set<number>): string | undefined {
  if (pid === 1) return 'pid 1 is the init process; aitool never signals pid 1';
  if (!Number.isSafeInteger(pid) || pid <= 1) {
    return `pid ${pid} is not a single process (0 and negative pids address process groups or every process); aitool never signals it`;
  }
  if (self.pids.has(pid)) return `pid ${pid} is aitool itself`;
  if (self.ancestors.has(pid)) return `pid ${pid} is one of aitool's ancestors (its parent chain up to pid 1); stopping it could end aitool's own session`;
  if (self.unreadable !== undefined) return `aitool could not read its own parent chain (${self.unreadable}), so it cannot rule out stopping its own session`;
  if (seen.has(pid)) return `pid ${pid} is listed more than once; only its first entry is acted on`;
  return undefined;
}

export type IdentityMatch = { kind: 'same' } | { kind: 'different'; why: string } | { kind: 'unverifiable'; why: string };

/** Equal instants, whatever the ISO spelling; plain string equality when either does not parse. */
function sameInstant(a: string, b: string): boolean {
  const left = Date.parse(a);
  const right = Date.parse(b);
  return Number.isNaN(left) || Number.isNaN(right) ? a === b : left === right;
}

function sameArgv(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((arg, index) => arg === b[index]);
}

function quote(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}

/**
 * Is the live process at the target's pid still the one the scan saw?
 * The start time proves it when recorded (a pid is reused only by a process
 * started later); the command line must match as well, so a process that
 * exec'd something else since the scan is not signalled either.
 */
export function matchIdentity(target: TerminationTarget, live: ProcessIdentity): IdentityMatch {
  let startVerified = false;
  if (target.startTime !== undefined) {
    if (live.startTime === undefined) return { kind: 'unverifiable', why: `its start time cannot be read (expected ${target.startTime})` };
    if (!sameInstant(target.startTime, live.startTime)) {
      return { kind: 'different', why: `started at ${live.startTime}, expected ${target.startTime}` };
    }
    startVerified = true;
  }
  // Linux: an empty cmdline means the process has dropped its memory (it is
  // exiting) or is a kernel thread; there is nothing to compare, and only the
  // start time can say it is the same process.
  if (live.argv !== undefined && live.argv.length === 0 && !live.zombie) {
    return startVerified ? { kind: 'same' } : { kind: 'unverifiable', why: 'its command line is empty (exiting, or a kernel thread) and no start time was recorded' };
  }
  if (target.argv !== undefined && target.argv.length > 0 && live.argv !== undefined) {
    if (!sameArgv(target.argv, live.argv)) return { kind: 'different', why: `argv is ${quote(JSON.stringify(live.argv))}, expected ${quote(JSON.stringify(target.argv))}` };
    return { kind: 'same' };
  }
  if (target.cmd !== live.cmd) return { kind: 'different', why: `command line is ${quote(live.cmd)}, expected ${quote(target.cmd)}` };
  return { kind: 'same' };
}

/**
 * Rule 5. A process is one's own only when every uid it carries (Linux: real,
 * effective and saved; the scan's record too) is the current uid.
 *
 * Where the platform reports no owner (Windows: ps-list gives none, and Node
 * no uid of its own), aitool cannot tell another user's process from one's
 * own, nor whether it runs elevated: it then acts only when the policy says
 * `otherUsers: true`, and Windows' own access checks decide (an unelevated
 * account gets EPERM, reported as `failed`).
 */
function ownershipRefusal(target: TerminationTarget, live: ProcessIdentity, self: Self, otherUsers: boolean): string | undefined {
  const owners = new Set<number>(live.uids ?? (live.uid !== undefined ? [live.uid] : []));
  if (target.uid !== undefined) owners.add(target.uid);
  const isRoot = self.uid === 0;
  if (owners.size === 0) {
    if (otherUsers && (isRoot || self.uid === undefined)) return undefined;
    return `owner unknown (this platform does not report process owners); a process of unknown owner is stopped only when the policy allows other users' processes (otherUsers: true)${
      self.uid !== undefined && !isRoot ? ' and aitool runs as root' : ''
    }`;
  }
  const foreign = [...owners].find((uid) => uid !== self.uid);
  if (foreign === undefined) return undefined;
  if (isRoot && otherUsers) return undefined;
  if (isRoot) return `owned by uid ${foreign}; aitool runs as root but the policy does not allow stopping other users' processes (otherUsers is false)`;
  if (self.uid === undefined) {
    if (otherUsers) return undefined;
    return `owned by uid ${foreign}; aitool's own uid is unknown on this platform, and the policy does not allow stopping other users' processes (otherUsers is false)`;
  }
  return `owned by uid ${foreign}; aitool runs as uid ${self.uid} and stops other users' processes only when running as root with otherUsers: true`;
}

// ---------------------------------------------------------------------------
// Signalling one target
// ---------------------------------------------------------------------------

interface Context {
  options: TerminationOptions;
  self: Self;
  identity: (pid: number) => Promise<ProcessIdentity | undefined>;
  kill: (pid: number, signal: KillSignal | 0) => void;
}

const TIMED_OUT = Symbol('timed out');

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

function errorCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}

type Verdict =
  | { kind: 'ok'; live: ProcessIdentity }
  | { kind: 'gone' }
  /** `live` when the process is the target but a rule keeps it alive (its owner). */
  | { kind: 'refused'; reason: string; live?: ProcessIdentity }
  | { kind: 'failed'; reason: string };

/** Rules 4 and 5, right before a signal: is the pid still the target, and may aitool signal it? */
async function verify(target: TerminationTarget, context: Context, before: KillSignal): Promise<Verdict> {
  let live: ProcessIdentity | undefined | typeof TIMED_OUT;
  try {
    live = await withTimeout(context.identity(target.pid), IDENTITY_TIMEOUT_MS);
  } catch (error) {
    return { kind: 'failed', reason: `could not read pid ${target.pid}'s identity before ${before}: ${errorCode(error)}` };
  }
  if (live === TIMED_OUT) return { kind: 'failed', reason: `could not read pid ${target.pid}'s identity before ${before} within ${IDENTITY_TIMEOUT_MS} ms` };
  if (live === undefined || live.zombie) return { kind: 'gone' };
  const match = matchIdentity(target, live);
  if (match.kind === 'different') return { kind: 'refused', reason: `pid now belongs to another process: ${match.why}; ${before} not sent` };
  if (match.kind === 'unverifiable') return { kind: 'refused', reason: `cannot confirm pid ${target.pid} is still the process found: ${match.why}; ${before} not sent` };
  const refusal = ownershipRefusal(target, live, context.self, context.options.otherUsers);
  if (refusal !== undefined) return { kind: 'refused', reason: refusal, live };
  return { kind: 'ok', live };
}

type Probe = 'alive' | 'exited' | 'replaced';

/**
 * Has the signalled process exited? kill(pid, 0) says whether the pid is
 * taken; the identity says whether by our process (a zombie, which holds its
 * pid until its parent reaps it, has exited; a different process means ours
 * exited and the pid was reused).
 */
async function probe(target: TerminationTarget, context: Context): Promise<Probe> {
  try {
    context.kill(target.pid, 0);
  } catch (error) {
    // ESRCH: no such process. EPERM means it exists but is not ours to signal: go on to the identity.
    if (errorCode(error) === 'ESRCH') return 'exited';
  }
  let live: ProcessIdentity | undefined | typeof TIMED_OUT;
  try {
    live = await withTimeout(context.identity(target.pid), IDENTITY_TIMEOUT_MS);
  } catch {
    return 'alive';
  }
  // An unreadable identity proves nothing: keep waiting (the deadline still holds).
  if (live === TIMED_OUT) return 'alive';
  if (live === undefined || live.zombie) return 'exited';
  return matchIdentity(target, live).kind === 'different' ? 'replaced' : 'alive';
}

/** Polls until the process exits, is replaced, `ms` pass ('timeout') or the work is aborted ('aborted'). */
async function waitForExit(target: TerminationTarget, context: Context, ms: number): Promise<Probe | 'timeout' | 'aborted'> {
  const deadline = Date.now() + ms;
  for (;;) {
    const state = await probe(target, context);
    if (state !== 'alive') return state;
    if (context.options.signal?.aborted) return 'aborted';
    const left = deadline - Date.now();
    if (left <= 0) return 'timeout';
    await sleep(Math.min(POLL_MS, left), context.options.signal);
  }
}

/** Sends one signal; returns the error code when it was not delivered. */
function send(target: TerminationTarget, context: Context, signal: KillSignal): string | undefined {
  try {
    context.kill(target.pid, signal);
    return undefined;
  } catch (error) {
    return errorCode(error);
  }
}

async function stopOne(target: TerminationTarget, context: Context): Promise<TerminationAttempt> {
  const attempt = baseAttempt(target);
  const aborted = context.options.signal;
  const finish = (outcome: TerminationAttempt['outcome'], reason?: string): TerminationAttempt => {
    attempt.outcome = outcome;
    if (reason !== undefined) attempt.reason = reason;
    return attempt;
  };

  if (aborted?.aborted) return finish('failed', 'aborted before any signal was sent');
  const first = await verify(target, context, 'SIGTERM');
  // Report the live owner (the one the ownership rule judged) rather than the scan's record.
  if ((first.kind === 'ok' || first.kind === 'refused') && first.live?.uid !== undefined) attempt.uid = first.live.uid;
  if (first.kind === 'gone') return finish('gone', 'no process has this pid any more');
  if (first.kind !== 'ok') return finish(first.kind, first.reason);
  if (context.options.dryRun) return finish('would-stop', 'dry run: nothing was sent');
  if (aborted?.aborted) return finish('failed', 'aborted before any signal was sent');

  const termError = send(target, context, 'SIGTERM');
  if (termError === 'ESRCH') return finish('gone', 'exited before SIGTERM could be sent');
  if (termError !== undefined) return finish('failed', `SIGTERM failed: ${termError}`);
  attempt.signals.push('SIGTERM');

  const afterTerm = await waitForExit(target, context, context.options.graceMs);
  if (afterTerm === 'exited') return finish('stopped');
  if (afterTerm === 'replaced') return finish('stopped', 'exited after SIGTERM; its pid now belongs to another process, which was not signalled');
  if (afterTerm === 'aborted') {
    return (await probe(target, context)) === 'alive' ? finish('failed', 'aborted while waiting for it to exit after SIGTERM; SIGKILL not sent') : finish('stopped');
  }

  // Still running after the grace period: check again, as before SIGTERM, then SIGKILL.
  const second = await verify(target, context, 'SIGKILL');
  if (second.kind === 'gone') return finish('stopped');
  if (second.kind !== 'ok') return finish(second.kind, second.reason);
  if (aborted?.aborted) return finish('failed', `aborted after SIGTERM; still running after ${context.options.graceMs} ms; SIGKILL not sent`);
  const killError = send(target, context, 'SIGKILL');
  if (killError === 'ESRCH') return finish('stopped');
  if (killError !== undefined) return finish('failed', `still running ${context.options.graceMs} ms after SIGTERM, and SIGKILL failed: ${killError}`);
  attempt.signals.push('SIGKILL');

  const afterKill = await waitForExit(target, context, KILL_CONFIRM_MS);
  if (afterKill === 'exited' || afterKill === 'replaced') return finish('killed', `still running ${context.options.graceMs} ms after SIGTERM`);
  if (afterKill === 'aborted' && (await probe(target, context)) !== 'alive') return finish('killed', `still running ${context.options.graceMs} ms after SIGTERM`);
  return finish('failed', `still running ${afterKill === 'aborted' ? 'when aborted' : `${KILL_CONFIRM_MS} ms`} after SIGKILL (uninterruptible sleep?)`);
}

function baseAttempt(target: TerminationTarget): TerminationAttempt {
  const attempt: TerminationAttempt = { pid: target.pid, tool: target.tool, cmd: target.cmd, outcome: 'refused', signals: [] };
  if (target.uid !== undefined) attempt.uid = target.uid;
  return attempt;
}

function defaultKill(pid: number, signal: KillSignal | 0): void {
  process.kill(pid, signal);
}

/**
 * Stops `targets` (see the rules at the top of this file) and reports one
 * attempt per target, in the same order. Targets are handled concurrently,
 * each through its own ordered sequence; the whole call normally takes at
 * most `graceMs` plus about a second (SIGKILL's confirmation), plus up to a
 * second per identity read that hangs. It never throws for a target: an
 * abort stops further signals and reports what was sent.
 */
export async function terminate(targets: TerminationTarget[], options: TerminationOptions): Promise<TerminationAttempt[]> {
  if (!Number.isFinite(options.graceMs) || options.graceMs < 0) throw new RangeError(`graceMs must be a non-negative number of milliseconds, got ${options.graceMs}`);
  const context: Context = {
    options,
    self: await resolveSelf(options.self),
    identity: options.identity ?? readProcessIdentity,
    kill: options.kill ?? defaultKill,
  };
  // Rules 1-3 first and in order, so "the first entry of a duplicated pid" is well defined.
  const seen = new Set<number>();
  const refusals = targets.map((target) => {
    const refusal = preflightRefusal(target.pid, context.self, seen);
    seen.add(target.pid);
    return refusal;
  });
  return Promise.all(
    targets.map((target, index) => {
      const refusal = refusals[index];
      if (refusal === undefined) return stopOne(target, context);
      return { ...baseAttempt(target), outcome: 'refused', reason: refusal } satisfies TerminationAttempt;
    }),
  );
}
