/**
 * A cache of merged policies, so that a git hook does not pay for zod, yaml
 * and cosmiconfig (~85 ms to import) on every commit when the policy files
 * have not changed since the last run.
 *
 * An entry holds the merged policy and the identity of every file the load
 * looked at (read, or could have picked: each project candidate, package.json
 * included, the managed and user files, every `extends` target). It is used
 * only when all of them are still the same: same inode, size, mtime and
 * ctime (ctime cannot be set back by hand), and the same files exist. A policy
 * written as code (.js, .ts) may read anything, so no run that loads one is
 * cached, nor one with a cosmiconfig meta-config.
 *
 * The cache lives in the user's cache folder, used only when that folder is
 * this user's alone (owned, no group or other write, not a symlink); entries
 * are written to an exclusively created temp file (never through a symlink)
 * and renamed into place with mode 0600. An entry not owned by this user,
 * writable by others, malformed or of another aitool version is ignored. It
 * holds nothing a repository can write: whoever can write it can already run
 * `git commit --no-verify`.
 * AITOOL_NO_CACHE=1 turns it off.
 *
 * An entry is named by its key, which holds the working folder and aitool's
 * version, so every folder a check ran in, and every upgrade, adds entries.
 * Each time an entry is written, entries and leftover temp files not written
 * for PRUNE_AFTER_MS are removed: the folder stays about as big as a month's
 * use. An entry still in use that goes costs one load from the files.
 */
import { closeSync, constants as fsConstants, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { OperatingSystem } from '../catalog/schema.js';
import { VERSION } from '../version.js';
import type { ResolvedPolicy } from './types.js';

/** Bumped when the entry's shape changes. */
const FORMAT = 4;
const MAX_ENTRY_BYTES = 4 * 1024 * 1024;
/** Entries (and temp files) not written for this long are removed when another entry is written. */
export const PRUNE_AFTER_MS = 30 * 24 * 60 * 60 * 1000;
/** The names this cache writes, of any format so far: entries (16 or 24 hex digits) and their temp files (a random or, at first, a pid suffix). */
const OWN_NAME = /^policy-(?:[0-9a-f]{16}|[0-9a-f]{24})\.json(?:\.(?:[0-9a-f]{12}|[0-9]{1,10})\.tmp)?$/;

/** What makes a file the same file. Absent: it did not exist (or could not be looked at). */
export type FileStamp = { path: string; ino: number; size: number; mtimeMs: number; ctimeMs: number } | { path: string; missing: true };

interface Entry {
  format: number;
  version: string;
  /** Everything besides the files that decides the result (see PolicyCache.for), compared whole. */
  key: string;
  files: FileStamp[];
  policy: ResolvedPolicy;
}

export interface CacheLocationOptions {
  os: OperatingSystem;
  home: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** The user's cache folder for aitool, per OS convention; undefined when it cannot be told. */
export function cacheDir({ os, home, env }: CacheLocationOptions): string | undefined {
  if (os === 'windows') return env.LOCALAPPDATA ? path.join(env.LOCALAPPDATA, 'aitool', 'Cache') : undefined;
  if (os === 'macos') return path.join(home, 'Library', 'Caches', 'aitool');
  const xdg = env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache'), 'aitool');
}

export async function stampOf(file: string): Promise<FileStamp> {
  return stampNow(file);
}

// The cache's file calls are synchronous (a stat each, one small read, one
// small write): on the check and hook paths they would otherwise be trips
// through the thread pool and load node:fs/promises, for nothing that can
// block: the entry is opened O_NONBLOCK and refused unless a regular file.
function stampNow(file: string): FileStamp {
  try {
    const info = statSync(file);
    return { path: file, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs };
  } catch {
    return { path: file, missing: true };
  }
}

export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  if ('missing' in a || 'missing' in b) return 'missing' in a && 'missing' in b;
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

/**
 * A 64-bit name for a key, as 16 hex digits: two 32-bit FNV-1a lanes over
 * its UTF-16 code units, the second also fed by the first. Only the entry's
 * file name: two keys with one name cost a cache miss, never a wrong policy,
 * since an entry is used only when its whole key is equal.
 */
export function nameHash(text: string): string {
  let a = 0x811c9dc5;
  let b = 0xcbf29ce4;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit, 0x01000193) ^ (a >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

export class PolicyCache {
  readonly #file: string;

  constructor(
    dir: string,
    private readonly key: string,
  ) {
    this.#file = path.join(dir, `policy-${nameHash(key)}.json`);
  }

  /**
   * `inputs` is everything besides the files that decides the result: the
   * working folder, the files each layer was found at, --policy, the
   * environment the locations come from.
   */
  static for(options: CacheLocationOptions, inputs: unknown): PolicyCache | undefined {
    if (options.env.AITOOL_NO_CACHE && options.env.AITOOL_NO_CACHE !== '0') return undefined;
    const dir = cacheDir(options);
    if (dir === undefined) return undefined;
    return new PolicyCache(dir, JSON.stringify({ format: FORMAT, version: VERSION, inputs }));
  }

  /** The cached policy, when every file it came from is unchanged; undefined otherwise (never throws). */
  async read(): Promise<ResolvedPolicy | undefined> {
    let fd: number | undefined;
    try {
      if (!isPrivateFolder(path.dirname(this.#file))) return undefined;
      // O_NOFOLLOW: a symlink planted at the entry's name is not followed.
      fd = openSync(this.#file, fsConstants.O_RDONLY | NOFOLLOW | NONBLOCK);
      const info = fstatSync(fd);
      if (!info.isFile() || info.size > MAX_ENTRY_BYTES) return undefined;
      // Someone else's file, or one others may write, is not ours to trust.
      if (!ownedByMe(info.uid) || (process.platform !== 'win32' && (info.mode & 0o022) !== 0)) return undefined;
      const entry = JSON.parse(readFileSync(fd, 'utf8')) as Entry;
      if (entry.format !== FORMAT || entry.version !== VERSION || entry.key !== this.key || !Array.isArray(entry.files)) return undefined;
      const now = entry.files.map((stamp) => stampNow(stamp.path));
      if (!now.every((stamp, index) => sameStamp(stamp, entry.files[index]!))) return undefined;
      return entry.policy;
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeQuietly(fd);
    }
  }

  /**
   * Stores the policy with `stamps`: each file as it was before or when the
   * load read it. Every file is stamped again now, and any that changed
   * meanwhile (an edit during a slow load) means no entry: what was read may
   * not be what is there. A file changed in the last two seconds is not
   * trusted either, since a file system's timestamps can be coarser than
   * the edits they should tell apart.
   */
  async write(policy: ResolvedPolicy, stamps: readonly FileStamp[]): Promise<void> {
    let temp: string | undefined;
    try {
      const byPath = new Map<string, FileStamp>();
      for (const stamp of stamps) {
        const earlier = byPath.get(stamp.path);
        if (earlier && !sameStamp(earlier, stamp)) return;
        byPath.set(stamp.path, stamp);
      }
      const paths = [...byPath.keys()].sort();
      const now = paths.map(stampNow);
      if (!now.every((stamp) => sameStamp(stamp, byPath.get(stamp.path)!))) return;
      const recent = Date.now() - 2000;
      if (now.some((s) => !('missing' in s) && Math.max(s.mtimeMs, s.ctimeMs) > recent)) return;

      const entry: Entry = { format: FORMAT, version: VERSION, key: this.key, files: now, policy };
      const dir = path.dirname(this.#file);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (!isPrivateFolder(dir)) return;
      // A fresh random name created exclusively, never through a symlink:
      // nothing planted in the folder can receive the write.
      // node:crypto only here, when an entry is written (a cache miss): loading it costs ~3.5 ms, which a check or a
      // commit hook with a policy file paid on every run when the entry's name was a SHA-256. Through import(), which
      // the built CLI's loader serves with V8's own flags (src/load.cts), so Node's code cache holds it.
      const { randomBytes } = await import('node:crypto');
      temp = `${this.#file}.${randomBytes(6).toString('hex')}.tmp`;
      const fd = openSync(temp, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | NOFOLLOW, 0o600);
      try {
        writeFileSync(fd, JSON.stringify(entry));
      } finally {
        closeSync(fd);
      }
      renameSync(temp, this.#file);
      temp = undefined;
      prune(dir, Date.now() - PRUNE_AFTER_MS, path.basename(this.#file));
    } catch {
      // A cache that cannot be written costs speed, nothing else.
    } finally {
      if (temp !== undefined) {
        try {
          unlinkSync(temp);
        } catch {
          // Already gone, or never there.
        }
      }
    }
  }
}

/**
 * Removes this cache's own files last written before `before`, but the one
 * `written` just now: only names it writes, only regular files of this
 * user's (a link or a folder by such a name is left alone), only in the
 * private folder just written to.
 */
export function prune(dir: string, before: number, written: string): void {
  for (const name of readdirSync(dir)) {
    // The entry just written stays, whatever its time says (a file system whose clock is behind).
    if (name === written || !OWN_NAME.test(name)) continue;
    const file = path.join(dir, name);
    try {
      const info = lstatSync(file);
      if (info.isFile() && ownedByMe(info.uid) && info.mtimeMs < before) unlinkSync(file);
    } catch {
      // Gone meanwhile (another aitool pruning), or not ours to remove.
    }
  }
}

const NOFOLLOW = fsConstants.O_NOFOLLOW ?? 0;
const NONBLOCK = fsConstants.O_NONBLOCK ?? 0;

function ownedByMe(uid: number): boolean {
  return typeof process.getuid !== 'function' || uid === process.getuid();
}

/**
 * The cache folder is used only when it is a real folder (not a symlink)
 * owned by this user that no one else may write: root scanning with a user's
 * HOME (sudo -E, an MDM agent) finds the user's folder and so keeps no cache.
 */
function isPrivateFolder(dir: string): boolean {
  try {
    const info = lstatSync(dir);
    if (!info.isDirectory() || !ownedByMe(info.uid)) return false;
    return process.platform === 'win32' || (info.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Nothing left to do with a descriptor that will not close.
  }
}
