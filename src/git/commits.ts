/**
 * Commit messages for the commit trailers check: a range of history
 * (`aitool check --commits`), the commits a push sends (pre-push), the
 * commits a server receives (pre-receive), or the message being written
 * (commit-msg). Read through git; bounded.
 */
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync } from 'node:fs';
import { runGit } from './run.js';
import { UserError } from '../errors.js';
import type { CommitObservation } from '../types.js';

/** More commits than this in one check is history, not a change under review; the rest are left out and said so. */
export const MAX_COMMITS = 5000;
const MAX_MESSAGE_BYTES = 1024 * 1024;
const FIELD = '\x1f';
const RECORD = '\x1e';
const ZERO_OID = /^0+$/;
/** SHA-1 or SHA-256 object names, as git writes them: never an option or a revision expression. */
const OID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * The environment git runs with. A pre-receive hook's git children need the
 * hook's own (GIT_DIR, GIT_QUARANTINE_PATH, GIT_OBJECT_DIRECTORY,
 * GIT_ALTERNATE_OBJECT_DIRECTORIES): the pushed objects are only in the
 * quarantine until the hook says yes.
 */
export type GitEnv = Readonly<Record<string, string | undefined>>;

async function git(cwd: string, args: string[], env?: GitEnv): Promise<string> {
  const result = await runGit(cwd, args, { maxBuffer: 256 * 1024 * 1024, ...(env ? { env: { ...env } } : {}) });
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
export async function readCommits(cwd: string, revisions: string[], env?: GitEnv): Promise<CommitList> {
  const format = ['%H', '%an <%ae>', '%cn <%ce>', '%B'].join(FIELD) + RECORD;
  const output = await git(cwd, ['log', `--max-count=${MAX_COMMITS + 1}`, `--format=${format}`, ...revisions, '--'], env);
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

/** A pushed ref as a pre-receive hook is told of it: `<old oid> <new oid> <ref name>`. */
export interface ReceivedRef {
  ref: string;
  /** What to list: the commits this update brings that the repository does not have yet. */
  revisions: string[];
}

/**
 * What a server receives, from the lines git gives pre-receive on stdin. The
 * refs are not updated yet when the hook runs, so "not reachable from any ref"
 * (`--not --all`) means exactly the commits new to the repository: a new
 * branch made of known commits brings nothing to check, and an update brings
 * what lies between the old tip and the new one (`--not --all` also leaves out
 * what another branch already has). Deleting a ref brings nothing.
 */
export function receivedRefs(stdin: string): ReceivedRef[] {
  const refs: ReceivedRef[] = [];
  for (const line of stdin.split('\n')) {
    const [oldOid, newOid, ref] = line.trim().split(/\s+/);
    if (!oldOid || !newOid || !ref || ZERO_OID.test(newOid)) continue;
    if (!OID.test(newOid) || !OID.test(oldOid)) throw new UserError(`pre-receive: not a ref update line from git: ${JSON.stringify(line.slice(0, 200))}`);
    refs.push({ ref, revisions: [newOid, '--not', '--all'] });
  }
  return refs;
}

/** `git var GIT_AUTHOR_IDENT` → `Name <email>` (the date is dropped). */
function ident(raw: string): string | undefined {
  const match = /^(.*?<[^>]*>)/.exec(raw.trim());
  return match?.[1];
}

/**
 * `Name <email>` from the environment: `git commit` exports the author it
 * will record (GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL, `--author` included) to
 * its hooks, which saves a `git var` on every commit. The committer is in the
 * environment only when someone set it there.
 */
function identFromEnv(env: Readonly<Record<string, string | undefined>>, who: 'AUTHOR' | 'COMMITTER'): string | undefined {
  const name = env[`GIT_${who}_NAME`];
  const email = env[`GIT_${who}_EMAIL`];
  return name !== undefined && email !== undefined ? `${name} <${email}>` : undefined;
}

async function identOf(cwd: string, env: Readonly<Record<string, string | undefined>>, who: 'AUTHOR' | 'COMMITTER', asked?: string): Promise<string | undefined> {
  return identFromEnv(env, who) ?? (asked !== undefined ? ident(asked) : git(cwd, ['var', `GIT_${who}_IDENT`]).then(ident, () => undefined));
}

/**
 * The message a commit-msg hook is given, with the author and committer the
 * commit will have. `committerIdent`: `git var GIT_COMMITTER_IDENT`'s answer
 * when the hook script already asked (hooks/git-input.ts).
 */
export async function readMessageFile(
  cwd: string,
  path: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  committerIdent?: string,
): Promise<CommitObservation> {
  let message: string;
  try {
    // O_NONBLOCK: a FIFO at that path must not hold the hook open forever.
    // Synchronous: one small file, and only a regular one is read (checked on the descriptor).
    const fd = openSync(path, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
    try {
      if (!fstatSync(fd).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'not a regular file' });
      const buffer = Buffer.alloc(MAX_MESSAGE_BYTES);
      const bytesRead = readSync(fd, buffer, 0, MAX_MESSAGE_BYTES, 0);
      message = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new UserError(`${path}: cannot read the commit message (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const [author, committer] = await Promise.all([identOf(cwd, env, 'AUTHOR'), identOf(cwd, env, 'COMMITTER', committerIdent)]);
  return { kind: 'commit', path, message, ...(author ? { author } : {}), ...(committer ? { committer } : {}) };
}
