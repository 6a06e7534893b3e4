/**
 * Reading Linux's /proc for the watch, in two weights:
 *
 * - `stat(pid)`: one small file, /proc/<pid>/stat (comm, ppid, start tick).
 *   Enough to tell, every cycle, whether a pid we know is still the same
 *   process: a reused pid has another start tick, an exec another comm.
 * - `full(pid)`: what host.listProcesses() reads for every process
 *   (src/proc.ts readLinuxProcess), read only for processes the watch has
 *   not seen before.
 *
 * With ~370 processes a stat-only pass costs ~4 ms against ~14 ms for
 * host.listProcesses() (measured on a 2-core VM), and it never reads a
 * cmdline, which can block on a process stuck in the kernel.
 */
import type { RawProcess } from '../host.js';
import { listProcPids, parseProcStat, readBootTimeMs, readLinuxProcess, readProcFile, type ProcStat } from '../proc.js';

/**
 * The every-cycle read needs fields up to 22 (start time): pid, comm (at most
 * 64 bytes, kernel threads' included) and 20 numbers fit in ~500 bytes. A
 * smaller buffer per read keeps the garbage of a cycle over ~400 processes
 * small (4 KiB each was 1.5 MB per cycle, and the collections showed in the
 * cycle time).
 */
const STAT_PREFIX_BYTES = 1024;

/** What the watch needs from /proc; a seam so tests can replay pid reuse, which real processes cannot be made to do on demand. */
export interface ProcReader {
  /** The pids in /proc now; undefined when /proc cannot be listed. */
  pids(): Promise<number[] | undefined>;
  /** The pid's /proc/<pid>/stat; undefined when it is gone. */
  stat(pid: number): Promise<ProcStat | undefined>;
  /** The pid as host.listProcesses() would list it, with its start tick; undefined when it is gone. */
  full(pid: number): Promise<{ raw: RawProcess; stat: ProcStat } | undefined>;
}

async function readStat(pid: number): Promise<ProcStat | undefined> {
  const raw = await readProcFile(`/proc/${pid}/stat`, STAT_PREFIX_BYTES);
  return raw ? parseProcStat(raw.toString('utf8')) : undefined;
}

/**
 * The boot time that turns start ticks into start instants. The one reading
 * src/proc.ts keeps for the whole process, which terminate.ts uses too: its
 * re-check before a signal compares instants computed from the same value.
 */
export function bootTimeForTermination(): Promise<number | undefined> {
  return readBootTimeMs();
}

/** The real /proc. */
export function procReader(bootMs: number | undefined): ProcReader {
  return { pids: listProcPids, stat: readStat, full: (pid) => readLinuxProcess(pid, bootMs) };
}
