/**
 * `aitool check` and `aitool hook run`: options → the pipeline → one printed
 * report → exit code. The hook form is the same check with the hook's
 * scanners, its input (staged changes, the message, the pushed commits), and
 * a report that stays silent when there is nothing to say. pre-receive (and
 * `check --commits-only`, its CI form) checks pushed commits alone: see
 * hooks/pre-receive.ts.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, isAbsolute } from 'node:path';
import type { ChalkInstance } from 'chalk';
import { gitInputFd } from '../self.js';
import { gitInputParts, parseGitInput, readGitInput, type HookGitInput } from '../hooks/git-input.js';
import { UserError } from '../errors.js';
import type { FailOn, Report } from '../report/types.js';
import type { CommitObservation } from '../types.js';

export type OutputFormat = 'text' | 'json' | 'sarif' | 'ndjson' | 'html' | 'junit';
/**
 * What `hook run` takes: git's hook names, and `commit`, which the default
 * install's commit-msg hook runs: everything pre-commit and commit-msg check
 * (the session, the staged files, the message) in one process per commit.
 */
export type HookName = 'pre-commit' | 'commit-msg' | 'commit' | 'pre-push' | 'pre-receive';
export const HOOK_NAMES: readonly HookName[] = ['pre-commit', 'commit-msg', 'commit', 'pre-push', 'pre-receive'];

export interface CheckCommandOptions {
  policy?: string;
  format: OutputFormat;
  failOn: FailOn;
  commits?: string;
  /** With `commits`: those commits alone (no machine scan, no project policy layer), as CI and pre-receive check them. */
  commitsOnly?: boolean;
  kill?: boolean;
  dryRun?: boolean;
  /** Write the report to this file, atomically, instead of stdout. */
  output?: string;
}

export interface CommandIo {
  cwd: string;
  env: Record<string, string | undefined>;
  chalk: () => Promise<ChalkInstance>;
  /** All of stdin, for pre-push (bounded by the caller). */
  readStdin: () => Promise<string>;
  /** For commands that print as they go (watch); the others return their output. */
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface CommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** The folder holding `.git` (a folder, or a file in worktrees and submodules), from `cwd` up. */
export function repositoryRoot(cwd: string): string | undefined {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The policy file SARIF anchors machine findings to: the topmost one inside the repository, else the topmost. */
function anchorFile(report: Report, root: string | undefined): string | undefined {
  const files = report.policy.files.map((f) => f.file).filter((f): f is string => f !== undefined && isAbsolute(f));
  const inside = root ? files.filter((f) => !relative(root, f).startsWith('..')) : [];
  return inside.at(-1) ?? files.at(-1);
}

async function render(report: Report, format: OutputFormat, io: CommandIo, quiet: boolean, hook?: { hook: 'commit' | 'push'; refused: boolean }): Promise<string> {
  if (format === 'json') {
    const { formatJson } = await import('../report/json.js');
    return formatJson(report);
  }
  if (format === 'ndjson') {
    const { formatNdjson } = await import('../report/ndjson.js');
    return formatNdjson(report);
  }
  if (format === 'html') {
    const { formatHtml } = await import('../report/html.js');
    return formatHtml(report);
  }
  if (format === 'junit') {
    const { formatJunit } = await import('../report/junit.js');
    return formatJunit(report);
  }
  if (format === 'sarif') {
    const { formatSarif } = await import('../report/sarif.js');
    const root = repositoryRoot(io.cwd);
    const policyFile = anchorFile(report, root);
    return formatSarif(report, { cwd: io.cwd, ...(root ? { repoRoot: root } : {}), ...(policyFile ? { policyFile } : {}) });
  }
  const { formatText } = await import('../report/text.js');
  return formatText(report, await io.chalk(), io.env.HOME, { quiet, ...hook });
}

export async function checkCommand(options: CheckCommandOptions, io: CommandIo): Promise<CommandResult> {
  if (options.dryRun && !options.kill) throw new UserError('--dry-run goes with --kill: it shows what --kill would stop');
  if (options.commitsOnly && options.commits === undefined) throw new UserError('--commits-only goes with --commits <range>: it checks those commits alone');
  if (options.commitsOnly && options.kill) throw new UserError('--commits-only checks commits, not this machine: --kill has nothing to stop');
  const { check, exitCodeFor } = await import('../run.js');
  // A range check looks at what the range carries: messages, authors, and the AI tool files its commits add.
  const commits = options.commits === undefined ? undefined : await import('../hooks/pre-receive.js');
  const range = options.commits === undefined ? undefined : await commits!.readCommitRange(io.cwd, [{ revisions: [options.commits] }], io.env);
  const report = await check({
    cwd: io.cwd,
    env: io.env,
    failOn: options.failOn,
    ...(options.policy ? { policyFile: options.policy } : {}),
    extra: range?.commits ?? [],
    extraNotes: range?.notes ?? [],
    ...(range ? { committedFiles: range.files } : {}),
    ...(options.commitsOnly ? { scanMachine: false } : {}),
    ...(options.kill ? { kill: true } : {}),
    ...(options.dryRun ? { dryRun: true } : {}),
  });
  // Only the text report uses colour: JSON and the others load no chalk (nor the tty module it brings).
  const summary = async (chalk: () => Promise<ChalkInstance>) =>
    options.commitsOnly && options.format === 'text' && range
      ? commits!.commitSummary(report, range, await chalk(), { block: `aitool: commits in ${options.commits} break the policy:`, warn: `aitool: commits in ${options.commits} to review:` })
      : '';
  if (options.output) {
    // A file is read by a program, later: no colour codes in it.
    const plain = async () => new (await import('chalk')).Chalk({ level: 0 });
    const text = (await summary(plain)) + (await render(report, options.format, { ...io, chalk: plain }, false));
    const { writeFileAtomic } = await import('../output.js');
    await writeFileAtomic(options.output, text);
    return { stdout: '', stderr: '', exitCode: exitCodeFor(report) };
  }
  const text = (await summary(io.chalk)) + (await render(report, options.format, io, false));
  return { stdout: text, stderr: '', exitCode: exitCodeFor(report) };
}

export interface HookRunOptions {
  policy?: string;
  failOn: FailOn;
  format: OutputFormat;
  /** The installed hook script's git already wrote the staged files and the committer on stdin (hooks/git-input.ts). */
  gitStdin?: boolean;
}

/** Distinct commits, first seen first: two pushed refs often share history. */
function distinct(commits: CommitObservation[]): CommitObservation[] {
  const seen = new Set<string>();
  const out: CommitObservation[] = [];
  for (const commit of commits) {
    if (commit.sha !== undefined) {
      if (seen.has(commit.sha)) continue;
      seen.add(commit.sha);
    }
    out.push(commit);
  }
  return out;
}

async function readMessage(hook: HookName, file: string | undefined, io: CommandIo, committerIdent: string | undefined): Promise<CommitObservation> {
  if (!file) throw new UserError(`hook run ${hook}: git passes the message file; none was given`);
  const { readMessageFile } = await import('../git/commits.js');
  return readMessageFile(io.cwd, isAbsolute(file) ? file : join(io.cwd, file), io.env, committerIdent);
}

/** What the hook script's git wrote on stdin, when it says so and the stream is whole; undefined: aitool asks git itself. */
function scriptGitInput(hook: HookName, options: HookRunOptions): HookGitInput | undefined {
  if (!options.gitStdin || (hook !== 'commit' && hook !== 'pre-commit' && hook !== 'commit-msg')) return undefined;
  const text = readGitInput(gitInputFd());
  return text === undefined ? undefined : parseGitInput(text, gitInputParts(hook));
}

/**
 * What a git hook runs. The report goes to stderr (git shows it; a tool that
 * captures a hook's stdout still lets it through) and says nothing when
 * nothing was found, so a clean commit stays quiet.
 */
export async function hookRunCommand(name: string, args: string[], options: HookRunOptions, io: CommandIo): Promise<CommandResult> {
  if (!HOOK_NAMES.includes(name as HookName)) {
    throw new UserError(`hook run: unknown hook '${name}'; expected one of ${HOOK_NAMES.join(', ')}`);
  }
  const hook = name as HookName;
  if (hook === 'pre-receive') return preReceiveCommand(options, io);
  const listed = scriptGitInput(hook, options);
  if (hook === 'pre-commit' || hook === 'commit') {
    // git starts now and lists the staged files while the pipeline's modules load (unless the hook script's git
    // already did); the repo scanner takes its answer.
    const { repositoryFiles } = await import('../git/files.js');
    void repositoryFiles(io.cwd, 'staged', undefined, listed?.staged);
  }
  // The message is read (and the committer asked of git) while the pipeline's modules load, too.
  const message = hook === 'commit-msg' || hook === 'commit' ? readMessage(hook, args[0], io, listed?.committer) : undefined;
  message?.catch(() => undefined);
  const { check, exitCodeFor } = await import('../run.js');
  let extra: CommitObservation[] = [];
  const extraNotes: Report['notes'] = [];
  if (message) {
    extra = [await message];
  } else if (hook === 'pre-push') {
    const { pushRevisions, readCommits, MAX_COMMITS } = await import('../git/commits.js');
    const lists = await Promise.all(pushRevisions(await io.readStdin()).map((revisions) => readCommits(io.cwd, revisions)));
    extra = distinct(lists.flatMap((l) => l.commits));
    if (lists.some((l) => l.truncated)) extraNotes.push({ scanner: 'commits', message: `more than ${MAX_COMMITS} commits in the push; the newest were read` });
  }
  const report = await check({
    cwd: io.cwd,
    env: io.env,
    failOn: options.failOn,
    // `commit` scans as pre-commit does (the staged files are still in the index when commit-msg runs), with the message on top.
    hook: hook === 'commit' ? 'pre-commit' : hook,
    extra,
    extraNotes,
    ...(options.policy ? { policyFile: options.policy } : {}),
  });
  // A clean commit prints nothing, and need not load the text report and chalk to say so.
  const silent = report.findings.every((f) => f.action === 'allow') && report.skipped.length === 0 && report.policy.warnings.length === 0;
  const exitCode = exitCodeFor(report);
  // A refusal opens with what was refused and what to do about it.
  const gitAction = hook === 'pre-push' ? 'push' : 'commit';
  const text = options.format === 'text' && silent ? '' : await render(report, options.format, io, true, { hook: gitAction, refused: exitCode !== 0 });
  return options.format === 'text'
    ? { stdout: '', stderr: text, exitCode }
    : { stdout: text, stderr: '', exitCode };
}

/**
 * pre-receive on a server: the pushed commits alone, under the server's
 * policy (managed, the server account's user layer, --policy; never the
 * pushed repository's), with git's quarantine environment passed to every git
 * it starts. Exit 1 refuses the push; exit 2 (an error) refuses it too, as
 * any non-zero exit of the hook does.
 */
async function preReceiveCommand(options: HookRunOptions, io: CommandIo): Promise<CommandResult> {
  const { preReceiveRefs, readCommitRange, commitSummary } = await import('../hooks/pre-receive.js');
  const parts = await preReceiveRefs(await io.readStdin());
  const range = await readCommitRange(io.cwd, parts, io.env);
  const { check, exitCodeFor } = await import('../run.js');
  const report = await check({
    cwd: io.cwd,
    env: io.env,
    failOn: options.failOn,
    extra: range.commits,
    extraNotes: range.notes,
    committedFiles: range.files,
    scanMachine: false,
    ...(options.policy ? { policyFile: options.policy } : {}),
  });
  const exitCode = exitCodeFor(report);
  if (options.format !== 'text') return { stdout: await render(report, options.format, io, true), stderr: '', exitCode };
  const silent = report.findings.every((f) => f.action === 'allow') && report.skipped.length === 0 && report.policy.warnings.length === 0;
  if (silent) return { stdout: '', stderr: '', exitCode };
  const chalk = await io.chalk();
  const title = exitCode === 0 ? { block: 'aitool: commits the policy blocks (not refused: --fail-on):', warn: 'aitool: commits to review:' } : { block: 'aitool: push refused; these commits break the policy:', warn: 'aitool: push refused; these commits break the policy:' };
  return { stdout: '', stderr: commitSummary(report, range, chalk, title) + (await render(report, 'text', io, true)), exitCode };
}
