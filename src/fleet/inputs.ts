/**
 * Reading collected reports for `aitool report`. Every file is untrusted: it
 * came from a machine (or from whoever could write into the collection
 * folder), so reads are bounded in size and number, folders are walked
 * without following a link out of them, nothing is opened that could block
 * (a FIFO), and whatever cannot be used becomes a one-line reason in the
 * summary instead of an error.
 */
import { constants, type Dirent } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

export interface Limits {
  /** Files larger than this are listed, not read. */
  maxFileBytes: number;
  /** Files read at most; the rest are counted. */
  maxFiles: number;
}

export const DEFAULT_LIMITS: Limits = { maxFileBytes: 16 * 1024 * 1024, maxFiles: 100_000 };

/** Subfolders deeper than this are not entered (a collection is a few levels deep; a hostile tree can be thousands). */
const MAX_DEPTH = 16;

/** In folders only these are reads as reports, so the summary's own .html/.csv, or a per-machine HTML report, are not taken as bad inputs. */
const REPORT_EXTENSIONS = ['.json', '.ndjson', '.jsonl'];

/** Files read at once: enough to keep the disk busy, few enough to bound memory (each up to maxFileBytes). */
const CONCURRENCY = 16;

export interface InputFile {
  path: string;
  /** Opened through a link at its name: named on the command line, or a link the walk found leading to a file inside the folder. */
  follow: boolean;
  /** For a link the walk found: the file inside the folder it led to, which the opened file must still be. */
  target?: { dev: number; ino: number };
}

export interface LeftOut {
  /** Files beyond `maxFiles`. */
  overFileCap: number;
  /** Symbolic links that lead out of the folder they are in (or to something else than a file). */
  linksOut: number;
  /** Files in folders whose names are not .json, .ndjson or .jsonl. */
  otherNames: number;
  /** Sockets, FIFOs, devices. */
  notRegular: number;
  /** Folders below MAX_DEPTH. */
  tooDeep: number;
}

export interface Problem {
  file: string;
  reason: string;
}

export interface Collected {
  files: InputFile[];
  leftOut: LeftOut;
  problems: Problem[];
}

function hasReportName(name: string): boolean {
  const lower = name.toLowerCase();
  return REPORT_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

function within(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/** The files to read: the named files, and the report files under the named folders (sorted, so the result does not depend on directory order). */
export async function collectInputs(paths: readonly string[], limits: Limits): Promise<Collected> {
  const files: InputFile[] = [];
  const leftOut: LeftOut = { overFileCap: 0, linksOut: 0, otherNames: 0, notRegular: 0, tooDeep: 0 };
  const problems: Problem[] = [];
  const seen = new Set<string>();

  const add = (file: string, follow: boolean, target?: InputFile['target']) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (files.length >= limits.maxFiles) leftOut.overFileCap++;
    else files.push({ path: file, follow, ...(target ? { target } : {}) });
  };

  async function walk(root: string, folder: string, depth: number): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      problems.push({ file: folder, reason: `folder not readable (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (depth >= MAX_DEPTH) leftOut.tooDeep++;
        else await walk(root, full, depth + 1);
      } else if (entry.isFile()) {
        if (hasReportName(entry.name)) add(full, false);
        else leftOut.otherNames++;
      } else if (entry.isSymbolicLink()) {
        // A link is read only if it ends at a regular file inside the folder: a link to /etc/shadow in a collection folder stays unread.
        const target = await realpath(full).catch(() => undefined);
        const info = target && within(root, target) ? await stat(target).catch(() => undefined) : undefined;
        if (!info?.isFile()) leftOut.linksOut++;
        else if (hasReportName(entry.name)) add(full, true, { dev: info.dev, ino: info.ino });
        else leftOut.otherNames++;
      } else {
        leftOut.notRegular++;
      }
    }
  }

  for (const given of paths) {
    const absolute = path.resolve(given);
    const info = await stat(absolute).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error) {
      problems.push({ file: absolute, reason: info.code === 'ENOENT' ? 'not found' : `not readable (${info.code ?? 'error'})` });
    } else if (info.isDirectory()) {
      await walk(await realpath(absolute), absolute, 0);
    } else if (info.isFile()) {
      add(absolute, true);
    } else {
      problems.push({ file: absolute, reason: 'not a regular file' });
    }
  }
  return { files, leftOut, problems };
}

export type ReadResult = { ok: true; text: string; mtimeMs: number } | { ok: false; reason: string };

/**
 * One file, at most `maxBytes`. Files found in a folder are opened without
 * following a link at their own name (a link swapped in after the walk is
 * refused); O_NONBLOCK keeps a FIFO put there from hanging the read.
 */
export async function readBounded(file: InputFile, maxBytes: number): Promise<ReadResult> {
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (file.follow ? 0 : constants.O_NOFOLLOW);
  let handle;
  try {
    handle = await open(file.path, flags);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ELOOP' ? 'became a symbolic link while being read; not followed' : `not readable (${code ?? 'error'})` };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { ok: false, reason: 'not a regular file' };
    // A link swapped after the walk (to a file outside the folder) opens another file: refused.
    if (file.target && (info.dev !== file.target.dev || info.ino !== file.target.ino)) {
      return { ok: false, reason: 'symbolic link changed while being read; not followed' };
    }
    if (info.size > maxBytes) return { ok: false, reason: `larger than ${formatBytes(maxBytes)} (${formatBytes(info.size)}); not read` };
    // One byte more than allowed: a file that grew since stat() is caught too.
    const buffer = Buffer.allocUnsafe(Math.min(info.size, maxBytes) + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled === buffer.length) break;
    }
    if (filled > maxBytes) return { ok: false, reason: `larger than ${formatBytes(maxBytes)}; not read` };
    return { ok: true, text: decode(buffer.subarray(0, filled)), mtimeMs: info.mtimeMs };
  } catch (error) {
    return { ok: false, reason: `not readable (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    await handle.close();
  }
}

/**
 * Collected on Windows, a report may be UTF-16 (PowerShell 5's `>` writes
 * it) or UTF-8 with a byte order mark (its `Out-File -Encoding utf8`): the
 * mark says which; without one it is UTF-8, as aitool writes it.
 */
function decode(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.toString('utf16le', 2);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.toString('utf8', 3);
  return bytes.toString('utf8');
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/** Runs `work` over `items`, CONCURRENCY at a time, results in input order. */
export async function mapBounded<T, R>(items: readonly T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return results;
}
