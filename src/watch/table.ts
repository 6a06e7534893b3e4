/**
 * The watch's view of the process table: the live set, kept from cycle to
 * cycle, and what changed since the last look.
 *
 * A process is its pid AND its start time: a pid that comes back with another
 * start time is a new process (the old one is `gone`). A process that stays
 * but runs another program (exec: same pid and start, new comm), or whose
 * command line was still its parent's when first read (caught between fork
 * and exec), is `changed` and matched again.
 *
 * Memory stays flat: an entry lives exactly as long as its process, and
 * whatever the watch attaches to it (the tools reported) goes with it.
 */
import type { Host, RawProcess } from '../host.js';
import type { Confidence } from '../types.js';
import type { ProcStat } from '../terminate.js';
import type { ProcReader } from './proc.js';

export interface ReportedFinding {
  /** Action, rule and terminate, as compared between policy versions. */
  verdict: string;
  confidence: Confidence;
}

export interface LiveProcess {
  /** `pid@start`: what makes two sightings the same process. */
  readonly key: string;
  /** The latest full read (ppid kept current every cycle). */
  raw: RawProcess;
  /** Tools already reported for this process, each with the verdict and confidence it was reported with. */
  reported?: Map<string, ReportedFinding>;
}

export interface TableChanges {
  /** Processes not in the live set before (pid reuse included). */
  added: LiveProcess[];
  /** Known processes whose program or command line changed: to be matched again. */
  changed: LiveProcess[];
  /** Processes that left the table (or whose pid now belongs to another). */
  gone: LiveProcess[];
}

export interface ProcessTable {
  /** Reads the table and updates the live set; throws when the table cannot be read at all. */
  refresh(): Promise<TableChanges>;
  readonly live: ReadonlyMap<number, LiveProcess>;
}

const byPid = (a: LiveProcess, b: LiveProcess) => a.raw.pid - b.raw.pid;

function sorted(changes: TableChanges): TableChanges {
  return { added: changes.added.sort(byPid), changed: changes.changed.sort(byPid), gone: changes.gone.sort(byPid) };
}

/** Same program and command line (what matching looks at, apart from packages found from them). */
function sameProgram(a: RawProcess, b: RawProcess): boolean {
  return a.name === b.name && a.cmd === b.cmd && a.exe === b.exe;
}

interface ProcEntry extends LiveProcess {
  startTicks: number;
  /**
   * Read in full a second time? A new process is read again on the next
   * cycle: if it was caught between fork and exec, its first read showed the
   * parent's program, and an exec from a program with the same comm (node
   * running node) would not show in stat.
   */
  settled: boolean;
}

/**
 * Linux: /proc, incrementally. Every cycle: the pid list and each known pid's
 * stat; the full details only for pids that are new, reused, exec'd, or not
 * yet read twice.
 */
export class ProcTable implements ProcessTable {
  readonly #entries = new Map<number, ProcEntry>();

  constructor(private readonly reader: ProcReader) {}

  get live(): ReadonlyMap<number, LiveProcess> {
    return this.#entries;
  }

  async refresh(): Promise<TableChanges> {
    const pids = await this.reader.pids();
    if (pids === undefined) throw new Error('cannot list /proc');
    const changes: TableChanges = { added: [], changed: [], gone: [] };
    const present = new Set(pids);
    for (const [pid, entry] of this.#entries) {
      if (!present.has(pid)) {
        this.#entries.delete(pid);
        changes.gone.push(entry);
      }
    }
    await Promise.all(pids.map((pid) => this.#update(pid, changes)));
    return sorted(changes);
  }

  async #update(pid: number, changes: TableChanges): Promise<void> {
    const entry = this.#entries.get(pid);
    if (entry === undefined) return this.#add(pid, changes);
    if (!entry.settled) {
      const read = await this.reader.full(pid);
      if (read === undefined) return this.#drop(entry, changes);
      if (read.stat.startTicks !== entry.startTicks) return this.#replace(entry, read, changes);
      entry.settled = true;
      if (!sameProgram(entry.raw, read.raw)) changes.changed.push(entry);
      entry.raw = read.raw;
      return;
    }
    const stat = await this.reader.stat(pid);
    if (stat === undefined) return this.#drop(entry, changes);
    if (stat.startTicks !== entry.startTicks) return this.#replace(entry, await this.reader.full(pid), changes);
    if (stat.comm !== entry.raw.name) {
      // exec'd (or renamed itself): read it again now, and once more next cycle.
      const read = await this.reader.full(pid);
      if (read === undefined) return this.#drop(entry, changes);
      if (read.stat.startTicks !== entry.startTicks) return this.#replace(entry, read, changes);
      entry.raw = read.raw;
      entry.settled = false;
      changes.changed.push(entry);
      return;
    }
    entry.raw.ppid = stat.ppid;
  }

  async #add(pid: number, changes: TableChanges): Promise<void> {
    const read = await this.reader.full(pid);
    // Gone between the listing and the read: it was never in the live set.
    if (read === undefined) return;
    const entry = this.#entry(read);
    this.#entries.set(pid, entry);
    changes.added.push(entry);
  }

  #drop(entry: ProcEntry, changes: TableChanges): void {
    this.#entries.delete(entry.raw.pid);
    changes.gone.push(entry);
  }

  #replace(entry: ProcEntry, read: { raw: RawProcess; stat: ProcStat } | undefined, changes: TableChanges): void {
    this.#drop(entry, changes);
    if (read === undefined) return;
    const fresh = this.#entry(read);
    this.#entries.set(fresh.raw.pid, fresh);
    changes.added.push(fresh);
  }

  #entry(read: { raw: RawProcess; stat: ProcStat }): ProcEntry {
    return { key: `${read.raw.pid}@${read.stat.startTicks}`, raw: read.raw, startTicks: read.stat.startTicks, settled: false };
  }
}

/**
 * Elsewhere (macOS, Windows, a Linux without a readable /proc): the host's
 * full listing every cycle (ps-list), diffed against the live set. Without a
 * start time (Windows), the name stands in for it, so a pid reused by another
 * program still counts as a new process.
 */
export class ListedTable implements ProcessTable {
  readonly #entries = new Map<number, LiveProcess>();

  constructor(private readonly host: Pick<Host, 'listProcesses'>) {}

  get live(): ReadonlyMap<number, LiveProcess> {
    return this.#entries;
  }

  async refresh(): Promise<TableChanges> {
    const listing = await this.host.listProcesses();
    const changes: TableChanges = { added: [], changed: [], gone: [] };
    const present = new Set(listing.map((raw) => raw.pid));
    for (const [pid, entry] of this.#entries) {
      if (!present.has(pid)) {
        this.#entries.delete(pid);
        changes.gone.push(entry);
      }
    }
    for (const raw of listing) {
      const key = `${raw.pid}@${raw.startTime ?? raw.name}`;
      const entry = this.#entries.get(raw.pid);
      if (entry !== undefined && entry.key === key) {
        if (!sameProgram(entry.raw, raw)) changes.changed.push(entry);
        entry.raw = raw;
        continue;
      }
      if (entry !== undefined) changes.gone.push(entry);
      const fresh: LiveProcess = { key, raw };
      this.#entries.set(raw.pid, fresh);
      changes.added.push(fresh);
    }
    return sorted(changes);
  }
}
