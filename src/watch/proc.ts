/**
 * Reading Linux's /proc for the watch, in two weights:
 *
 * - `stat(pid)`: one small file, /proc/<pid>/stat (comm, ppid, start tick).
 *   Enough to tell, every cycle, whether a pid we know is still the same
 *   process: a reused pid has another start tick, an exec another comm.
 * - `full(pid)`: what src/host.ts reads for every process in a listing
 *   (cmdline, stat, exe, owner), as a RawProcess built the same way, read
 *   only for processes the watch has not seen before.
 *
 * With ~370 processes a stat-only pass costs ~4 ms against ~14 ms for
 * host.listProcesses() (measured on a 2-core VM), and it never reads a
 * cmdline, which can block on a process stuck in the kernel.
 *
 * The full read duplicates host.ts's private readProcDetails()/rawProcess():
 * host.ts is not to change in this work, and test/watch/proc.test.ts keeps
 * the two equal on live processes.
 */
import fs from 'node:fs';
import type { RawProcess } from '../host.js';
import { parseProcStat, readProcessIdentity, type ProcStat } from '../terminate.js';

/** Same caps as src/host.ts: a command line cut at the same byte compares equal in terminate.ts. */
const CMDLINE_MAX_BYTES = 64 * 1024;
const STAT_MAX_BYTES = 4096;
/**
 * The every-cycle read needs fields up to 22 (start time): pid, comm (at most
 * 64 bytes, kernel threads' included) and 20 numbers fit in ~500 bytes. A
 * smaller buffer per read keeps the garbage of a cycle over ~400 processes
 * small (4 KiB each was 1.5 MB per cycle, and the collections showed in the
 * cycle time).
 */
const STAT_PREFIX_BYTES = 1024;
/** USER_HZ, as in src/host.ts and src/terminate.ts. */
const CLOCK_TICKS_PER_SECOND = 100;

/** What the watch needs from /proc; a seam so tests can replay pid reuse, which real processes cannot be made to do on demand. */
export interface ProcReader {
  /** The pids in /proc now; undefined when /proc cannot be listed. */
  pids(): Promise<number[] | undefined>;
  /** The pid's /proc/<pid>/stat; undefined when it is gone. */
  stat(pid: number): Promise<ProcStat | undefined>;
  /** The pid as host.listProcesses() would list it, with its start tick; undefined when it is gone. */
  full(pid: number): Promise<{ raw: RawProcess; stat: ProcStat } | undefined>;
}

/**
 * Bounded read on the libuv pool (callback fs: a few hundred reads per cycle,
 * and the promise API costs several times more per call, as host.ts notes).
 */
function readProcFile(path: string, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    fs.open(path, fs.constants.O_RDONLY, (openError, fd) => {
      if (openError) return resolve(undefined);
      // Unzeroed: only the bytes read are ever looked at.
      const buffer = Buffer.allocUnsafe(maxBytes);
      const finish = (result: Buffer | undefined): void => fs.close(fd, () => resolve(result));
      // /proc files report size 0: read until EOF or the cap.
      const readFrom = (filled: number): void => {
        if (filled >= maxBytes) return finish(buffer);
        fs.read(fd, buffer, filled, maxBytes - filled, null, (readError, bytesRead) => {
          if (readError) return finish(undefined);
          if (bytesRead === 0) return finish(buffer.subarray(0, filled));
          readFrom(filled + bytesRead);
        });
      };
      readFrom(0);
    });
  });
}

function readLink(path: string): Promise<string | undefined> {
  return new Promise((resolve) => fs.readlink(path, (error, target) => resolve(error ? undefined : target)));
}

function ownerOf(path: string): Promise<number | undefined> {
  return new Promise((resolve) => fs.stat(path, (error, stats) => resolve(error ? undefined : stats.uid)));
}

function listPids(): Promise<number[] | undefined> {
  return new Promise((resolve) =>
    fs.readdir('/proc', (error, names) => resolve(error ? undefined : names.filter((name) => /^\d+$/.test(name)).map(Number))),
  );
}

async function readStat(pid: number): Promise<ProcStat | undefined> {
  const raw = await readProcFile(`/proc/${pid}/stat`, STAT_PREFIX_BYTES);
  return raw ? parseProcStat(raw.toString('utf8')) : undefined;
}

/**
 * The boot time that turns start ticks into the ISO instants of
 * ProcessObservation.startTime. It must be the very value src/terminate.ts
 * uses when it re-checks a target's start time before signalling: /proc/stat's
 * btime moves when the wall clock is stepped (NTP), and terminate.ts reads it
 * once, on first use. So it is derived from terminate.ts's own reading of this
 * process (its start instant minus its start tick), which also makes
 * terminate.ts take its reading now, at the same moment as ours.
 */
export async function bootTimeForTermination(): Promise<number | undefined> {
  const [identity, own] = await Promise.all([readProcessIdentity(process.pid), readStat(process.pid)]);
  if (identity?.startTime === undefined || own === undefined) return undefined;
  return Date.parse(identity.startTime) - (own.startTicks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** A start tick as the ISO instant host.ts and terminate.ts compute. */
export function startTimeOf(bootMs: number, startTicks: number): string {
  return new Date(bootMs + (startTicks * 1000) / CLOCK_TICKS_PER_SECOND).toISOString();
}

/**
 * One process as host.ts's rawProcess() builds it: comm as name, argv joined
 * by spaces as cmd (`[comm]` for kernel threads), trailing empty argv entries
 * dropped (a process that set its title leaves the old argv area zeroed), exe
 * without ` (deleted)`, the owner of /proc/<pid>.
 */
async function readFull(pid: number, bootMs: number | undefined): Promise<{ raw: RawProcess; stat: ProcStat } | undefined> {
  const [cmdline, statRaw, exe, uid] = await Promise.all([
    readProcFile(`/proc/${pid}/cmdline`, CMDLINE_MAX_BYTES),
    readProcFile(`/proc/${pid}/stat`, STAT_MAX_BYTES),
    readLink(`/proc/${pid}/exe`),
    ownerOf(`/proc/${pid}`),
  ]);
  const stat = statRaw ? parseProcStat(statRaw.toString('utf8')) : undefined;
  if (stat === undefined) return undefined;
  const argv = cmdline ? cmdline.toString('utf8').split('\0') : [];
  while (argv.length > 0 && argv.at(-1) === '') argv.pop();
  const raw: RawProcess = { pid, ppid: stat.ppid, name: stat.comm, cmd: argv.length > 0 ? argv.join(' ') : `[${stat.comm}]` };
  if (uid !== undefined) raw.uid = uid;
  if (argv.length > 0) raw.argv = argv;
  if (exe) raw.exe = exe.replace(/ \(deleted\)$/, '');
  if (bootMs !== undefined) raw.startTime = startTimeOf(bootMs, stat.startTicks);
  return { raw, stat };
}

/** The real /proc. */
export function procReader(bootMs: number | undefined): ProcReader {
  return { pids: listPids, stat: readStat, full: (pid) => readFull(pid, bootMs) };
}
