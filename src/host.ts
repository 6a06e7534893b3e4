/**
 * The one seam through which scanners read the machine: environment, OS,
 * home folder, file system and process table. The real host reads this
 * machine; a fixture host reads a macOS or Windows layout from a folder, so
 * those layouts run through the same scanner code on Linux.
 *
 * Paths crossing this seam are logical paths of the target OS written with
 * forward slashes (`/Users/alice/.claude`, `C:/Users/alice/AppData/Roaming`).
 */
import type { OperatingSystem } from './catalog/schema.js';

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
  listProcesses(): Promise<RawProcess[]>;
}
