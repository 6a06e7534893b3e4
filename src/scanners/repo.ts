/**
 * AI tools' files in the repository being worked on: CLAUDE.md, .cursor/rules/,
 * .github/copilot-instructions.md, AGENTS.md, ...
 *
 * In a pre-commit hook it reads the staged changes from the index (added,
 * copied, renamed or modified; a deletion is never a violation), so a file
 * committed long ago and left alone does not block today's commit. Otherwise
 * it reads the tracked files. Both come from git itself (`git diff --cached`,
 * `git ls-files`), which honours GIT_INDEX_FILE (`git commit -a` stages into a
 * temporary index).
 *
 * It also reads the manifests and lockfiles among those files for agent SDKs
 * (`dependency` observations; see ./repo-dependencies.ts), and, outside a hook,
 * looks for those SDKs installed in the project's `node_modules`.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { compileGlobPattern, type TextPattern } from '../regex.js';
import type { Observation } from '../types.js';
import type { Scanner, ScanContext } from './types.js';

export const REPO_BUDGET_MS = 3000;

/**
 * Whether git could find a repository from `cwd`: a `.git` (folder, or file
 * in worktrees and submodules) here or above, or GIT_DIR set. Outside one,
 * git is not started at all (its start-up, and loading child_process, were
 * a check's largest single cost there); inside, git itself still decides
 * (GIT_CEILING_DIRECTORIES, safe.directory, a broken .git). No exceptions
 * for the folders without one: a check walks up from deep folders.
 */
export function mayBeInRepository(cwd: string, env: Readonly<Record<string, string | undefined>>): boolean {
  if (env.GIT_DIR) return true;
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    try {
      if (statSync(path.join(dir, '.git'), { throwIfNoEntry: false }) !== undefined) return true;
    } catch {
      return true; // unreadable (EACCES, ELOOP): git is asked, as before
    }
    if (path.dirname(dir) === dir) return false;
  }
}

function globToRegExp(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        out += '.*';
        i++;
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return out;
}

/** Where a repository pattern without wildcards can match: the lowest pattern index for each name or prefix. */
class LiteralPatterns {
  /** A file or folder name at any depth (`CLAUDE.md`): a path segment. */
  readonly name = new Map<string, number>();
  /** A folder name at any depth (`.claude/`): a segment with more after it. */
  readonly folder = new Map<string, number>();
  /** A path from the top (`.github/copilot-instructions.md`): the whole path, or a prefix of it ending at a slash. */
  readonly top = new Map<string, number>();
  /** A folder from the top (`.cursor/rules/`): a prefix ending at a slash. */
  readonly topFolder = new Map<string, number>();

  /** The longest path from the top: no longer prefix is looked up (a repository may hold paths of thousands of segments). */
  private longestTop = -1;

  add(map: Map<string, number>, key: string, index: number): void {
    if (!map.has(key)) map.set(key, index);
    if (map === this.top || map === this.topFolder) this.longestTop = Math.max(this.longestTop, key.length);
  }

  /** The lowest index of a pattern that matches `file`; Infinity for none. Linear in the path's length. */
  lowest(file: string): number {
    let best = Infinity;
    const least = (found: number | undefined): void => {
      if (found !== undefined && found < best) best = found;
    };
    for (let start = 0; ; ) {
      const slash = file.indexOf('/', start);
      const end = slash === -1 ? file.length : slash;
      const name = file.slice(start, end);
      least(this.name.get(name));
      if (slash !== -1) least(this.folder.get(name));
      if (end <= this.longestTop) {
        const prefix = file.slice(0, end);
        least(this.top.get(prefix));
        if (slash !== -1) least(this.topFolder.get(prefix));
      }
      if (slash === -1) return best;
      start = slash + 1;
    }
  }
}

/**
 * Tests a repository path (forward slashes, relative to the top) against the
 * catalog's repository patterns, gitignore-style: a pattern with no inner
 * slash matches a file or folder name at any depth (`CLAUDE.md`, `.aider*`);
 * one with an inner slash is anchored at the top (`.github/copilot-instructions.md`);
 * a trailing slash means a folder, and matches every file under it (`.claude/`).
 * The first pattern (in the order given) that matches is the answer.
 *
 * Most patterns have no wildcard: those are looked up by name and by prefix
 * (a commit hook's check would otherwise compile ~70 regular expressions to
 * test two staged files: ~3 ms); only the others are regular expressions.
 * test/scanners/repo-patterns.test.ts holds the two equal to one regular
 * expression per pattern.
 */
export function repoPatternMatcher(patterns: readonly string[]): (file: string) => string | undefined {
  const literals = new LiteralPatterns();
  const globs: Array<{ index: number; regex: TextPattern }> = [];
  patterns.forEach((pattern, index) => {
    const folder = pattern.endsWith('/');
    const body = folder ? pattern.slice(0, -1) : pattern;
    const anchored = body.includes('/');
    if (!body.includes('*') && !body.includes('?')) {
      literals.add(anchored ? (folder ? literals.topFolder : literals.top) : folder ? literals.folder : literals.name, body, index);
      return;
    }
    const prefix = anchored ? '^' : '(?:^|/)';
    // A folder pattern needs something under it; a file pattern also matches a folder of that name.
    const suffix = folder ? '/' : '(?:/|$)';
    const wildcards = body.split(/\*+|\?/).length - 1;
    globs.push({ index, regex: compileGlobPattern(`${prefix}${globToRegExp(body)}${suffix}`, wildcards, false) });
  });
  return (file) => {
    let best = literals.lowest(file);
    for (const glob of globs) {
      if (glob.index >= best) break;
      if (glob.regex.test(file)) {
        best = glob.index;
        break;
      }
    }
    return best === Infinity ? undefined : patterns[best];
  };
}

export const repoScanner: Scanner = {
  name: 'repo',
  budgetMs: REPO_BUDGET_MS,
  async scan({ cwd, host, probes, repoMode, signal, note }: ScanContext): Promise<Observation[]> {
    const sdks = probes.sdkPackages;
    const wantsSdks = sdks.npm.size + sdks.pip.size + sdks.go.size > 0;
    if (cwd === undefined || (probes.repoPatterns.length === 0 && !wantsSdks)) return [];
    const mode = repoMode ?? 'tracked';
    // git inherits this process's environment, so GIT_DIR is looked up there, not in the host's.
    if (!mayBeInRepository(cwd, process.env)) return [];
    // Imported here, not at the top: git (and child_process with it) only in a repository.
    const { repositoryFiles } = await import('../git/files.js');
    const repository = await repositoryFiles(cwd, mode, signal);
    if (repository === undefined) return [];
    const { root, files } = repository;
    const matchPattern = repoPatternMatcher(probes.repoPatterns);
    const found: Observation[] = [];
    for (const { file, status } of files) {
      const pattern = matchPattern(file);
      if (pattern !== undefined) found.push({ kind: 'artifact', root, file, status, pattern });
    }
    if (wantsSdks) {
      const { scanDependencies, scanSdkInstalls } = await import('./repo-dependencies.js');
      const [declared, installed] = await Promise.all([
        scanDependencies(repository, sdks, signal, note),
        // An install is not part of a commit: only a check of the whole repository looks for one.
        mode === 'tracked' ? scanSdkInstalls(host, repository, sdks.npm, signal) : Promise.resolve([]),
      ]);
      found.push(...declared, ...installed);
    }
    return found;
  },
};
