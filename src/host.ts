/**
 * The one seam through which scanners read the machine: environment, OS,
 * home folder, file system and process table. The real host reads this
 * machine; a fixture host reads a macOS or Windows layout from a folder, so
 * those layouts run through the same scanner code on Linux.
 *
 * Paths crossing this seam are logical paths of the target OS written with
 * forward slashes (`/Users/alice/.claude`, `C:/Users/alice/AppData/Roaming`).
 *
 * On Windows the host also reads the registry's Uninstall keys, by running
 * `%SystemRoot%\System32\reg.exe query <key> /s`: the only program aitool
 * starts to look at the machine (Node has no registry API without a native
 * addon). A Windows fixture host reads that output from a file instead.
 */
import { chainOrigin } from './self.js';
import {
  closeSync,
  constants as fsConstants,
  fstatSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync,
  statSync,
  type Dirent,
  type Stats,
} from 'node:fs';
import { homedir } from 'node:os';
import { basename as nativeBasename } from 'node:path';
import type { OperatingSystem } from './catalog/schema.js';
import { listProcPids, parseProcStat, readBootTimeMs, readLinuxProcess, readProcEnviron, readProcOpenFiles, readProcStatNow } from './proc.js';
import { toSlashes } from './patterns.js';

/** A process as the platform lists it, before any tool knowledge is applied. */
export interface RawProcess {
  pid: number;
  ppid: number;
  uid?: number;
  /** Kernel process name (comm on Linux; `process.title` changes it). */
  name: string;
  /** Command line as one string. */
  cmd: string;
  /** argv where the platform gives it split (/proc/<pid>/cmdline); otherwise absent. */
  argv?: string[];
  /** Resolved executable path (/proc/<pid>/exe on Linux). */
  exe?: string;
  /** ISO time the process started, where known (used to tell a reused pid apart). */
  startTime?: string;
}

export interface FileInfo {
  type: 'file' | 'directory' | 'symlink' | 'fifo' | 'socket' | 'device' | 'other';
  size: number;
  /** Permission bits. */
  mode: number;
  mtimeMs: number;
  uid?: number;
}

export interface DirEntry {
  name: string;
  type: FileInfo['type'];
}

/** The Uninstall keys read on Windows: Add/Remove Programs' list, machine-wide (64- and 32-bit views) and per-user. */
export const UNINSTALL_KEYS: readonly string[] = [
  'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall',
  'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall',
  'HKCU\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall',
];
/** How long one `reg query` may take (a few hundred installed programs print in ~100 ms). */
export const REG_QUERY_TIMEOUT_MS = 1500;
/** Output read per key (and from a fixture's capture): a thousand installed programs print about 1.5 MB. */
export const REG_QUERY_MAX_BYTES = 4 * 1024 * 1024;
/** Where a Windows fixture layout keeps its captured `reg query` output, relative to the fixture root. */
export const FIXTURE_REGISTRY_FILE = '__registry__/uninstall.txt';

/** What reading the Uninstall keys gave. */
export interface RegistryRead {
  /** `reg query <key> /s` output of every key that was read, one after another (a key that does not exist adds nothing). */
  text: string;
  /** Keys that could not be read, or only in part, and why (`reg.exe timed out after 1500 ms`). */
  problems: Array<{ key: string; message: string }>;
}

export interface Host {
  readonly os: OperatingSystem;
  /** The user's home folder (logical path). */
  readonly home: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** aitool's own pid. */
  readonly pid: number;
  /** PATH (or Path on Windows) split into entries, in order. */
  pathEntries(): string[];
  /** lstat: undefined when missing or unreadable. Never follows a link. */
  lstat(path: string): Promise<FileInfo | undefined>;
  /** stat: undefined when missing, unreadable or a broken link. */
  stat(path: string): Promise<FileInfo | undefined>;
  /** Folder listing; throws (with `code`) when unreadable so the caller can note it. */
  readdir(path: string): Promise<DirEntry[]>;
  /** Follows links; throws (ELOOP, ENOENT, EACCES) so the caller can note it. */
  realpath(path: string): Promise<string>;
  /**
   * Reads at most `maxBytes` of a regular file as UTF-8. Returns undefined for
   * anything that is not a regular file (a FIFO or device is never opened for
   * reading) or cannot be read.
   */
  readTextFile(path: string, maxBytes: number): Promise<string | undefined>;
  /**
   * Reads at most `maxBytes` of a regular file from byte `offset` (0 when
   * absent): fewer at the end of the file, none past it. Same rules as
   * readTextFile: undefined for anything that is not a regular file (a FIFO
   * or device is never opened for reading) or cannot be read.
   */
  readFileBytes(path: string, maxBytes: number, offset?: number): Promise<Buffer | undefined>;
  listProcesses(): Promise<RawProcess[]>;
  /**
   * `pid` and its ancestors up to pid 1, child first. On Linux it reads only
   * that chain from /proc (a git hook's session check needs a handful of
   * processes, not the table); elsewhere it is cut from the full listing.
   */
  processChain(pid: number): Promise<RawProcess[]>;
  /**
   * The environment a process was started with, only the variables `wanted`
   * accepts; undefined when it cannot be read. Present only where the OS lets
   * an unprivileged program read it without starting another one: Linux
   * (/proc/<pid>/environ, the user's own processes, all of them as root).
   * macOS gives it for one's own processes through sysctl KERN_PROCARGS2 or
   * `ps -E`, neither reachable from Node without a native addon or another
   * program; Windows keeps it in the process's memory (PEB), read only with a
   * process handle and ReadProcessMemory.
   */
  processEnvironment?(pid: number, wanted: (name: string) => boolean): Promise<Map<string, string> | undefined>;
  /**
   * Paths of the files a process holds open (bounded count); undefined when
   * they cannot be read. Linux only (/proc/<pid>/fd, same permissions as the
   * environment): macOS answers through proc_pidinfo or `lsof`, Windows only
   * through handle enumeration (NtQuerySystemInformation), none of them open
   * to Node.
   */
  processOpenFiles?(pid: number): Promise<string[] | undefined>;
  /**
   * Windows only (absent on other hosts): the Uninstall keys (UNINSTALL_KEYS)
   * as `reg query <key> /s` prints them. The real host runs
   * `%SystemRoot%\System32\reg.exe` once per key, concurrently, each bounded in
   * time and output; a fixture host reads FIXTURE_REGISTRY_FILE under its root
   * (missing: no installed programs). Rejects with the signal's reason once it
   * is aborted; other failures are reported per key in `problems`.
   */
  readRegistryUninstall?(signal: AbortSignal): Promise<RegistryRead>;
}

// ---------------------------------------------------------------------------
// Implementations: the real machine and fixture layouts share one file-system
// view; only the mapping between logical and real paths differs.
// ---------------------------------------------------------------------------


type Env = Record<string, string | undefined>;

/** How logical paths of the target OS map onto this machine's file system. */
interface PathView {
  /** Logical path → real path, without following links. */
  toReal(path: string): string;
  /** Logical path → real path of what it finally points at (throws like realpath); for the real machine the OS follows links itself. */
  follow(path: string): string;
  /** Real path → logical path. */
  toLogical(realPath: string): string;
}

function fileType(stats: Stats | Dirent): FileInfo['type'] {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isFIFO()) return 'fifo';
  if (stats.isSocket()) return 'socket';
  if (stats.isBlockDevice() || stats.isCharacterDevice()) return 'device';
  return 'other';
}

function fileInfo(stats: Stats): FileInfo {
  return { type: fileType(stats), size: stats.size, mode: stats.mode & 0o7777, mtimeMs: stats.mtimeMs, uid: stats.uid };
}

/**
 * ENOENT for a folder a scan wanted to list, as callers test it (`code`,
 * instanceof Error), made without capturing a stack: it is expected, caught
 * at once, and never shown with a trace.
 */
function missingFolder(path: string): NodeJS.ErrnoException {
  const error = Object.create(Error.prototype) as NodeJS.ErrnoException;
  return Object.assign(error, { code: 'ENOENT', syscall: 'scandir', path, message: `ENOENT: no such file or directory, scandir '${path}'` });
}

/** undefined for a path that is missing (no Error built) or cannot be looked at (ENOTDIR, EACCES, ELOOP). */
function statQuietly(how: typeof statSync | typeof lstatSync, path: string): FileInfo | undefined {
  try {
    const stats = how(path, { throwIfNoEntry: false });
    return stats === undefined ? undefined : fileInfo(stats);
  } catch {
    return undefined;
  }
}

function delimiterOf(os: OperatingSystem): string {
  return os === 'windows' ? ';' : ':';
}

/** PATH is `Path` on Windows, and environment names ignore case there. */
function readPath(os: OperatingSystem, env: Readonly<Env>): string | undefined {
  if (os !== 'windows') return env.PATH;
  const key = Object.keys(env).find((name) => name.toUpperCase() === 'PATH');
  return key === undefined ? undefined : env[key];
}

function splitPath(os: OperatingSystem, env: Readonly<Env>): string[] {
  const value = readPath(os, env);
  if (!value) return [];
  return value.split(delimiterOf(os)).map((entry) => {
    // Windows PATH entries are sometimes quoted ("C:\Program Files\x").
    const unquoted = os === 'windows' ? entry.trim().replace(/^"(.*)"$/, '$1') : entry;
    return unquoted === '' ? '' : toSlashes(unquoted);
  });
}

// O_NONBLOCK: if a regular file is swapped for a FIFO between stat and open, open still returns at once.
const READ_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0);

type ReadRegistry = (signal: AbortSignal) => Promise<RegistryRead>;

/**
 * At most `maxBytes` of the regular file `target` from `offset`; undefined for
 * anything else. Stat first (a FIFO or device is never opened), O_NONBLOCK on
 * the open and fstat after it (a FIFO swapped in between returns at once and
 * is refused), always closed. Throws only what stat/open throw.
 */
function readRegularFileBytes(target: string, maxBytes: number, offset: number): Buffer | undefined {
  const before = statSync(target, { throwIfNoEntry: false });
  if (before === undefined || !before.isFile()) return undefined;
  const fd = openSync(target, READ_FLAGS);
  try {
    // The file may have been replaced between stat and open.
    if (!fstatSync(fd).isFile()) return undefined;
    const start = Math.max(0, Math.floor(offset));
    // Files such as those in /proc report size 0: read up to the cap.
    const available = before.size > 0 ? Math.max(0, before.size - start) : maxBytes;
    const size = Math.max(0, Math.min(maxBytes, available));
    const buffer = Buffer.alloc(size);
    let filled = 0;
    while (filled < size) {
      const bytesRead = readSync(fd, buffer, filled, size - filled, start + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    try {
      closeSync(fd);
    } catch {
      // Nothing left to do with a descriptor that will not close.
    }
  }
}

class FileSystemHost implements Host {
  readonly readRegistryUninstall?: ReadRegistry;
  readonly processEnvironment?: (pid: number, wanted: (name: string) => boolean) => Promise<Map<string, string> | undefined>;
  readonly processOpenFiles?: (pid: number) => Promise<string[] | undefined>;

  constructor(
    readonly os: OperatingSystem,
    readonly home: string,
    readonly env: Readonly<Env>,
    readonly pid: number,
    private readonly view: PathView,
    private readonly processes: () => Promise<RawProcess[]>,
    registry?: ReadRegistry,
    private readonly chain?: (pid: number) => Promise<RawProcess[] | undefined>,
    procfs?: boolean,
  ) {
    if (registry) this.readRegistryUninstall = registry;
    if (procfs) {
      this.processEnvironment = readProcEnviron;
      this.processOpenFiles = readProcOpenFiles;
    }
  }


  pathEntries(): string[] {
    return splitPath(this.os, this.env);
  }

  // Every file-system call here is synchronous, behind the async interface
  // (fixture hosts and callers keep awaiting it). The scan's calls are small
  // and many (a check makes ~1,300): through the thread pool each costs a
  // request object, a promise, a callback and two thread hand-overs, and
  // loading node:fs/promises pulls in readline and stream modules besides;
  // measured, ~10 ms of a check. Most paths asked about do not exist:
  // throwIfNoEntry: false builds no Error (a captured stack each) for them.
  // Nothing here can block on what a path is: stat/lstat/readdir/realpath do
  // not open files, and readFileBytes opens only what stat says is a regular
  // file, with O_NONBLOCK, and checks it again on the descriptor, so a FIFO or
  // device swapped in never blocks. A hung network mount blocks the check at
  // that call; the thread pool would not have saved a check from it either,
  // since git and Node's own start in that folder block alike.
  async lstat(path: string): Promise<FileInfo | undefined> {
    return statQuietly(lstatSync, this.view.toReal(path));
  }

  async stat(path: string): Promise<FileInfo | undefined> {
    let target: string;
    try {
      target = this.view.follow(path);
    } catch {
      return undefined;
    }
    return statQuietly(statSync, target);
  }

  async readdir(path: string): Promise<DirEntry[]> {
    const real = this.view.follow(path);
    // Most folders a scan asks to list do not exist (~150 of ~220 in a check here, more with a bigger catalog), and
    // readdir's own ENOENT is an Error built with a captured stack (~10 µs each without V8's optimizing tiers). A stat
    // that builds none finds them first; the ENOENT thrown instead carries no stack. Anything else is readdir's own.
    if (statSync(real, { throwIfNoEntry: false }) === undefined) throw missingFolder(path);
    const entries = readdirSync(real, { withFileTypes: true });
    return entries.map((entry) => ({ name: entry.name, type: fileType(entry) }));
  }

  async realpath(path: string): Promise<string> {
    // .native: realpath(3), as fs/promises' realpath was (the JS one differs on /proc links).
    return this.view.toLogical(realpathSync.native(this.view.follow(path)));
  }

  async readTextFile(path: string, maxBytes: number): Promise<string | undefined> {
    return (await this.readFileBytes(path, maxBytes))?.toString('utf8');
  }

  async readFileBytes(path: string, maxBytes: number, offset = 0): Promise<Buffer | undefined> {
    try {
      return readRegularFileBytes(this.view.follow(path), maxBytes, offset);
    } catch {
      return undefined;
    }
  }

  listProcesses(): Promise<RawProcess[]> {
    return this.processes();
  }

  async processChain(pid: number): Promise<RawProcess[]> {
    const direct = await this.chain?.(pid);
    if (direct !== undefined) return direct;
    const byPid = new Map((await this.processes()).map((raw) => [raw.pid, raw]));
    const chain: RawProcess[] = [];
    const seen = new Set<number>();
    for (let raw = byPid.get(pid); raw !== undefined && !seen.has(raw.pid) && chain.length < MAX_CHAIN; raw = byPid.get(raw.ppid)) {
      seen.add(raw.pid);
      chain.push(raw);
    }
    return chain;
  }
}

/** Deeper than any real process tree; a chain this long is a loop or a trick. */
const MAX_CHAIN = 128;

// ---------------------------------------------------------------------------
// The real machine
// ---------------------------------------------------------------------------

function currentOs(): OperatingSystem {
  if (process.platform === 'darwin') return 'macos';
  if (process.platform === 'win32') return 'windows';
  return 'linux';
}

const realView: PathView = {
  toReal: (path) => path,
  follow: (path) => path,
  toLogical: (realPath) => toSlashes(realPath),
};

export interface CreateHostOptions {
  /** The environment to read (HOME, PATH, APPDATA, ...); process.env when absent. */
  env?: Record<string, string | undefined>;
}

/** The machine aitool runs on. */
export function createHost(options: CreateHostOptions = {}): Host {
  const env: Env = options.env ?? { ...process.env };
  const os = currentOs();
  const fromEnv = os === 'windows' ? (env.USERPROFILE ?? env.HOME) : env.HOME;
  const home = toSlashes(fromEnv && fromEnv.trim() !== '' ? fromEnv : homedir());
  const regExe = regExePath(env);
  const registry = os === 'windows' ? (signal: AbortSignal) => queryRegistryKeys(regExe, UNINSTALL_KEYS, signal) : undefined;
  return new FileSystemHost(os, home, env, chainOrigin().pid, realView, () => listRealProcesses(os), registry, os === 'linux' ? linuxProcessChain : undefined, os === 'linux');
}

// ---------------------------------------------------------------------------
// The Windows registry, through reg.exe
// ---------------------------------------------------------------------------

/**
 * The system's reg.exe: `%SystemRoot%\System32\reg.exe`, an absolute path
 * (never looked up on PATH). SystemRoot must be an absolute drive path
 * without `..`; otherwise `C:\Windows` is used.
 */
export function regExePath(env: Readonly<Env>): string {
  const name = Object.keys(env).find((key) => key.toUpperCase() === 'SYSTEMROOT');
  const value = name === undefined ? undefined : env[name]?.trim();
  const usable = value !== undefined && /^[A-Za-z]:[\\/]/.test(value) && !/(^|[\\/])\.\.([\\/]|$)/.test(value) && !/["*?<>|;\0]/.test(value);
  const root = (usable ? value : 'C:\\Windows').replace(/\//g, '\\').replace(/\\+$/, '');
  return `${root}\\System32\\reg.exe`;
}

export interface RegQueryLimits {
  timeoutMs?: number;
  maxBytes?: number;
}

/** Text cut back to its last complete line. */
function wholeLines(text: string): string {
  return text.slice(0, text.lastIndexOf('\n') + 1);
}

function firstLine(text: string): string {
  return text.trim().split(/\r?\n/)[0]?.trim() ?? '';
}

/**
 * Runs `<regExe> query <key> /s` for each key, concurrently, through execa:
 * no shell, no window, stdin closed, each run bounded by a timeout and an
 * output cap and ended when `signal` aborts. A key that does not exist (reg
 * exits 1 saying it cannot find it) gives nothing; any other failure is a
 * problem for that key, and the keys that were read still count. Output is
 * decoded as UTF-8: reg.exe writes in the console code page, so a non-ASCII
 * character in a path may read wrong (the names compared are ASCII). Exported so
 * the process handling is tested with a stand-in program; the Windows host
 * calls it with regExePath() and UNINSTALL_KEYS.
 */
export async function queryRegistryKeys(
  regExe: string,
  keys: readonly string[],
  signal: AbortSignal,
  limits: RegQueryLimits = {},
): Promise<RegistryRead> {
  signal.throwIfAborted();
  const timeout = limits.timeoutMs ?? REG_QUERY_TIMEOUT_MS;
  const maxBytes = limits.maxBytes ?? REG_QUERY_MAX_BYTES;
  // Loaded here, not at start-up: only a Windows scan with something to look for needs it.
  const { execa } = await import('execa');
  const outcomes = await Promise.all(
    keys.map(async (key): Promise<{ text: string; problem?: string }> => {
      const result = await execa(regExe, ['query', key, '/s'], {
        shell: false,
        windowsHide: true,
        stdin: 'ignore',
        timeout,
        maxBuffer: maxBytes,
        cancelSignal: signal,
        forceKillAfterDelay: 500,
        stripFinalNewline: false,
        reject: false,
      });
      const stdout = typeof result.stdout === 'string' ? result.stdout : '';
      const stderr = typeof result.stderr === 'string' ? result.stderr : '';
      if (result.isCanceled) return { text: '' };
      if (result.timedOut) return { text: '', problem: `reg.exe timed out after ${timeout} ms` };
      if (result.isMaxBuffer) return { text: wholeLines(stdout), problem: `reg.exe printed more than ${maxBytes} characters; only the lines before that were read` };
      if (result.exitCode === 0) return { text: stdout };
      // `ERROR: The system was unable to find the specified registry key or value.`: the key is not there (no per-user installs, a 32-bit Windows).
      if (result.exitCode === 1 && stdout.trim() === '' && /unable to find/i.test(stderr)) return { text: '' };
      if (result.exitCode === undefined) {
        const cause: unknown = result.cause;
        const code = cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string' ? cause.code : firstLine(result.shortMessage ?? '');
        return { text: '', problem: `reg.exe could not be started (${code})` };
      }
      const why = firstLine(stderr);
      return { text: '', problem: `reg.exe exited with code ${result.exitCode}${why ? `: ${why}` : ''}` };
    }),
  );
  signal.throwIfAborted();
  const read: RegistryRead = { text: '', problems: [] };
  outcomes.forEach((outcome, index) => {
    if (outcome.text) read.text += outcome.text.endsWith('\n') ? outcome.text : `${outcome.text}\n`;
    if (outcome.problem) read.problems.push({ key: keys[index]!, message: outcome.problem });
  });
  return read;
}

/** A fixture's captured `reg query` output: bounded like reg.exe's, nothing when the layout has none. */
async function readFixtureRegistry(root: string, signal: AbortSignal): Promise<RegistryRead> {
  signal.throwIfAborted();
  const file = `${toSlashes(root)}/${FIXTURE_REGISTRY_FILE}`;
  try {
    const info = statSync(file);
    if (!info.isFile()) return { text: '', problems: [{ key: FIXTURE_REGISTRY_FILE, message: `not a regular file` }] };
    const text = (readRegularFileBytes(file, REG_QUERY_MAX_BYTES, 0) ?? Buffer.alloc(0)).toString('utf8');
    if (info.size > REG_QUERY_MAX_BYTES) {
      return { text: wholeLines(text), problems: [{ key: FIXTURE_REGISTRY_FILE, message: `larger than ${REG_QUERY_MAX_BYTES} bytes; only the lines before that were read` }] };
    }
    return { text, problems: [] };
  } catch (error) {
    const code = error && typeof error === 'object' && 'code' in error ? String(error.code) : String(error);
    if (code === 'ENOENT') return { text: '', problems: [] };
    return { text: '', problems: [{ key: FIXTURE_REGISTRY_FILE, message: `unreadable (${code})` }] };
  }
}

async function listRealProcesses(os: OperatingSystem): Promise<RawProcess[]> {
  if (os === 'linux') {
    const fromProc = await listLinuxProcesses();
    if (fromProc.length > 0) return fromProc;
    // No readable /proc (an unusual mount or a locked-down container): ask ps, through ps-list.
  }
  const { default: psList } = await import('ps-list');
  // macOS and Windows: ps-list is all there is (no argv split, exe guessed from the command line on macOS).
  const listed = await psList({ all: true });
  return listed.map((entry) => {
    const raw: RawProcess = {
      pid: entry.pid,
      ppid: entry.ppid,
      name: nativeBasename(entry.name),
      cmd: entry.cmd || entry.name,
    };
    if (entry.uid !== undefined) raw.uid = entry.uid;
    if (entry.path && /^(\/|[A-Za-z]:[\\/])/.test(entry.path)) raw.exe = toSlashes(entry.path);
    if (entry.startTime) raw.startTime = entry.startTime.toISOString();
    return raw;
  });
}

/**
 * The process table straight from /proc, which is what ps itself reads: it
 * saves spawning ps (the largest single cost of a check, which a pre-commit
 * hook pays on every commit) and gives argv split exactly, comm and the exe.
 */
async function listLinuxProcesses(): Promise<RawProcess[]> {
  const [pids, bootMs] = await Promise.all([listProcPids(), readBootTimeMs()]);
  if (pids === undefined) return [];
  // Processes gone between the listing and the read are left out.
  const listed = await Promise.all(pids.map((pid) => readLinuxProcess(pid, bootMs)));
  return listed.flatMap((found) => (found ? [found.raw] : []));
}

/**
 * The chain from `pid` up to pid 1; undefined when /proc cannot be read (ps-list then). The chain is walked by the
 * stat lines, read at once (they cannot hang); then the processes' command lines are read through the thread pool
 * all together, not one after another (a hook's session check waited for each in turn).
 */
async function linuxProcessChain(pid: number): Promise<RawProcess[] | undefined> {
  // No process at all: an empty chain, not a reason to list every process.
  if (!(pid > 0)) return [];
  const bootMs = await readBootTimeMs();
  const walked: Array<{ pid: number; read: NonNullable<ReturnType<typeof readProcStatNow>> }> = [];
  const seen = new Set<number>();
  for (let next = pid; next > 0 && !seen.has(next) && walked.length < MAX_CHAIN; ) {
    seen.add(next);
    const read = readProcStatNow(next);
    const stat = read === undefined ? undefined : parseProcStat(read.text);
    if (stat === undefined) break;
    walked.push({ pid: next, read: read! });
    next = stat.ppid;
  }
  const chain: RawProcess[] = [];
  // A process gone meanwhile ends the chain there, as it did when the chain was read one by one.
  for (const found of await Promise.all(walked.map((entry) => readLinuxProcess(entry.pid, bootMs, entry.read)))) {
    if (found === undefined) break;
    chain.push(found.raw);
  }
  return chain.length === 0 ? undefined : chain;
}

// ---------------------------------------------------------------------------
// Fixture layouts
// ---------------------------------------------------------------------------

export interface FixtureHostOptions {
  os: OperatingSystem;
  /** Folder holding the layout: `/Users/ada` is `${root}/Users/ada`, `C:/Users/ada` is `${root}/C/Users/ada`. */
  root: string;
  /** Logical home folder (`/Users/ada`, `C:/Users/ada`). */
  home: string;
  env?: Record<string, string | undefined>;
  /** What listProcesses() returns. */
  processes?: RawProcess[];
  /** Defaults to this process's pid. */
  pid?: number;
}

const MAX_SYMLINK_HOPS = 40;

function fsError(code: string, message: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: ${message}`);
  error.code = code;
  return error;
}

/**
 * Maps a logical layout onto a folder. Links are followed here, segment by
 * segment, so that a link in the layout whose target is a logical absolute
 * path (`/Users/ada/.local/share/claude/versions/2.1.197`) stays inside the
 * root instead of pointing into this machine.
 */
function fixtureView(os: OperatingSystem, root: string): PathView {
  const realRoot = toSlashes(realpathSync(root));

  /** Splits a logical path into [drive prefix, segments]. */
  const parse = (path: string): { drive: string; segments: string[] } => {
    const slashed = toSlashes(path);
    const drive = os === 'windows' ? /^([A-Za-z]):(?=\/|$)/.exec(slashed) : null;
    const rest = drive ? slashed.slice(2) : slashed;
    return { drive: drive ? drive[1]!.toUpperCase() : '', segments: rest.split('/').filter((s) => s !== '' && s !== '.') };
  };
  const logical = (drive: string, segments: string[]): string =>
    drive ? `${drive}:/${segments.join('/')}` : `/${segments.join('/')}`;
  const toReal = (path: string): string => {
    const { drive, segments } = parse(path);
    return [realRoot, ...(drive ? [drive] : []), ...segments].join('/');
  };
  const toLogical = (realPath: string): string => {
    const slashed = toSlashes(realPath);
    if (slashed !== realRoot && !slashed.startsWith(`${realRoot}/`)) return slashed;
    const segments = slashed.slice(realRoot.length).split('/').filter(Boolean);
    if (os === 'windows' && segments[0] && /^[A-Za-z]$/.test(segments[0])) {
      return logical(segments[0].toUpperCase(), segments.slice(1));
    }
    return logical('', segments);
  };

  const follow = (path: string): string => {
    let { drive, segments: pending } = parse(path);
    const done: string[] = [];
    let hops = 0;
    while (pending.length > 0) {
      const segment = pending.shift()!;
      if (segment === '..') {
        done.pop();
        continue;
      }
      const candidate = toReal(logical(drive, [...done, segment]));
      const info = lstatSync(candidate); // throws ENOENT/ENOTDIR/EACCES like realpath
      if (!info.isSymbolicLink()) {
        done.push(segment);
        continue;
      }
      if (++hops > MAX_SYMLINK_HOPS) throw fsError('ELOOP', `too many symbolic links: ${path}`);
      const target = toSlashes(readlinkSync(candidate));
      const inRoot = target === realRoot || target.startsWith(`${realRoot}/`);
      const absolute = target.startsWith('/') || /^[A-Za-z]:\//.test(target);
      if (inRoot || absolute) {
        const parsed = parse(inRoot ? toLogical(target) : target);
        drive = parsed.drive || drive;
        done.length = 0;
        pending = [...parsed.segments, ...pending];
      } else {
        pending = [...target.split('/').filter((s) => s !== '' && s !== '.'), ...pending];
      }
    }
    return toReal(logical(drive, done));
  };

  return { toReal, toLogical, follow };
}

/**
 * A machine read from a folder holding a Linux, macOS or Windows layout. A
 * Windows layout's registry is the captured output of
 * `reg query <key> /s` for the Uninstall keys, one after another, in
 * `<root>/__registry__/uninstall.txt` (FIXTURE_REGISTRY_FILE); without that
 * file the registry lists no programs.
 */
export function createFixtureHost(options: FixtureHostOptions): Host {
  const env: Env = options.env ?? {};
  const processes = options.processes ?? [];
  const root = options.root;
  return new FileSystemHost(
    options.os,
    toSlashes(options.home),
    env,
    options.pid ?? process.pid,
    fixtureView(options.os, root),
    async () => processes.map((entry) => ({ ...entry })),
    options.os === 'windows' ? (signal) => readFixtureRegistry(root, signal) : undefined,
  );
}
