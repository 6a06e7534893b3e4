/**
 * Which npm packages a file on disk lives in, read from its path. Shared by
 * the scanners that see executables (processes, path).
 */
import type { Host } from '../host.js';
import type { PackageRef } from '../types.js';

/** package.json files larger than this are not read (real ones are a few KiB). */
const MANIFEST_MAX_BYTES = 256 * 1024;

/** Versions by package folder, for one scan: many processes share a package. */
export type PackageCache = Map<string, Promise<string | undefined>>;

export function createPackageCache(): PackageCache {
  return new Map();
}

/** The package folders in a path, outermost first, as [name, dir]. */
export function packageDirs(path: string, ignoreCase = false): Array<{ name: string; dir: string }> {
  const segments = path.split('/');
  const found: Array<{ name: string; dir: string }> = [];
  for (let i = 0; i < segments.length - 1; i++) {
    const segment = ignoreCase ? segments[i]!.toLowerCase() : segments[i]!;
    if (segment !== 'node_modules') continue;
    const first = segments[i + 1]!;
    // `.bin`, `.pnpm` and friends are npm's and pnpm's own folders, not packages.
    if (first === '' || first.startsWith('.')) continue;
    if (first.startsWith('@')) {
      const second = segments[i + 2];
      if (!second || second.startsWith('.')) continue;
      found.push({ name: `${first}/${second}`, dir: segments.slice(0, i + 3).join('/') });
    } else {
      found.push({ name: first, dir: segments.slice(0, i + 2).join('/') });
    }
  }
  return found;
}

async function readVersion(host: Host, dir: string): Promise<string | undefined> {
  const text = await host.readTextFile(`${dir}/package.json`, MANIFEST_MAX_BYTES);
  if (text === undefined) return undefined;
  try {
    const manifest: unknown = JSON.parse(text);
    if (manifest && typeof manifest === 'object' && 'version' in manifest && typeof manifest.version === 'string') {
      return manifest.version;
    }
  } catch {
    // A truncated or hand-edited manifest: the package is still there, its version unknown.
  }
  return undefined;
}

/**
 * Every `node_modules/<name>` or `node_modules/@scope/<name>` folder in
 * `realPath`, outermost first. The name comes from the path because platform
 * packages are npm aliases whose package.json names the parent package; the
 * version comes from the folder's package.json.
 */
export async function findPackages(host: Host, realPath: string, cache: PackageCache = createPackageCache()): Promise<PackageRef[]> {
  const dirs = packageDirs(realPath, host.os === 'windows');
  return Promise.all(
    dirs.map(async ({ name, dir }) => {
      let version = cache.get(dir);
      if (!version) {
        version = readVersion(host, dir);
        cache.set(dir, version);
      }
      const found = await version;
      return found === undefined ? { name, dir } : { name, version: found, dir };
    }),
  );
}

/** Joins package lists, dropping repeats of the same folder. */
export function mergePackages(...lists: PackageRef[][]): PackageRef[] {
  const seen = new Set<string>();
  const merged: PackageRef[] = [];
  for (const ref of lists.flat()) {
    if (seen.has(ref.dir)) continue;
    seen.add(ref.dir);
    merged.push(ref);
  }
  return merged;
}
