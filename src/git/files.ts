/**
 * The repository's files as git lists them: the staged changes (a pre-commit
 * hook) or every tracked file. Memoised per folder and mode, so that a hook
 * can start git first thing and the repo scanner, loaded ~25 ms later, picks
 * up the same answer instead of starting git again.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ArtifactStatus } from '../types.js';
import { UserError } from '../errors.js';
import { runGit } from './run.js';

export type RepoMode = 'staged' | 'tracked';

export interface RepositoryFiles {
  /** The top of the work tree (absolute). */
  root: string;
  /** Relative to the top, forward slashes. */
  files: Array<{ file: string; status: ArtifactStatus }>;
}

/** git's output is a list of names; 64 MiB is several million of them. */
const MAX_GIT_OUTPUT = 64 * 1024 * 1024;
/** git's "not a git repository" (and other fatal start-up errors). */
const NOT_A_REPOSITORY = 128;

export class GitFailed extends Error {
  constructor(
    args: readonly string[],
    readonly exitCode: number,
    stderr: string,
  ) {
    super(`git ${args[0]} failed (exit ${exitCode}): ${stderr.trim().split('\n')[0] ?? ''}`);
  }
}

async function git(cwd: string, args: string[], signal: AbortSignal): Promise<string | undefined> {
  const result = await runGit(cwd, args, { maxBuffer: MAX_GIT_OUTPUT, signal });
  if (result.exitCode === NOT_A_REPOSITORY) return undefined;
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

/** Paths relative to the top whatever folder git runs in (`--no-relative`; `--full-name` with the `:/` pathspec). */
/** The staged listing; the installed hook scripts ask git the same (hooks/script.ts, held equal by a test). */
export const STAGED_LIST_ARGS = ['diff', '--cached', '--name-status', '-z', '--no-renames', '--no-relative', '--diff-filter=ACMR'];
const LIST_ARGS: Record<RepoMode, string[]> = {
  staged: STAGED_LIST_ARGS,
  tracked: ['ls-files', '-z', '--cached', '--full-name', '--', ':/'],
};

/** MERGE_HEAD names one commit per merged branch (several for an octopus); more than this is not a merge git makes. */
const MAX_MERGE_HEAD_BYTES = 64 * 1024;
const OID_LINE = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** The commits being merged, when a merge is being committed (`git merge`, or `git commit` concluding one). */
function mergeHeads(path: string): string[] {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info?.isFile() || info.size > MAX_MERGE_HEAD_BYTES) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => OID_LINE.test(line));
}

/**
 * A merge commit's staged changes against HEAD include everything the other
 * branch brings, files committed there earlier: like a file committed
 * earlier and left alone, those are not this commit's doing. What counts is
 * what differs from every parent (a file neither side had, or a resolution).
 */
async function stagedByThisMerge(cwd: string, files: StagedFile[], heads: readonly string[], signal: AbortSignal): Promise<StagedFile[]> {
  let kept = files;
  for (const head of heads) {
    const listing = await git(cwd, [...LIST_ARGS.staged, head], signal);
    if (listing === undefined) return kept;
    const changed = new Set(parseNameStatus(listing).map((f) => f.file));
    kept = kept.filter((f) => changed.has(f.file));
  }
  return kept;
}

type StagedFile = RepositoryFiles['files'][number];

/** A git folder: `.git` itself, or where a `.git` file (linked worktree, submodule) points. */
const GITDIR_LINE = /^gitdir: (.+)$/m;

/**
 * The top of the work tree and its git folder, found as git finds them when
 * nothing in the environment says otherwise: the nearest folder holding
 * `.git`. No git process for it (the listing is already one, and a hook pays
 * for every git start on every commit). Undefined when GIT_DIR or
 * GIT_WORK_TREE is set, or no `.git` is found: then git is asked.
 */
function topByWalkingUp(cwd: string): { root: string; gitDir: string } | undefined {
  if (process.env.GIT_DIR !== undefined || process.env.GIT_WORK_TREE !== undefined) return undefined;
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const dotGit = join(dir, '.git');
    const info = statSync(dotGit, { throwIfNoEntry: false });
    // git names the top with links resolved: so do we, so the two ways give the same root.
    if (info?.isDirectory()) return { root: realpathSync.native(dir), gitDir: dotGit };
    if (info?.isFile()) {
      // A `.git` file is a line of text; a big one is not git's.
      if (info.size > 4096) return undefined;
      const target = GITDIR_LINE.exec(readFileSync(dotGit, 'utf8'))?.[1]?.trim();
      return target ? { root: realpathSync.native(dir), gitDir: resolve(dir, target) } : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** The top of the work tree and where its MERGE_HEAD would be, asked of git. */
async function topFromGit(cwd: string, signal: AbortSignal): Promise<{ root: string; mergeHead: string } | undefined> {
  const output = await git(cwd, ['rev-parse', '--show-toplevel', '--git-path', 'MERGE_HEAD'], signal);
  const [root, mergeHead] = (output ?? '').split('\n');
  return root && mergeHead ? { root, mergeHead: resolve(cwd, mergeHead) } : undefined;
}

async function load(cwd: string, mode: RepoMode, signal: AbortSignal, listed?: string): Promise<RepositoryFiles | undefined> {
  const walked = topByWalkingUp(cwd);
  // Both at once when git must be asked for the top: each is a git start-up.
  const [top, listing] = await Promise.all([
    walked ? { root: walked.root, mergeHead: join(walked.gitDir, 'MERGE_HEAD') } : topFromGit(cwd, signal),
    listed ?? git(cwd, LIST_ARGS[mode], signal),
  ]);
  if (!top || listing === undefined) return undefined;
  const { root, mergeHead: mergeHeadPath } = top;
  if (mode === 'tracked') {
    return {
      root,
      files: listing
        .split('\0')
        .filter(Boolean)
        .map((file) => ({ file, status: 'tracked' as const })),
    };
  }
  const staged = parseNameStatus(listing);
  const heads = staged.length > 0 ? mergeHeads(mergeHeadPath) : [];
  return { root, files: heads.length > 0 ? await stagedByThisMerge(cwd, staged, heads, signal) : staged };
}

const started = new Map<string, { pending: Promise<RepositoryFiles | undefined>; cancel: AbortController }>();

/**
 * The files of the repository holding `cwd`; undefined outside a repository.
 * Aborting `signal` (the repo scanner's budget) kills the git processes of
 * the shared run, whoever started it, and forgets it: a hook's early start has
 * no budget of its own, and its git must not outlive the scan. `listed`:
 * the staged listing the hook script's git already wrote (hooks/git-input.ts),
 * used instead of starting git for it (the first call for a folder decides).
 */
export function repositoryFiles(cwd: string, mode: RepoMode, signal?: AbortSignal, listed?: string): Promise<RepositoryFiles | undefined> {
  const key = `${mode}\0${cwd}`;
  let entry = started.get(key);
  if (!entry) {
    const cancel = new AbortController();
    const pending = load(cwd, mode, cancel.signal, listed);
    // Nobody may be waiting yet (a hook starts it early): keep a failure from being an unhandled rejection.
    pending.catch(() => undefined);
    entry = { pending, cancel };
    started.set(key, entry);
  }
  if (signal) {
    const { pending, cancel } = entry;
    const stop = (): void => {
      cancel.abort(signal.reason);
      if (started.get(key)?.pending === pending) started.delete(key);
    };
    if (signal.aborted) stop();
    else {
      signal.addEventListener('abort', stop, { once: true });
      void pending.finally(() => signal.removeEventListener('abort', stop)).catch(() => undefined);
    }
  }
  return entry.pending;
}

/** A file a commit adds or changes (`status` as the pre-commit check names staged files). */
export interface CommittedFile {
  commit: string;
  /** Relative to the top, forward slashes. */
  file: string;
  status: ArtifactStatus;
}

export interface CommittedFiles {
  /** What the artifact findings name as the repository: the work tree's top, or the git folder of a bare repository. */
  root: string;
  /** Where git was asked (a pre-receive hook runs in the git folder, with GIT_DIR=.): where to ask it again. */
  cwd: string;
  files: CommittedFile[];
}

const RECORD = '\x1e';

/**
 * The files the commits `git log <revisions>` lists add or change: what a
 * pre-commit check would have seen staged, commit by commit, so a range
 * check holds commits to the same rule even when they were made without the
 * hook. Renames count as additions (`--no-renames`); a merge's own changes are
 * not listed (git log shows merges without a diff), its parents' are.
 * Never reads file contents (repo-dependencies.ts reads the manifests among
 * them). `env`: as for readCommits (a quarantine).
 */
export async function filesChangedBy(
  cwd: string,
  revisions: readonly string[],
  options: { env?: Readonly<Record<string, string | undefined>>; maxCommits: number },
): Promise<CommittedFiles> {
  const env = options.env ? { ...options.env } : undefined;
  const run = async (args: string[]): Promise<string> => {
    const result = await runGit(cwd, args, { maxBuffer: MAX_GIT_OUTPUT, ...(env ? { env } : {}) });
    // A range someone typed (check --commits) that git cannot read is their mistake: one line.
    if (result.exitCode !== 0) throw new UserError(`git ${args[0]}: ${result.stderr.trim().split('\n')[0] || `exit code ${result.exitCode}`}`);
    return result.stdout;
  };
  const [top, gitDir, listing] = await Promise.all([
    // A bare repository has no top (git says so with an error): its git folder stands in for it.
    runGit(cwd, ['rev-parse', '--show-toplevel'], env ? { env } : {}).then((r) => (r.exitCode === 0 ? r.stdout.trim() : '')),
    run(['rev-parse', '--absolute-git-dir']),
    run(['log', `--max-count=${options.maxCommits}`, '--no-renames', '--diff-filter=AM', '--name-status', '-z', `--format=${RECORD}%H`, ...revisions, '--']),
  ]);
  const root = top || gitDir.trim();
  const files: CommittedFile[] = [];
  for (const record of listing.split(RECORD)) {
    const end = record.indexOf('\0');
    if (end === -1) continue;
    const commit = record.slice(0, end);
    for (const { file, status } of parseNameStatus(record.slice(end + 1).replace(/^\n/, ''))) files.push({ commit, file, status });
  }
  return { root, cwd, files };
}
