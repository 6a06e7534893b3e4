/**
 * Files and folders tools leave in the home folder (`~/.claude`,
 * `%APPDATA%/Claude`). Each is only lstat'ed: never read, never followed,
 * never walked into, since a trace may be large, private or a link anywhere.
 */
import { expandAnchor, toSlashes } from '../patterns.js';
import type { TraceObservation } from '../types.js';
import { existingPaths } from './expand.js';
import { isAbsolutePath } from './logical-path.js';
import type { Scanner, ScanContext } from './types.js';

export const TRACES_BUDGET_MS = 2000;

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
