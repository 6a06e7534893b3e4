/**
 * Files and folders tools leave in the home folder (`~/.claude`,
 * `%APPDATA%/Claude`). Each is only lstat'ed: never read, never followed,
 * never walked into, since a trace may be large, private or a link anywhere.
 */
import type { Host } from '../host.js';
import { expandAnchor, toSlashes } from '../patterns.js';
import type { TraceObservation } from '../types.js';
import { errorCode, isAbsolutePath } from './logical-path.js';
import type { Scanner, ScanContext } from './types.js';

export const TRACES_BUDGET_MS = 2000;

/** A glob segment matching more folders than this is cut short (it should name a handful of versions). */
const MAX_GLOB_MATCHES = 200;

function hasGlob(segment: string): boolean {
  return segment.includes('*') || segment.includes('{version}');
}

function segmentMatcher(segment: string, ignoreCase: boolean): RegExp {
  const source = segment
    .split(/(\*|\{version\})/)
    .map((part) => (part === '*' ? '.*' : part === '{version}' ? '.+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '');
}

/**
 * The existing paths an expanded pattern names. `*` and `{version}` segments
 * are matched against folder listings on the way down; a trailing `/**` adds
 * nothing (a folder pattern already covers what is inside).
 */
async function existingPaths(host: Host, expanded: string, note: ScanContext['note']): Promise<string[] | undefined> {
  const path = toSlashes(expanded).replace(/\/\*\*$/, '');
  if (path.includes('**')) return undefined;
  const [first, ...rest] = path.split('/');
  let current = [first!];
  for (const segment of rest) {
    if (segment === '') continue;
    if (!hasGlob(segment)) {
      current = current.map((base) => `${base}/${segment}`);
      continue;
    }
    const matcher = segmentMatcher(segment, host.os === 'windows');
    const next: string[] = [];
    for (const base of current) {
      const folder = base === '' ? '/' : base;
      let listing;
      try {
        listing = await host.readdir(folder);
      } catch (error) {
        const code = errorCode(error);
        if (code !== 'ENOENT' && code !== 'ENOTDIR') note({ path: folder, message: `folder unreadable (${code})` });
        continue;
      }
      for (const entry of listing) {
        if (matcher.test(entry.name) && next.length < MAX_GLOB_MATCHES) next.push(`${base}/${entry.name}`);
      }
    }
    current = next;
    if (current.length === 0) return [];
  }
  return current;
}

export const tracesScanner: Scanner = {
  name: 'traces',
  budgetMs: TRACES_BUDGET_MS,
  async scan({ host, probes, signal, note }: ScanContext) {
    const where = { os: host.os, home: host.home, env: host.env };
    const perPattern = await Promise.all(
      probes.homePaths.map(async (pattern) => {
        const expanded = expandAnchor(toSlashes(pattern), where);
        // No such anchor on this OS (`%APPDATA%` on Linux), or no anchor at all: nothing to look up.
        if (expanded === undefined || !isAbsolutePath(expanded, host.os)) return [];
        const paths = await existingPaths(host, expanded, note);
        if (paths === undefined) {
          note({ path: pattern, message: 'home pattern with `**` inside is not looked up' });
          return [];
        }
        signal.throwIfAborted();
        const found = await Promise.all(
          paths.map(async (path): Promise<TraceObservation | undefined> => {
            const info = await host.lstat(path);
            if (!info) return undefined;
            const observation: TraceObservation = { kind: 'trace', path, pattern, isDirectory: info.type === 'directory' };
            if (info.type === 'symlink') observation.isSymlink = true;
            if (Number.isFinite(info.mtimeMs)) observation.modified = new Date(info.mtimeMs).toISOString();
            return observation;
          }),
        );
        return found.filter((observation): observation is TraceObservation => observation !== undefined);
      }),
    );
    return perPattern.flat();
  },
};
