/**
 * Linux's /proc, read one way for the whole tool: the process scanner
 * (host.ts), the termination re-check (terminate.ts) and the watch all turn
 * the same bytes into the same names, command lines and start instants, so a
 * process found by one is recognised by the others.
 */
import fs from 'node:fs';
import type { RawProcess } from './host.js';

/** A command line longer than this is cut here, by every reader alike (so cut lines still compare equal). */
export const CMDLINE_MAX_BYTES = 64 * 1024;
export const STAT_MAX_BYTES = 4096;
/** USER_HZ, the unit of /proc/<pid>/stat times; 100 on every mainstream Linux architecture. */
export const CLOCK_TICKS_PER_SECOND = 100;

/** First read of a /proc file: stat lines and most command lines fit. */
const FIRST_READ_BYTES = 2048;

/**
 * Bounded read of a /proc file; undefined when the process is gone or the
 * file is unreadable. Callback fs, not FileHandle: a listing makes a few
 * hundred of these and the promise API costs several times more per call.
 * The reads run on the libuv pool: reading the cmdline of a process stuck in
 * the kernel can block, and callers' time budgets must still fire.
 * The buffer starts small and grows (x8) only when a file fills it: a
 * buffer of the cap for each of thousands of reads (64 KB per command line)
 * made most of a check's garbage and of its peak memory.
 */
export function readProcFile(path: string, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    fs.open(path, fs.constants.O_RDONLY, (openError, fd) => {
      if (openError) return resolve(undefined);
      // Unzeroed: only the bytes read are ever looked at.
      let buffer = Buffer.allocUnsafe(Math.min(FIRST_READ_BYTES, maxBytes));
      const finish = (result: Buffer | undefined): void => fs.close(fd, () => resolve(result));
      // /proc files report size 0: read until EOF or the cap.
      const readFrom = (filled: number): void => {
        if (filled >= maxBytes) return finish(buffer);
        if (filled === buffer.length) {
          const larger = Buffer.allocUnsafe(Math.min(buffer.length * 8, maxBytes));
          buffer.copy(larger, 0, 0, filled);
          buffer = larger;
        }
        fs.read(fd, buffer, filled, buffer.length - filled, null, (readError, bytesRead) => {
          if (readError) return finish(undefined);
          if (bytesRead === 0) return finish(buffer.subarray(0, filled));
          readFrom(filled + bytesRead);
        });
      };
      readFrom(0);
    });
  });
}

/**
 * A process's environment is at most ARG_MAX together with its argv (2 MB on
 * Linux), usually a few KB; past this cap the variables after it are not seen.
 */
export const ENVIRON_MAX_BYTES = 128 * 1024;
/** Open files looked at per process: an agent's session file is opened early, a browser holds thousands. */
export const FDS_MAX = 1024;

/**
 * `/proc/<pid>/environ` as name → value, for the names `wanted` only (the rest
 * is dropped at once: environments hold tokens). Undefined when unreadable:
 * another user's process (root reads all), or gone. What a process wrote to
 * its own environment after it started is not there: this is the environment
 * it was started with.
 */
export async function readProcEnviron(pid: number, wanted: (name: string) => boolean): Promise<Map<string, string> | undefined> {
  const raw = await readProcFile(`/proc/${pid}/environ`, ENVIRON_MAX_BYTES);
  if (raw === undefined) return undefined;
  const found = new Map<string, string>();
  const entries = raw.toString('utf8').split('\0');
  // Cut at the cap: the last variable may be cut in the middle of its value.
  if (raw.length >= ENVIRON_MAX_BYTES) entries.pop();
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    if (equals <= 0) continue;
    const name = entry.slice(0, equals);
    if (wanted(name)) found.set(name, entry.slice(equals + 1));
  }
  return found;
}

/**
 * The files a process holds open: the targets of /proc/<pid>/fd/* that are
 * paths (sockets, pipes and anonymous inodes are left out), at most `max`.
 * Undefined when the folder cannot be read (another user's process).
 * Synchronous, like the stat and exe reads below: the fd folder and its links
 * are answered from the task's file table, without the memory map lock that
 * can hold cmdline and environ reads (see readProcStatNow).
 */
export async function readProcOpenFiles(pid: number, max: number = FDS_MAX): Promise<string[] | undefined> {
  let names: string[];
  try {
    names = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return undefined;
  }
  const targets = names.slice(0, max).map((name) => readProcLinkNow(`/proc/${pid}/fd/${name}`));
  return [...new Set(targets.flatMap((target) => (target?.startsWith('/') ? [target.replace(/ \(deleted\)$/, '')] : [])))];
}

/** The pids in /proc; undefined when /proc cannot be listed. Synchronous: the listing is the kernel's task list. */
export async function listProcPids(): Promise<number[] | undefined> {
  try {
    return fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return undefined;
  }
}

let bootTimeMs: Promise<number | undefined> | undefined;

/**
 * The boot time (btime in /proc/stat), read once per process. Once: btime
 * moves when the wall clock is stepped, and start instants computed from two
 * readings would not compare equal. Read synchronously: /proc/stat is kernel
 * counters, nothing a process can hold up.
 */
export function readBootTimeMs(): Promise<number | undefined> {
  bootTimeMs ??= Promise.resolve(readBootTimeNow());
  return bootTimeMs;
}

function readBootTimeNow(): number | undefined {
  try {
    const found = /^btime\s+(\d+)/m.exec(fs.readFileSync('/proc/stat', 'utf8'));
    return found ? Number(found[1]) * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** A start tick as an ISO instant (10 ms resolution): ProcessObservation.startTime's format. */
export function startTimeOf(bootMs: number, startTicks: number): string {
  return new Date(bootMs + (startTicks * 1000) / CLOCK_TICKS_PER_SECOND).toISOString();
}

export interface ProcStat {
  comm: string;
  state: string;
  ppid: number;
  /** Field 22: clock ticks after boot at which the process started. */
  startTicks: number;
}

/**
 * Parses /proc/<pid>/stat: `pid (comm) state ppid ... starttime ...`. comm is
 * whatever the program named itself and may hold spaces and parentheses, so
 * the line is split at the last ')'.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const fields = text.slice(close + 2).trim().split(' ');
  const state = fields[0];
  const ppid = Number(fields[1]);
  // Field 22 overall is index 19 after comm (fields 3..22).
  const startTicks = Number(fields[19]);
  if (state === undefined || state === '' || !Number.isInteger(ppid) || !Number.isInteger(startTicks)) return undefined;
  return { comm: text.slice(open + 1, close), state, ppid, startTicks };
}

/**
 * argv from /proc/<pid>/cmdline. A process that sets its title (Node's
 * process.title, as old Claude Code does) leaves its cmdline as the title
 * followed by the old argv area zeroed: every trailing empty entry is dropped.
 */
export function splitCmdline(raw: Buffer): string[] {
  const parts = raw.toString('utf8').split('\0');
  while (parts.length > 0 && parts.at(-1) === '') parts.pop();
  return parts;
}

/** How every reader names a process's command line: argv joined by spaces, or `[comm]` when there is none (kernel threads, zombies). */
export function commandLine(argv: readonly string[], comm: string): string {
  return argv.length > 0 ? argv.join(' ') : `[${comm}]`;
}

/** PF_KTHREAD in the flags of /proc/<pid>/stat (include/linux/sched.h). */
const PF_KTHREAD = 0x00200000;

/** Whether a stat line is a kernel thread's: no executable, no command line, nothing to read beyond it. */
function isKernelThreadStat(text: string): boolean {
  // Field 9 overall (flags) is index 6 after comm (fields 3..9).
  const flags = Number(text.slice(text.lastIndexOf(')') + 2).split(' ', 7)[6]);
  return Number.isInteger(flags) && (flags & PF_KTHREAD) !== 0;
}

/**
 * One buffer for the synchronous reads: they never overlap, and a listing of
 * thousands of processes then allocates nothing per stat line.
 */
const statScratch = Buffer.allocUnsafe(STAT_MAX_BYTES);

/**
 * /proc/<pid>/stat and its owner, read synchronously. Unlike cmdline and environ (which
 * read the process's memory and wait for its memory map lock, held for as
 * long as the process is stuck in the kernel), stat, the exe link and the
 * owner of /proc/<pid> are answered from the kernel's own task data without
 * that lock, so they cannot hang; sync they cost a few microseconds each
 * instead of a trip through the thread pool, a request object, a callback
 * and a buffer (measured: most of a check's time with 2,000 processes).
 */
export function readProcStatNow(pid: number): { text: string; uid: number | undefined } | undefined {
  let fd: number;
  try {
    fd = fs.openSync(`/proc/${pid}/stat`, fs.constants.O_RDONLY);
  } catch {
    return undefined;
  }
  try {
    let filled = 0;
    for (let read = -1; read !== 0 && filled < STAT_MAX_BYTES; filled += read) read = fs.readSync(fd, statScratch, filled, STAT_MAX_BYTES - filled, null);
    return { text: statScratch.toString('utf8', 0, filled), uid: ownerOf(fd) };
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The process's uid: the owner of its /proc files, which is that of
 * /proc/<pid> itself (both are the task's dump owner), asked of the open
 * stat file rather than by another path lookup.
 */
function ownerOf(fd: number): number | undefined {
  try {
    return fs.fstatSync(fd).uid;
  } catch {
    return undefined;
  }
}

function readProcLinkNow(path: string): string | undefined {
  try {
    return fs.readlinkSync(path);
  } catch {
    return undefined;
  }
}

/**
 * One process as every reader lists it: comm as name (ps-list's `name` is
 * the exe basename, but Node >= 24 shows `MainThread` and old Claude Code sets
 * process.title to `claude`), argv split exactly, the exe without
 * ` (deleted)`, the owner of /proc/<pid>, and the start instant. Undefined
 * when the process is gone. Only the command line is read through the thread
 * pool (see readProcStatNow); a kernel thread has none, nor an exe. `given`:
 * its stat line, when the caller has read it already; then a command line
 * that cannot be opened means the process has gone.
 */
export async function readLinuxProcess(pid: number, bootMs: number | undefined, given?: { text: string; uid: number | undefined }): Promise<{ raw: RawProcess; stat: ProcStat } | undefined> {
  const read = given ?? readProcStatNow(pid);
  const stat = read === undefined ? undefined : parseProcStat(read.text);
  if (stat === undefined) return undefined;
  const kernelThread = isKernelThreadStat(read!.text);
  const exe = kernelThread ? undefined : readProcLinkNow(`/proc/${pid}/exe`);
  const uid = read!.uid;
  const cmdline = kernelThread ? undefined : await readProcFile(`/proc/${pid}/cmdline`, CMDLINE_MAX_BYTES);
  // Its stat line read a while ago, a process whose command line cannot be opened now has gone (its pid may even be
  // another's by now): not the process that stat line named.
  if (given !== undefined && !kernelThread && cmdline === undefined) return undefined;
  const argv = cmdline ? splitCmdline(cmdline) : [];
  const raw: RawProcess = { pid, ppid: stat.ppid, name: stat.comm, cmd: commandLine(argv, stat.comm) };
  if (uid !== undefined) raw.uid = uid;
  if (argv.length > 0) raw.argv = argv;
  if (exe) raw.exe = exe.replace(/ \(deleted\)$/, '');
  if (bootMs !== undefined) raw.startTime = startTimeOf(bootMs, stat.startTicks);
  return { raw, stat };
}
