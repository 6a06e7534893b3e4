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
 * The cache lives in the user's cache folder, written atomically with mode
 * 0600; an entry not owned by this user, writable by others, malformed or of
 * another aitool version is ignored. It holds nothing a repository can write:
 * whoever can write it can already run `git commit --no-verify`.
 * AITOOL_NO_CACHE=1 turns it off.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, open, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OperatingSystem } from '../catalog/schema.js';
import { VERSION } from '../version.js';
import type { ResolvedPolicy } from './types.js';

/** Bumped when the entry's shape changes. */
const FORMAT = 1;
const MAX_ENTRY_BYTES = 4 * 1024 * 1024;

/** What makes a file the same file. Absent: it did not exist (or could not be looked at). */
export type FileStamp = { path: string; ino: number; size: number; mtimeMs: number; ctimeMs: number } | { path: string; missing: true };

interface Entry {
  format: number;
  version: string;
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
  try {
    const info = await stat(file);
    return { path: file, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs };
  } catch {
    return { path: file, missing: true };
  }
}

export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  if ('missing' in a || 'missing' in b) return 'missing' in a && 'missing' in b;
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;
}

export class PolicyCache {
  readonly #file: string;

  constructor(
    dir: string,
    private readonly key: string,
  ) {
    this.#file = path.join(dir, `policy-${key.slice(0, 24)}.json`);
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
    const key = createHash('sha256').update(JSON.stringify({ format: FORMAT, version: VERSION, inputs })).digest('hex');
    return new PolicyCache(dir, key);
  }

  /** The cached policy, when every file it came from is unchanged; undefined otherwise (never throws). */
  async read(): Promise<ResolvedPolicy | undefined> {
    try {
      const info = await lstat(this.#file);
      if (!info.isFile() || info.size > MAX_ENTRY_BYTES) return undefined;
      // Someone else's file, or one others may write, is not ours to trust.
      if (typeof process.getuid === 'function' && info.uid !== process.getuid()) return undefined;
      if (process.platform !== 'win32' && (info.mode & 0o022) !== 0) return undefined;
      const handle = await open(this.#file, 'r');
      let text: string;
      try {
        text = await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
      const entry = JSON.parse(text) as Entry;
      if (entry.format !== FORMAT || entry.version !== VERSION || entry.key !== this.key || !Array.isArray(entry.files)) return undefined;
      const now = await Promise.all(entry.files.map((stamp) => stampOf(stamp.path)));
      if (!now.every((stamp, index) => sameStamp(stamp, entry.files[index]!))) return undefined;
      return entry.policy;
    } catch {
      return undefined;
    }
  }

  /**
   * Stores the policy with the identity of `files` as they are now. Stamps are
   * taken after the load, so a file edited during it has a newer ctime than
   * what was read only if the edit came later: to be safe, a file changed in
   * the last two seconds is not trusted and the entry is not written.
   */
  async write(policy: ResolvedPolicy, files: Iterable<string>): Promise<void> {
    try {
      const unique = [...new Set(files)].sort();
      const stamps = await Promise.all(unique.map(stampOf));
      const recent = Date.now() - 2000;
      if (stamps.some((s) => !('missing' in s) && Math.max(s.mtimeMs, s.ctimeMs) > recent)) return;
      const entry: Entry = { format: FORMAT, version: VERSION, key: this.key, files: stamps, policy };
      const dir = path.dirname(this.#file);
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const temp = `${this.#file}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(entry), { mode: 0o600 });
      await rename(temp, this.#file).catch(async (error: unknown) => {
        await unlink(temp).catch(() => undefined);
        throw error;
      });
    } catch {
      // A cache that cannot be written costs speed, nothing else.
    }
  }
}
