/**
 * AI tools' files in the repository being worked on: CLAUDE.md, .cursor/rules/,
 * .github/copilot-instructions.md, AGENTS.md, ...
 *
 * In a pre-commit hook it reads the staged changes from the index (added,
 * copied, renamed or modified; a deletion is never a violation), so a file
 * committed long ago and left alone does not block today's commit. Otherwise
 * it reads the tracked files. Both come from git itself (`git diff --cached`,
 * `git ls-files`), which honours GIT_INDEX_FILE (`git commit -a` stages into a
 * temporary index) and never reads file contents.
 */
import { runGit } from '../git/run.js';
import type { ArtifactObservation, ArtifactStatus } from '../types.js';
import type { RepoMode, Scanner, ScanContext } from './types.js';

export const REPO_BUDGET_MS = 3000;
/** git's output is a list of names; 64 MiB is several million of them. */
const MAX_GIT_OUTPUT = 64 * 1024 * 1024;

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

/**
 * Tests a repository path (forward slashes, relative to the top) against the
 * catalog's repository patterns, gitignore-style: a pattern with no inner
 * slash matches a file or folder name at any depth (`CLAUDE.md`, `.aider*`);
 * one with an inner slash is anchored at the top (`.github/copilot-instructions.md`);
 * a trailing slash means a folder, and matches every file under it (`.claude/`).
 */
export function repoPatternMatcher(patterns: readonly string[]): (file: string) => string | undefined {
  const compiled = patterns.map((pattern) => {
    const folder = pattern.endsWith('/');
    const body = folder ? pattern.slice(0, -1) : pattern;
    const anchored = body.includes('/');
    const prefix = anchored ? '^' : '(?:^|/)';
    // A folder pattern needs something under it; a file pattern also matches a folder of that name.
    const suffix = folder ? '/' : '(?:/|$)';
    return { pattern, regex: new RegExp(`${prefix}${globToRegExp(body)}${suffix}`) };
  });
  return (file) => compiled.find((c) => c.regex.test(file))?.pattern;
}

class GitFailed extends Error {
  constructor(
    args: readonly string[],
    readonly exitCode: number,
    stderr: string,
  ) {
    super(`git ${args[0]} failed (exit ${exitCode}): ${stderr.trim().split('\n')[0] ?? ''}`);
  }
}

async function git(cwd: string, args: string[], signal: AbortSignal): Promise<string> {
  const result = await runGit(cwd, args, { signal, maxBuffer: MAX_GIT_OUTPUT });
  if (result.exitCode !== 0) throw new GitFailed(args, result.exitCode, result.stderr);
  return result.stdout;
}

const STATUS: Record<string, ArtifactStatus> = { A: 'added', C: 'copied', R: 'renamed', M: 'modified' };

/** `git diff --cached --name-status -z`: `M\0path\0`, and `R100\0old\0new\0` for renames and copies. */
export function parseNameStatus(output: string): Array<{ file: string; status: ArtifactStatus }> {
  const parts = output.split('\0');
  const files: Array<{ file: string; status: ArtifactStatus }> = [];
  for (let i = 0; i < parts.length; ) {
    const code = parts[i++] ?? '';
    if (code === '') continue;
    const status = STATUS[code[0]!];
    if (code[0] === 'R' || code[0] === 'C') i++; // the old name
    const file = parts[i++];
    if (status && file) files.push({ file, status });
  }
  return files;
}

/** Paths relative to the top whatever folder git runs in (`--no-relative`, `--full-name` with the `:/` pathspec). */
async function listFiles(cwd: string, mode: RepoMode, signal: AbortSignal): Promise<Array<{ file: string; status: ArtifactStatus }>> {
  if (mode === 'staged') {
    return parseNameStatus(await git(cwd, ['diff', '--cached', '--name-status', '-z', '--no-renames', '--no-relative', '--diff-filter=ACMR'], signal));
  }
  return (await git(cwd, ['ls-files', '-z', '--cached', '--full-name', '--', ':/'], signal))
    .split('\0')
    .filter(Boolean)
    .map((file) => ({ file, status: 'tracked' as const }));
}

async function repositoryTop(cwd: string, signal: AbortSignal): Promise<string | undefined> {
  try {
    return (await git(cwd, ['rev-parse', '--show-toplevel'], signal)).trim() || undefined;
  } catch (error) {
    signal.throwIfAborted();
    // Not a repository: there is nothing to look at.
    if (error instanceof GitFailed && error.exitCode === 128) return undefined;
    throw error;
  }
}

export const repoScanner: Scanner = {
  name: 'repo',
  budgetMs: REPO_BUDGET_MS,
  async scan({ cwd, probes, repoMode, signal }: ScanContext): Promise<ArtifactObservation[]> {
    if (cwd === undefined || probes.repoPatterns.length === 0) return [];
    // Both at once: each is a git start-up, and a hook pays for them on every commit.
    const [root, files] = await Promise.all([
      repositoryTop(cwd, signal),
      listFiles(cwd, repoMode ?? 'tracked', signal).catch((error: unknown) => {
        if (error instanceof GitFailed && error.exitCode === 128) return []; // not a repository
        throw error;
      }),
    ]);
    if (root === undefined) return [];
    const matchPattern = repoPatternMatcher(probes.repoPatterns);
    const found: ArtifactObservation[] = [];
    for (const { file, status } of files) {
      const pattern = matchPattern(file);
      if (pattern !== undefined) found.push({ kind: 'artifact', root, file, status, pattern });
    }
    return found;
  },
};
