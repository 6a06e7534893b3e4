/**
 * Expansion of `*` and `{version}` in path patterns whose anchor has already
 * been resolved (`/home/ada/.local/share/claude/versions/{version}`), by
 * listing each parent folder on the way down. Nothing is walked recursively:
 * a pattern names a handful of folders, never a tree.
 */
import { compileGlobPattern, type TextPattern } from '../regex.js';
import type { Host } from '../host.js';
import { toSlashes } from '../patterns.js';
import { errorCode } from './logical-path.js';
import type { ScanContext } from './types.js';

/** A glob segment matching more folders than this is cut short (it should name a handful of versions). */
export const MAX_GLOB_MATCHES = 200;

/** A path a pattern names, with the `{version}` segment it captured. */
export interface ExpandedPath {
  path: string;
  version?: string;
}

function hasGlob(segment: string): boolean {
  return segment.includes('*') || segment.includes('{version}');
}

function segmentMatcher(segment: string, ignoreCase: boolean): TextPattern {
  let versionSeen = false;
  const source = segment
    .split(/(\*|\{version\})/)
    .map((part) => {
      if (part === '*') return '.*';
      if (part === '{version}') {
        // Only the first `{version}` of a segment is captured; a second is a plain wildcard.
        if (versionSeen) return '.+';
        versionSeen = true;
        return '(?<version>.+)';
      }
      return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return compileGlobPattern(`^${source}$`, segment.split(/\*|\{version\}/).length - 1, ignoreCase);
}

/**
 * The paths an expanded pattern names, each with the `{version}` it captured
 * (the last captured segment wins). `*` and `{version}` segments are matched
 * against folder listings; literal segments are appended without a check, so
 * the last segment may not exist. A trailing `/**` adds nothing (a folder
 * pattern already covers what is inside). Returns undefined for a `**`
 * anywhere else, which would mean walking a tree.
 */
export async function expandPaths(host: Host, expanded: string, note: ScanContext['note']): Promise<ExpandedPath[] | undefined> {
  const path = toSlashes(expanded).replace(/\/\*\*$/, '');
  if (path.includes('**')) return undefined;
  const [first, ...rest] = path.split('/');
  // Most patterns name one path: its segments joined, as the loop below would join them, without its copies.
  if (!rest.some(hasGlob)) return [{ path: rest.reduce((joined, segment) => (segment === '' ? joined : `${joined}/${segment}`), first!) }];
  let current: ExpandedPath[] = [{ path: first! }];
  for (const segment of rest) {
    if (segment === '') continue;
    if (!hasGlob(segment)) {
      current = current.map((found) => ({ ...found, path: `${found.path}/${segment}` }));
      continue;
    }
    const matcher = segmentMatcher(segment, host.os === 'windows');
    const next: ExpandedPath[] = [];
    for (const base of current) {
      const folder = base.path === '' ? '/' : base.path;
      let listing;
      try {
        listing = await host.readdir(folder);
      } catch (error) {
        const code = errorCode(error);
        if (code !== 'ENOENT' && code !== 'ENOTDIR') note({ path: folder, message: `folder unreadable (${code})` });
        continue;
      }
      // Sorted, so that what is reported (and what a cut keeps) does not depend on the file system's order.
      for (const entry of listing.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
        if (next.length >= MAX_GLOB_MATCHES) break;
        const found = matcher.exec(entry.name);
        if (!found) continue;
        const version = found.groups?.version ?? base.version;
        next.push(version === undefined ? { path: `${base.path}/${entry.name}` } : { path: `${base.path}/${entry.name}`, version });
      }
    }
    current = next;
    if (current.length === 0) return [];
  }
  return current;
}

/** The paths an expanded pattern names (see expandPaths), without the versions. */
export async function existingPaths(host: Host, expanded: string, note: ScanContext['note']): Promise<string[] | undefined> {
  return (await expandPaths(host, expanded, note))?.map((found) => found.path);
}
