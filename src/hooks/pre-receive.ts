/**
 * The server-side complement of the git hooks. A client-side hook cannot stop
 * `--no-verify`, `-c core.hooksPath=…`, plumbing (`commit-tree` +
 * `update-ref`) or an agent that detaches itself from it; what reaches the
 * server can still be checked. Two callers:
 *
 * - `aitool hook run pre-receive`: git's pre-receive hook on a self-hosted
 *   server (bin/aitool-pre-receive), refs on stdin, objects in quarantine;
 * - `aitool check --commits <range> --commits-only`: the same check over a
 *   revision range, for CI (action.yml).
 *
 * Both look only at what the commits carry: their messages (trailers), their
 * authors and committers, the AI tool files they add or change (the
 * catalog's repository patterns, as the pre-commit check applies them), and
 * the agent SDKs they add to manifests and lockfiles (compared with each
 * commit's first parent, as the pre-commit check compares with HEAD). Not
 * at the machine doing the check, and not under the repository's own policy
 * files: the content under review could have written them (see run.ts,
 * `scanMachine: false`).
 */
import { effectiveAction } from '../labels.js';
import type { ChalkInstance } from 'chalk';
import { UserError } from '../errors.js';
import type { CommittedFile, CommittedFiles } from '../git/files.js';
import type { Report } from '../report/types.js';
import type { CommitObservation, Finding } from '../types.js';

type Env = Readonly<Record<string, string | undefined>>;

/** One set of revisions to read (`A..B`, or `<new> --not --all`) and the ref it updates, if known. */
export interface RangePart {
  revisions: string[];
  ref?: string;
}

export interface CommitRange {
  commits: CommitObservation[];
  files: CommittedFiles;
  /** Which refs bring each commit (pre-receive), for the summary. */
  refsOf: Map<string, string[]>;
  notes: Report['notes'];
}

/** Reads the commits and the files they add, once per commit however many parts bring it. */
export async function readCommitRange(cwd: string, parts: readonly RangePart[], env: Env): Promise<CommitRange> {
  const { readCommits, MAX_COMMITS } = await import('../git/commits.js');
  const { filesChangedBy } = await import('../git/files.js');
  const commits: CommitObservation[] = [];
  const files: CommittedFile[] = [];
  const refsOf = new Map<string, string[]>();
  const notes: Report['notes'] = [];
  const seenFiles = new Set<string>();
  let root = cwd;
  for (const part of parts) {
    // One after the other: a range git cannot read fails on the first call, with git's own words.
    const list = await readCommits(cwd, part.revisions, env);
    const changed = await filesChangedBy(cwd, part.revisions, { env, maxCommits: MAX_COMMITS });
    root = changed.root;
    if (list.truncated) notes.push({ scanner: 'commits', message: `more than ${MAX_COMMITS} commits in ${part.ref ?? part.revisions.join(' ')}; the newest ${MAX_COMMITS} were read` });
    for (const commit of list.commits) {
      const sha = commit.sha!;
      const refs = refsOf.get(sha);
      if (refs) {
        if (part.ref && !refs.includes(part.ref)) refs.push(part.ref);
        continue;
      }
      refsOf.set(sha, part.ref ? [part.ref] : []);
      commits.push(commit);
    }
    for (const file of changed.files) {
      const key = `${file.commit}\0${file.file}`;
      if (seenFiles.has(key)) continue;
      seenFiles.add(key);
      files.push(file);
    }
  }
  return { commits, files: { root, cwd, files }, refsOf, notes };
}

/**
 * Pushed text (subjects, trailers, file and ref names) is the pusher's: its
 * control characters are shown as escapes, so a subject cannot move the
 * cursor or rewrite the refusal above it.
 */
function visible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function subjectOf(message: string): string {
  const line = message.split('\n').find((l) => l.trim() !== '') ?? '';
  const subject = visible(line.trim());
  return subject.length > 72 ? `${subject.slice(0, 71)}…` : subject;
}

function what(finding: Finding): string {
  const e = finding.evidence;
  if (finding.kind === 'artifact') return `${e.status === 'modified' ? 'changes' : 'adds'} ${visible(e.file ?? '')}`;
  if (finding.kind === 'dependency') return `adds SDK ${visible(e.package ?? '')}${e.spec ? ` ${visible(e.spec)}` : ''} in ${visible(e.file ?? '')}:${e.line ?? ''}`;
  const excerpt = visible(e.excerpt ?? '');
  return e.field === 'message' ? `message line "${excerpt}"` : `${e.field ?? 'author'} ${excerpt}`;
}

const VERDICT = { block: 'blocked', warn: 'to review', allow: 'allowed' } as const;

/**
 * The commits the policy refuses or warns about, one line per commit and
 * tool: short sha, subject, the ref that brings it, the tool, the verdict,
 * the evidence and the approved alternative. The full report (why, what to
 * use, how to fix) follows it.
 */
export function commitSummary(report: Report, range: CommitRange, chalk: ChalkInstance, title: { block: string; warn: string }): string {
  const flagged = report.findings.filter((f) => f.action !== 'allow' && (f.kind === 'commit' || f.kind === 'artifact' || f.kind === 'dependency') && f.evidence.commit);
  if (flagged.length === 0) return '';
  const subjects = new Map(range.commits.map((c) => [c.sha!, subjectOf(c.message)]));
  const byCommit = new Map<string, Finding[]>();
  for (const finding of flagged) {
    const sha = finding.evidence.commit!;
    byCommit.set(sha, [...(byCommit.get(sha) ?? []), finding]);
  }
  const blocked = flagged.some((f) => effectiveAction(f) === 'block');
  const lines = [chalk.bold(blocked ? title.block : title.warn)];
  for (const [sha, findings] of byCommit) {
    const refs = range.refsOf.get(sha) ?? [];
    const strictest = findings.some((f) => effectiveAction(f) === 'block') ? 'block' : 'warn';
    const mark = strictest === 'block' ? chalk.red('✖') : chalk.yellow('▲');
    lines.push(`${mark} ${chalk.bold(sha.slice(0, 12))} "${subjects.get(sha) ?? ''}"${refs.length > 0 ? chalk.dim(` (${refs.map(visible).join(', ')})`) : ''}`);
    for (const finding of findings) {
      const alternatives = finding.alternatives.map((a) => a.name).join(', ');
      // That none is named is said once, under the report that follows.
      const instead = alternatives ? `; use instead: ${alternatives}` : '';
      const excepted = finding.exception ? ` (under an exception until ${visible(finding.exception.until)})` : '';
      lines.push(`    ${finding.toolName} (${finding.tool}): ${VERDICT[finding.action]} by ${finding.rule}${excepted} — ${what(finding)}${instead}`);
    }
  }
  return `${lines.join('\n')}\n\n`;
}

/** `aitool hook run pre-receive`: refs on stdin; exit 1 refuses the push. */
export async function preReceiveRefs(stdin: string): Promise<RangePart[]> {
  const { receivedRefs } = await import('../git/commits.js');
  if (stdin.length === 0) throw new UserError('hook run pre-receive: git gives the pushed refs on stdin; none were given');
  return receivedRefs(stdin);
}
