/**
 * Executables on PATH whose names the catalog asks about. One readdir per
 * PATH folder and no stat of names nobody asked about: a developer machine
 * easily has thousands of executables on PATH.
 */
import type { DirEntry, Host } from '../host.js';
import type { ExecutableObservation } from '../types.js';
import { dirName, errorCode, isAbsolutePath, resolvePath } from './logical-path.js';
import { createPackageCache, findPackages, type PackageCache } from './package-ref.js';
import type { Scanner, ScanContext } from './types.js';

export const PATH_BUDGET_MS = 3000;

/** Windows runs these; earlier in the list wins when one folder holds several (`claude.cmd` and `claude.ps1`). */
const WINDOWS_EXTENSIONS = ['.exe', '.cmd', '.bat', '.ps1', ''];
/** npm shims are a few hundred bytes. */
const SHIM_MAX_BYTES = 16 * 1024;

type Note = ScanContext['note'];

/** The name a file is looked up by: lower case, and on Windows without its extension. */
function lookupName(fileName: string, windows: boolean): { name: string; rank: number } | undefined {
  if (!windows) return { name: fileName, rank: 0 };
  const lower = fileName.toLowerCase();
  for (let rank = 0; rank < WINDOWS_EXTENSIONS.length; rank++) {
    const extension = WINDOWS_EXTENSIONS[rank]!;
    if (extension === '') return { name: fileName, rank };
    if (lower.endsWith(extension) && lower.length > extension.length) {
      return { name: fileName.slice(0, -extension.length), rank };
    }
  }
  return undefined;
}

/** The PATH entries worth listing, in order: absolute, not empty, each once. */
function usableEntries(host: Host, note: Note): string[] {
  const seen = new Set<string>();
  const usable: string[] = [];
  for (const entry of host.pathEntries()) {
    if (entry === '') continue;
    if (!isAbsolutePath(entry, host.os)) {
      note({ path: entry, message: 'relative PATH entry skipped (it depends on the current folder)' });
      continue;
    }
    const key = host.os === 'windows' ? entry.toLowerCase() : entry;
    if (seen.has(key)) continue;
    seen.add(key);
    usable.push(entry);
  }
  return usable;
}

/** The real folder behind a PATH entry, or undefined (noted unless it is simply missing). */
async function realFolder(host: Host, entry: string, note: Note): Promise<string | undefined> {
  try {
    return await host.realpath(entry);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') {
      // A missing folder on PATH is everyday noise; a link into nowhere is worth saying.
      const info = await host.lstat(entry);
      if (info?.type === 'symlink') note({ path: entry, message: 'PATH entry is a broken symlink' });
      return undefined;
    }
    note({ path: entry, message: code === 'ELOOP' ? 'PATH entry is a symlink loop' : `PATH entry unreadable (${code})` });
    return undefined;
  }
}

async function listFolder(host: Host, entry: string, note: Note): Promise<DirEntry[] | undefined> {
  try {
    return await host.readdir(entry);
  } catch (error) {
    const code = errorCode(error);
    note({ path: entry, message: code === 'ENOTDIR' ? 'PATH entry is not a folder' : `PATH folder unreadable (${code})` });
    return undefined;
  }
}

/** `node_modules\…` target of a Windows npm shim (.cmd: `"%dp0%\node_modules\…"`, .ps1 and sh: `"$basedir/node_modules/…"`). */
export function shimTarget(shimText: string): string | undefined {
  const found = /(?:%~?dp0%?|\$basedir)[\\/]+([^"'\r\n*?<>|]*?node_modules[\\/][^"'\r\n*?<>|%]+)/i.exec(shimText);
  return found?.[1]?.replace(/\\/g, '/').trim();
}

interface Candidate {
  folder: string;
  fileName: string;
  name: string;
}

async function observe(host: Host, candidate: Candidate, cache: PackageCache, note: Note): Promise<ExecutableObservation | undefined> {
  const path = `${candidate.folder}/${candidate.fileName}`;
  const link = await host.lstat(path);
  if (!link) return undefined;

  let realPath: string;
  try {
    realPath = await host.realpath(path);
  } catch (error) {
    const code = errorCode(error);
    note({ path, message: code === 'ELOOP' ? 'symlink loop' : `broken symlink (${code})` });
    return { kind: 'executable', name: candidate.name, path, realPath: path, packages: [], shadowed: false, broken: true };
  }

  const info = await host.stat(realPath);
  if (info?.type !== 'file') return undefined;
  // Windows has no execute bit; on POSIX a file nobody may execute is not a program on PATH.
  if (host.os !== 'windows' && (info.mode & 0o111) === 0) return undefined;

  const observation: ExecutableObservation = { kind: 'executable', name: candidate.name, path, realPath, packages: [], shadowed: false };
  let packagePath = realPath;
  if (host.os === 'windows' && !/\.(exe|bat)$/i.test(candidate.fileName)) {
    const text = await host.readTextFile(realPath, SHIM_MAX_BYTES);
    const relative = text === undefined ? undefined : shimTarget(text);
    if (relative !== undefined) {
      const target = resolvePath(dirName(realPath), relative);
      observation.target = await host.realpath(target).catch(() => target);
      packagePath = observation.target;
    }
  }
  observation.packages = await findPackages(host, packagePath, cache);
  return observation;
}

export const pathScanner: Scanner = {
  name: 'path',
  budgetMs: PATH_BUDGET_MS,
  async scan({ host, probes, signal, note: emit }: ScanContext) {
    const windows = host.os === 'windows';
    // Folders are read concurrently; notes are kept back and given in PATH order so a report reads the same every run.
    const pending: Array<{ order: number; note: Parameters<Note>[0] }> = [];
    const noteAt = (order: number): Note => (note) => pending.push({ order, note });
    const entries = usableEntries(host, noteAt(-1));

    // The same folder twice (a link such as /bin -> /usr/bin on merged-usr systems) is listed once.
    const reals = await Promise.all(entries.map((entry, index) => realFolder(host, entry, noteAt(index))));
    signal.throwIfAborted();
    const seenReal = new Set<string>();
    const kept: Array<{ entry: string; order: number }> = [];
    entries.forEach((entry, order) => {
      const real = reals[order];
      if (real === undefined) return;
      const key = windows ? real.toLowerCase() : real;
      if (seenReal.has(key)) return;
      seenReal.add(key);
      kept.push({ entry, order });
    });

    const listings = await Promise.all(kept.map(({ entry, order }) => listFolder(host, entry, noteAt(order))));
    signal.throwIfAborted();

    const candidates: Array<Candidate & { order: number }> = [];
    kept.forEach(({ entry, order }, index) => {
      const listing = listings[index];
      if (!listing) return;
      // Per folder, one file per name (Windows: `claude.exe` before `claude.cmd` before `claude.ps1`).
      const best = new Map<string, { fileName: string; name: string; rank: number }>();
      for (const { name: fileName } of listing) {
        const lookup = lookupName(fileName, windows);
        if (!lookup || !probes.executableNames.has(lookup.name.toLowerCase())) continue;
        const key = windows ? lookup.name.toLowerCase() : lookup.name;
        const current = best.get(key);
        if (!current || lookup.rank < current.rank) best.set(key, { fileName, name: lookup.name, rank: lookup.rank });
      }
      const names = [...best.values()].sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
      for (const { fileName, name } of names) candidates.push({ folder: entry, fileName, name, order });
    });

    const cache = createPackageCache();
    const observed = await Promise.all(candidates.map((candidate) => observe(host, candidate, cache, noteAt(candidate.order))));

    // Shadowing in PATH order: only a runnable file earlier on PATH hides this one.
    const runnable = new Set<string>();
    const observations: ExecutableObservation[] = [];
    for (const observation of observed) {
      if (!observation) continue;
      const key = windows ? observation.name.toLowerCase() : observation.name;
      observation.shadowed = runnable.has(key);
      if (!observation.broken) runnable.add(key);
      observations.push(observation);
    }
    // Stable sort: within one PATH entry, notes keep the order they were made in.
    for (const { note } of pending.sort((a, b) => a.order - b.order)) emit(note);
    return observations;
  },
};
