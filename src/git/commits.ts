/**
 * Commit messages for the commit trailers check: a range of history
 * (`aitool check --commits`), the commits a push sends (pre-push), or the
 * message being written (commit-msg). Read through git; bounded.
 */
import { open } from 'node:fs/promises';
import { runGit } from './run.js';
import { UserError } from '../errors.js';
import type { CommitObservation } from '../types.js';

/** More commits than this in one check is history, not a change under review; the rest are left out and said so. */
export const MAX_COMMITS = 5000;
const MAX_MESSAGE_BYTES = 1024 * 1024;
const FIELD = '\x1f';
const RECORD = '\x1e';
const ZERO_OID = /^0+$/;

async function git(cwd: string, args: string[]): Promise<string> {
  const result = await runGit(cwd, args, { maxBuffer: 256 * 1024 * 1024 });
  if (result.exitCode !== 0) {
    const why = String(result.stderr).trim().split('\n')[0] || `exit code ${result.exitCode}`;
    throw new UserError(`git ${args[0]}: ${why}`);
  }
  return String(result.stdout);
}

export interface CommitList {
  commits: CommitObservation[];
  /** True when the range held more than MAX_COMMITS. */
  truncated: boolean;
}

/** The commits `git log <revisions>` lists, newest first, with author and committer. */
export async function readCommits(cwd: string, revisions: string[]): Promise<CommitList> {
  const format = ['%H', '%an <%ae>', '%cn <%ce>', '%B'].join(FIELD) + RECORD;
  const output = await git(cwd, ['log', `--max-count=${MAX_COMMITS + 1}`, `--format=${format}`, ...revisions, '--']);
  const commits: CommitObservation[] = [];
  for (const record of output.split(RECORD)) {
    const [sha, author, committer, message] = record.replace(/^\n/, '').split(FIELD);
    if (!sha || message === undefined) continue;
    commits.push({ kind: 'commit', sha, message, ...(author ? { author } : {}), ...(committer ? { committer } : {}) });
  }
  return { commits: commits.slice(0, MAX_COMMITS), truncated: commits.length > MAX_COMMITS };
}

/**
 * What a push sends, from the lines git gives pre-push on stdin
 * (`<local ref> <local oid> <remote ref> <remote oid>`): the commits between
 * the remote's tip and ours, or for a new branch those no remote has yet.
 * Deleting a remote branch sends nothing.
 */
export function pushRevisions(stdin: string): string[][] {
  const ranges: string[][] = [];
  for (const line of stdin.split('\n')) {
    const [, localOid, , remoteOid] = line.trim().split(/\s+/);
    if (!localOid || !remoteOid || ZERO_OID.test(localOid)) continue;
    ranges.push(ZERO_OID.test(remoteOid) ? [localOid, '--not', '--remotes'] : [`${remoteOid}..${localOid}`]);
  }
  return ranges;
}

/** `git var GIT_AUTHOR_IDENT` → `Name <email>` (the date is dropped). */
function ident(raw: string): string | undefined {
  const match = /^(.*?<[^>]*>)/.exec(raw.trim());
  return match?.[1];
}

/** The message a commit-msg hook is given, with the author and committer the commit will have. */
export async function readMessageFile(cwd: string, path: string): Promise<CommitObservation> {
  let message: string;
  try {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(MAX_MESSAGE_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, MAX_MESSAGE_BYTES, 0);
      message = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new UserError(`${path}: cannot read the commit message (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const [author, committer] = await Promise.all([
    git(cwd, ['var', 'GIT_AUTHOR_IDENT']).then(ident, () => undefined),
    git(cwd, ['var', 'GIT_COMMITTER_IDENT']).then(ident, () => undefined),
  ]);
  return { kind: 'commit', path, message, ...(author ? { author } : {}), ...(committer ? { committer } : {}) };
}
