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
import { execa } from 'execa';
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

async function git(cwd: string, args: string[], signal: AbortSignal): Promise<string> {
  const result = await execa('git', args, {
    cwd,
    cancelSignal: signal,
    maxBuffer: MAX_GIT_OUTPUT,
    stdin: 'ignore',
    stripFinalNewline: false,
  });
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

async function listFiles(cwd: string, mode: RepoMode, signal: AbortSignal): Promise<Array<{ file: string; status: ArtifactStatus }>> {
  if (mode === 'staged') {
    return parseNameStatus(await git(cwd, ['diff', '--cached', '--name-status', '-z', '--no-renames', '--diff-filter=ACMR'], signal));
  }
  return (await git(cwd, ['ls-files', '-z', '--cached'], signal))
    .split('\0')
    .filter(Boolean)
    .map((file) => ({ file, status: 'tracked' as const }));
}

async function repositoryTop(cwd: string, signal: AbortSignal): Promise<string | undefined> {
  try {
    return (await git(cwd, ['rev-parse', '--show-toplevel'], signal)).trim() || undefined;
  } catch (error) {
    signal.throwIfAborted();
    // Not a repository (or no git at all): there is nothing to look at.
    if (error instanceof Error && 'exitCode' in error && (error as { exitCode?: number }).exitCode === 128) return undefined;
    throw error;
  }
}

export const repoScanner: Scanner = {
  name: 'repo',
  budgetMs: REPO_BUDGET_MS,
  async scan({ cwd, probes, repoMode, signal }: ScanContext): Promise<ArtifactObservation[]> {
    if (cwd === undefined || probes.repoPatterns.length === 0) return [];
    const root = await repositoryTop(cwd, signal);
    if (root === undefined) return [];
    const mode = repoMode ?? 'tracked';
    // Paths from `git diff` and `ls-files` run at the top are relative to the top.
    const files = await listFiles(root, mode, signal);
    const matchPattern = repoPatternMatcher(probes.repoPatterns);
    const found: ArtifactObservation[] = [];
    for (const { file, status } of files) {
      const pattern = matchPattern(file);
      if (pattern !== undefined) found.push({ kind: 'artifact', root, file, status, pattern });
    }
    return found;
  },
};
