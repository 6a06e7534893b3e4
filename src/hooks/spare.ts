/**
 * `aitool hook spare <folder> <name>`: an aitool started after a commit, in
 * the background, that waits to answer the next commit's hook. Node's start
 * and the loading of the pipeline are then paid between commits instead of
 * in one, and the hook script (hooks/script.ts, templates v4 to v7) only has to hand
 * over the commit.
 *
 * A spare answers once and exits: nothing it read for one commit (a policy,
 * a repository, an environment) is there for the next, and an aitool that
 * was upgraded meanwhile is never answered for by the old one. Where it
 * lives, and who may talk to it:
 *
 * - The folder is `$XDG_RUNTIME_DIR/aitool-<key>`, the key naming the
 *   installation the hook script runs (its node and aitool.js, or its
 *   standalone executable). The user's runtime folder is private to the user
 *   (pam_systemd makes it 0700). Without one (a container, a devcontainer, a
 *   login without systemd-logind), template v6 uses
 *   `${TMPDIR:-/tmp}/aitool-<uid>-<key>`, as tmux uses /tmp/tmux-<uid>,
 *   except under CI; macOS has no spares. aitool refuses a folder that is a
 *   link, is not its user's, or others may enter, and one that someone else
 *   could rename out of its place (checkPlace: every folder on its path the
 *   user's or root's, and none that others may write to without the sticky
 *   bit). The script checks the folder and its files by their paths and then
 *   opens them again: only such a place keeps those paths naming the same
 *   files in between. A refused folder gets a `refused` file saying why, and
 *   the script then starts no more spares there.
 * - A spare whose FIFO is removed or replaced (its folder deleted, say) can
 *   no longer be claimed, and ends within FOLDER_CHECK_MS. So does one whose
 *   place stops passing the checks above while it waits (a chmod of a folder
 *   on its path), or when a request comes: it claims itself first, through a
 *   descriptor of its folder kept from its check (the path may lead elsewhere
 *   by then), and one a script has claimed already declines its request.
 * - The script makes two FIFOs, `<name>.in` and `<name>.out` (Node cannot
 *   make a FIFO; the script's mkfifo can), and starts `aitool hook spare`,
 *   which starts the spare detached, with an empty environment (cli.ts).
 *   When ready, the spare writes its pid and the descriptor it holds
 *   `<name>.in` on to `<name>.pid`: the script claims only a spare whose
 *   /proc/<pid>/fd/<fd> is that FIFO.
 * - A hook script claims a spare by creating `<name>.claim` with the shell's
 *   noclobber (O_EXCL: one claimant), writes git's answers to `<name>.git`,
 *   and its request to `<name>.in` while it holds that FIFO open on
 *   CLIENT_FD: the protocol, its pid, the hook, whether its stderr is a
 *   terminal, and its arguments, each ended by a NUL. It trusts only files
 *   its own user owns, and reads `<name>.out` to its end: the spare holds it
 *   open from the request on, so a spare that dies ends the wait at once; a
 *   spare that declines (`-`) or does not answer means aitool starts as
 *   before.
 * - The spare takes the script's working folder and environment from the
 *   kernel (/proc/<pid>/cwd and environ, the script's own), not from the
 *   request, and answers only for a process of its own user that holds its
 *   FIFO on CLIENT_FD, in its own namespaces and root. It then runs
 *   `hook run <hook> --git-stdin <args>` exactly as an aitool the script
 *   started would (self.ts: the script is its parent in the session's chain,
 *   and the script's chain is protected from termination as aitool's own
 *   would be), and writes back the exit code and the report.
 *
 * Trust: whoever can write to the user's runtime folder is the user (or
 * root), who can also skip the hook (`--no-verify`); a spare lets nobody
 * past a hook who could not pass it already.
 */
import { closeSync, constants, fstatSync, type Stats, linkSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { UserError } from '../errors.js';
import { parseProcStat } from '../proc.js';
import { answerFor } from '../self.js';
import type { Launcher } from './script.js';

export const SPARE_PROTOCOL = 'aitool-spare-1';
/** The hooks a spare answers for: those whose git answers the script can hand over (pre-push keeps stdin for its refs). */
export const SPARE_HOOKS = ['commit', 'pre-commit', 'commit-msg'] as const;
/**
 * How long the script waits for an answer once it has claimed a spare, in
 * seconds (its `timeout`): a last resort only. The spare holds `<name>.out`
 * open for writing from the moment it has the request, so a spare that dies
 * ends the script's read at once; a hook run is never cut short (it may be
 * stopping processes), and may take as long as a started aitool's would.
 */
export const REPLY_WAIT_SECONDS = 120;
/** The descriptor the script holds `<name>.in` open on while it asks: the spare checks it, so a pid names the asking script and nothing else. */
export const CLIENT_FD = 8;

/** A spare nobody claimed in this long exits. */
const IDLE_MS = 30 * 60 * 1000;

/**
 * How long this spare waits unclaimed: IDLE_MS, or less where the spare
 * itself was started with AITOOL_SPARE_IDLE_MS (the tests do, to see it go).
 * A spare the hook script starts never has it: its starter (cli.ts) gives it
 * an empty environment, whatever the commit's holds.
 */
export function idleMs(env: Readonly<Record<string, string | undefined>>): number {
  const given = env.AITOOL_SPARE_IDLE_MS;
  if (given === undefined || !/^[1-9][0-9]{0,9}$/.test(given)) return IDLE_MS;
  return Math.min(Number(given), IDLE_MS);
}
/** From a request's first byte to its last; and from a claim to the request's first byte (git's answers come first). */
const REQUEST_MS = 60_000;
/** How long the spare waits for the script to open `<name>.out` to read the answer. */
const REPLY_OPEN_MS = 3000;
const MAX_REQUEST_BYTES = 256 * 1024;
/** The script's environment; a bigger one means aitool starts as before. */
const MAX_ENVIRON_BYTES = 1024 * 1024;
/** The answer; a report longer than this is cut, and says so. */
const MAX_REPLY_BYTES = 1024 * 1024;
/** Files left by a spare that died this long ago (its FIFOs without a live pid) are removed by the next one. */
const STALE_MS = 60 * 1000;
/** How often a waiting spare checks its FIFO is still there under its name, and its place still safe. */
const FOLDER_CHECK_MS = 5000;

const NAME = /^s[0-9]{1,10}$/;
/** The file in a spares folder that says why spares will not run there (the script looks for it). */
export const REFUSED = 'refused';
const PART = /^(s[0-9]{1,10})\.(in|out|pid|claim|git|pid\.tmp)$/;

/**
 * CI systems, by a variable each sets (non-empty counts, as in the script):
 * nothing should outlive a job, and a commit there is rare. The script (from
 * template v6, without a runtime folder) checks the first five itself; the
 * spare's starter checks them all, with a runtime folder too (a CI runner
 * may have one), so no spare starts under any of these. Bamboo's and GoCD's,
 * which set no `CI`, as ci-info's vendor list names them.
 */
export const CI_VARIABLES = ['CI', 'JENKINS_URL', 'TF_BUILD', 'TEAMCITY_VERSION', 'CODEBUILD_BUILD_ID', 'bamboo_planKey', 'GO_PIPELINE_LABEL'] as const;

/** The first CI variable set in `env`, if any. */
export function ciVariable(env: Readonly<Record<string, string | undefined>>): string | undefined {
  return CI_VARIABLES.find((name) => (env[name] ?? '') !== '');
}

/**
 * The starter declines (ciVariable): it removes the two FIFOs the script made
 * for the spare, as a refusing spare does (removeOwnFifos).
 */
export function dropSpareFifos(folder: string, name: string): void {
  const uid = process.getuid?.();
  if (uid !== undefined) removeOwnFifos(folder, name, uid);
}

/**
 * A descriptor of `folder`, opened without following a link at its name,
 * when it is a folder of this user's; undefined otherwise. Files reached
 * through it (`/proc/self/fd/<fd>/<name>`) are in that very folder, whatever
 * the path leads to by then.
 */
function openOwnFolder(folder: string, uid: number): number | undefined {
  let dir: number;
  try {
    dir = openSync(folder, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  let stat: Stats | undefined;
  try {
    stat = fstatSync(dir);
  } catch {
    // Unreadable: not a folder to use.
  }
  if (stat?.isDirectory() && stat.uid === uid) return dir;
  closeSync(dir);
  return undefined;
}

/**
 * Removes `<name>.in` and `<name>.out` where they are this user's FIFOs,
 * through a descriptor of the folder: opened without following a link at its
 * name, and only if it is this user's. The look and the removal then reach
 * the same folder, whatever happens on the path meanwhile (a folder on it
 * that others may write to could otherwise be swapped between the two, and
 * turn the removal on a file elsewhere).
 */
function removeOwnFifos(folder: string, name: string, uid: number): void {
  if (!isAbsolute(folder) || !NAME.test(name)) return;
  const dir = openOwnFolder(folder, uid);
  if (dir === undefined) return;
  try {
    for (const part of ['in', 'out']) {
      const file = `/proc/self/fd/${dir}/${name}.${part}`;
      if (isOwnFifo(file, uid)) unlinkQuietly(file);
    }
  } finally {
    closeSync(dir);
  }
}

/** What a spare's caller (the CLI) hands it: the CLI's own entry, to run the hook as a started aitool would. */
export interface SpareRun {
  (argv: string[], io: CapturedIo): Promise<number>;
}

/** The io a spare runs the hook with: the report is kept, not printed; colour follows the script's stderr. */
export interface CapturedIo {
  stdout: Captured;
  stderr: Captured;
  env: Record<string, string | undefined>;
  cwd: string;
}

interface Captured {
  isTTY: boolean;
  text: string;
  write(chunk: string | Uint8Array): boolean;
}

function captured(isTTY: boolean): Captured {
  return {
    isTTY,
    text: '',
    write(chunk) {
      this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    },
  };
}

/** The folder a hook script looks for spares in, below the runtime folder: one per installation (the key is in the script). */
export function spareKey(launcher: Launcher): string {
  const text = 'standalone' in launcher ? `standalone\0${launcher.standalone}` : `node\0${launcher.node}\0${launcher.bin}`;
  // FNV-1a, 64 bits: a name, not a secret; node:crypto would be one more module in every hook install.
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text, 'utf8')) hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * 0x100000001b3n);
  return hash.toString(16).padStart(16, '0');
}

/** Why a spare will not run or answer: one line (exit 2) when a person ran it; the script only sees no answer. */
class SpareRefusal extends UserError {}

function ownUid(): number {
  const uid = process.getuid?.();
  if (uid === undefined) throw new SpareRefusal('no user id on this system');
  return uid;
}

/** The sticky bit: in such a folder only an entry's owner (and the folder's, and root) may rename or remove it. */
const S_ISVTX = 0o1000;

/** The folder must be a real folder of this user that nobody else may enter, in a place nobody else can change. */
function checkFolder(folder: string, uid: number): void {
  if (!isAbsolute(folder)) throw new SpareRefusal(`${folder}: not an absolute path`);
  if (folder.includes('\n')) throw new SpareRefusal('a folder name with a line break');
  const stat = lstatSync(folder);
  if (!stat.isDirectory()) throw new SpareRefusal(`${folder}: not a folder`);
  if (stat.uid !== uid) throw new SpareRefusal(`${folder}: owned by uid ${stat.uid}, not this user`);
  if ((stat.mode & 0o077) !== 0) throw new SpareRefusal(`${folder}: others may enter it (mode ${(stat.mode & 0o777).toString(8)})`);
  // Only the kernel's own name for it: a link on the way would leave folders the path passes through unchecked (a
  // link to a link inside a folder others may write to).
  const real = realpathSync.native(folder);
  if (real !== folder) throw new SpareRefusal(`${folder}: not the folder's own path (${real}): spares wait only where no link leads`);
  checkPlace(folder, uid);
}

/**
 * Nobody but this user and root can rename the folder, or anything on the
 * way to it, and put something else in its place: every folder on its path
 * (the kernel's own path: checkFolder refuses links) is this user's or
 * root's, and none that others may write to is without the sticky bit (in a
 * sticky folder of root's or the user's, only an entry's owner may rename
 * it). `/tmp` passes; so do the runtime folder and a private TMPDIR in a home
 * nobody else may write to; a home that others may write to or a 0777 TMPDIR
 * do not. The script then claims only a spare whose pid file names the very
 * path it looks in (a link of someone else's could lead it to this spare by
 * another path, which they could turn elsewhere between its checks and its
 * use).
 */
function checkPlace(folder: string, uid: number): void {
  for (let path = dirname(folder); ; path = dirname(path)) {
    const stat = lstatSync(path);
    const unsafe = (what: string): SpareRefusal =>
      new SpareRefusal(`${path}: ${what} (uid ${stat.uid}, mode ${(stat.mode & 0o7777).toString(8)}): another user could put another folder in the place of ${folder}`);
    if (stat.uid !== uid && stat.uid !== 0) throw unsafe("neither this user's nor root's");
    if ((stat.mode & 0o022) !== 0 && (stat.mode & S_ISVTX) === 0) throw unsafe('others may write to it, and it is not sticky');
    if (dirname(path) === path) return;
  }
}

/**
 * Records why a folder was refused, in the folder: its path on the first
 * line (the script skips starting spares only when that is the path it looks
 * in, so a refusal reached by another path, a link's, does not turn spares
 * off where they would run), then the reason. The folder is opened once,
 * without following a link, and the file made through that descriptor: its
 * path may lead elsewhere by the time the file is made (the folder was
 * refused for that), and a file must never land in another folder.
 * Removing the file (or the folder) lets spares start again.
 */
function recordRefusal(folder: string, uid: number, why: string): void {
  if (!isAbsolute(folder) || folder.includes('\n')) return;
  const dir = openOwnFolder(folder, uid);
  if (dir === undefined) return;
  try {
    // Written whole under a name of this process's, then linked to its own name (which fails if it is there): the
    // script never reads a refusal half written.
    const at = (name: string): string => `/proc/self/fd/${dir}/${name}`;
    const temp = `${REFUSED}.${process.pid}`;
    const fd = openSync(at(temp), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      writeSync(fd, `${folder}\n${why}\n`);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(at(temp), at(REFUSED));
    } finally {
      unlinkSync(at(temp));
    }
  } catch {
    // Recorded already, or the folder cannot take it: the script starts a spare that refuses, as before.
  } finally {
    closeSync(dir);
  }
}

function checkFifo(path: string, uid: number): void {
  const stat = lstatSync(path);
  if (!stat.isFIFO() || stat.uid !== uid) throw new SpareRefusal(`${path}: not a FIFO of this user`);
}

/** O_CLOEXEC in /proc/<pid>/fdinfo's octal flags. */
const O_CLOEXEC = 0o2000000;

/**
 * Closes what the spare inherited beyond stdin, stdout and stderr: a pipe
 * that git, or the program running git, reads to its end would otherwise
 * stay open until the spare ends. The spare's starter (cli.ts) passed on
 * only what Node's start-up did not mark close-on-exec (it marks the
 * inherited descriptors from 0 up to the first gap after 15); what is left
 * is not close-on-exec, as every descriptor Node and libuv open are.
 */
function closeInherited(): void {
  for (const entry of readdirSync('/proc/self/fd')) {
    const fd = Number(entry);
    if (!Number.isInteger(fd) || fd <= 2) continue;
    try {
      const flags = /^flags:\s+([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
      if (flags !== undefined && (Number.parseInt(flags, 8) & O_CLOEXEC) === 0) closeSync(fd);
    } catch {
      // Closed meanwhile (the listing's own descriptor).
    }
  }
}

/** Creates `path` as the script claims a spare (O_EXCL); false when it was there already (a script claimed it). */
function claimSelf(path: string): boolean {
  try {
    closeSync(openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600));
    return true;
  } catch {
    return false;
  }
}

/** Whether another spare in the folder is ready and unclaimed. */
function otherSpareWaiting(folder: string, own: string, uid: number): boolean {
  for (const entry of readdirSync(folder)) {
    const match = /^(s[0-9]{1,10})\.pid$/.exec(entry);
    if (!match || match[1] === own) continue;
    if (lstatSync(join(folder, `${match[1]}.claim`), { throwIfNoEntry: false }) !== undefined) continue;
    const pid = servingPid(folder, match[1]!, uid);
    // One in another mount namespace (a toolbox sharing the runtime folder) serves the commits made there, not these.
    if (pid !== undefined && sameFile(statSync(`/proc/${pid}/ns/mnt`), statSync('/proc/self/ns/mnt'))) return true;
  }
  return false;
}

function isOwnFifo(path: string, uid: number): boolean {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  return stat !== undefined && stat.isFIFO() && stat.uid === uid;
}

/**
 * The pid file says `<pid> <fd>`: the spare's pid and the descriptor it holds
 * `<name>.in` open on. A spare is there exactly when /proc/<pid>/fd/<fd> is
 * that FIFO (what the script checks with `-ef`): a pid reused by another
 * process, one in another pid namespace or one of another user fails it.
 */
function servingPid(folder: string, name: string, uid: number): number | undefined {
  try {
    // Only a spare of this user's counts: files another user put there (in a folder that let them) are nobody's spare.
    if (lstatSync(join(folder, `${name}.pid`)).uid !== uid || lstatSync(join(folder, `${name}.in`)).uid !== uid) return undefined;
    const text = readBounded(join(folder, `${name}.pid`), 8192);
    // `<pid> <fd>`, then (from template v7 on) the folder the spare checked.
    const match = /^([0-9]{1,10}) ([0-9]{1,10})\n(?:[^\n]*\n)?$/.exec(text);
    if (!match) return undefined;
    return sameFile(statSync(`/proc/${match[1]}/fd/${match[2]}`), lstatSync(join(folder, `${name}.in`))) ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Gone already, or never made.
  }
}

/** Removes what spares that died left behind: sets no spare serves, older than STALE_MS. */
function removeStale(folder: string, own: string, uid: number): void {
  const now = Date.now();
  const names = new Map<string, string[]>();
  for (const entry of readdirSync(folder)) {
    const match = PART.exec(entry);
    if (!match || match[1] === own) continue;
    const parts = names.get(match[1]!) ?? [];
    parts.push(entry);
    names.set(match[1]!, parts);
  }
  for (const [name, parts] of names) {
    if (servingPid(folder, name, uid) !== undefined) continue;
    const newest = Math.max(...parts.map((part) => lstatSync(join(folder, part), { throwIfNoEntry: false })?.mtimeMs ?? 0));
    if (now - newest < STALE_MS) continue;
    for (const part of parts) unlinkQuietly(join(folder, part));
  }
}

/** A regular file of at most `max` bytes, read without following a link. */
function readBounded(path: string, max: number): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > max) throw new SpareRefusal(`${path}: not a small file`);
    const buffer = Buffer.alloc(stat.size);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/**
 * The files that make up this installation, as they were when the spare
 * started: a spare whose installation changed since (an upgrade, a rebuild)
 * declines, and the script starts the new one.
 */
function installationFiles(launcher: Launcher): string[] {
  if ('standalone' in launcher) return [launcher.standalone];
  const root = dirname(dirname(launcher.bin));
  return [launcher.node, launcher.bin, join(root, 'package.json'), join(root, 'dist', 'load.cjs'), join(root, 'dist', 'code-cache.bin')];
}

function fingerprint(files: readonly string[]): string {
  return files
    .map((file) => {
      const stat = statSync(file, { throwIfNoEntry: false, bigint: true });
      return stat ? `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}` : '-';
    })
    .join('|');
}

interface Request {
  pid: number;
  hook: (typeof SPARE_HOOKS)[number];
  terminal: boolean;
  args: string[];
}

/** The request's fields, NUL-ended; undefined while more bytes are to come; a SpareRefusal when they make no request. */
export function parseRequest(bytes: Buffer): Request | undefined {
  const fields: string[] = [];
  let start = 0;
  for (let end = bytes.indexOf(0); end !== -1; end = bytes.indexOf(0, start)) {
    fields.push(bytes.subarray(start, end).toString('utf8'));
    start = end + 1;
    if (fields.length === 5) {
      const [protocol, pid, hook, terminal, count] = fields;
      if (protocol !== SPARE_PROTOCOL) throw new SpareRefusal(`unknown protocol ${JSON.stringify(protocol)}`);
      if (!/^[1-9][0-9]{0,9}$/.test(pid!)) throw new SpareRefusal('bad pid');
      if (!(SPARE_HOOKS as readonly string[]).includes(hook!)) throw new SpareRefusal(`a spare does not run ${JSON.stringify(hook)}`);
      if (terminal !== '0' && terminal !== '1') throw new SpareRefusal('bad terminal flag');
      if (!/^[0-9]{1,3}$/.test(count!)) throw new SpareRefusal('bad argument count');
    }
    if (fields.length >= 5 && fields.length === 5 + Number(fields[4])) {
      if (start !== bytes.length) throw new SpareRefusal('bytes after the request');
      return { pid: Number(fields[1]), hook: fields[2] as Request['hook'], terminal: fields[3] === '1', args: fields.slice(5) };
    }
  }
  return undefined;
}

/**
 * The environment the kernel holds for the script (NUL-separated
 * NAME=value), as the shell passes it on to the aitool it starts. Of a name
 * given twice, dash, bash and busybox keep the last where Node keeps the
 * first: a repeated name is refused (the spare declines, and the script
 * starts aitool). An entry that is no variable name (`BASH_FUNC_f%%`) is left
 * out, as dash and busybox leave it out (bash passes it on; no catalog marker
 * has such a name).
 */
export function parseEnviron(bytes: Buffer): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of bytes.toString('utf8').split('\0')) {
    const equals = entry.indexOf('=');
    if (equals <= 0) continue;
    const name = entry.slice(0, equals);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    if (Object.hasOwn(env, name)) throw new SpareRefusal(`the environment names ${name} twice`);
    env[name] = entry.slice(equals + 1);
  }
  return env;
}

function sameFile(a: { dev: number; ino: number }, b: { dev: number; ino: number }): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

function readProc(path: string, max: number): Buffer {
  const fd = openSync(path, constants.O_RDONLY);
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const length = readSync(fd, chunk, 0, chunk.length, null);
      if (length === 0) break;
      total += length;
      if (total > max) throw new SpareRefusal(`${path}: larger than ${max} bytes`);
      chunks.push(chunk.subarray(0, length));
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** The script behind a request: its user, parent, working folder and environment, from /proc. */
function describeClient(pid: number, uid: number): { ppid: number; cwd: string; env: Record<string, string> } {
  const owner = statSync(`/proc/${pid}`).uid;
  if (owner !== uid) throw new SpareRefusal(`pid ${pid} belongs to uid ${owner}`);
  // Paths mean the same to both only in the same mount (and pid) namespace, under the same root.
  for (const kind of ['mnt', 'pid', 'user', 'uts']) {
    if (readlinkSync(`/proc/${pid}/ns/${kind}`) !== readlinkSync(`/proc/self/ns/${kind}`)) throw new SpareRefusal(`pid ${pid} is in another ${kind} namespace`);
  }
  if (!sameFile(statSync(`/proc/${pid}/root`), statSync('/'))) throw new SpareRefusal(`pid ${pid} has another root`);
  const statText = readProc(`/proc/${pid}/stat`, 4096).toString('utf8');
  const stat = parseProcStat(statText);
  if (!stat) throw new SpareRefusal(`/proc/${pid}/stat: unreadable`);
  // The rest of what a process started by the script would inherit from it, and the spare from the commit that started
  // it: a spare with other groups or capabilities could read what the script could not (or not read what it could),
  // and one with a lower priority or tighter limits could let a scanner run out of its time budget where it would not.
  if (processContext(pid, statText) !== processContext('self', readProc('/proc/self/stat', 4096).toString('utf8'))) throw new SpareRefusal(`pid ${pid} runs with other credentials, limits or priority`);
  const cwd = readlinkSync(`/proc/${pid}/cwd`);
  const env = parseEnviron(readProc(`/proc/${pid}/environ`, MAX_ENVIRON_BYTES));
  return { ppid: stat.ppid, cwd, env };
}

/** The lines of /proc/<pid>/status that say who a process is and what it may do. */
const CONTEXT_LINES = /^(?:Umask|Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):.*$/gm;

/** A process's credentials, capabilities, umask, security label, cgroup, resource limits and nice value, as one text. */
function processContext(pid: number | 'self', stat: string): string {
  const optional = (file: string): string => {
    try {
      return readProc(`/proc/${pid}/${file}`, 64 * 1024).toString('utf8');
    } catch {
      return '-';
    }
  };
  const status = readProc(`/proc/${pid}/status`, 64 * 1024).toString('utf8').match(CONTEXT_LINES) ?? [];
  // Fields after the command name (which may hold spaces): state is the first, nice the seventeenth.
  const nice = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16];
  return [...status, `nice ${nice}`, optional('attr/current'), optional('cgroup'), optional('limits')].join('\n');
}

/**
 * Variables the hook script sets itself (a user who exports one of these
 * names would see the script's value in a started aitool, and the original
 * in /proc), and those a Node reads only when it starts.
 */
function differsWhenStarted(name: string): boolean {
  return SCRIPT_VARIABLES.has(name) || (name.startsWith('NODE_') && name !== 'NODE_EXTRA_CA_CERTS') || name === 'UV_THREADPOOL_SIZE';
}

const SCRIPT_VARIABLES = new Set(['chained', 'here', 'node', 'aitool', 'refs', 'spares', 'aitool_tmp', 'aitool_uid', 'aitool_checked', 'nl', 'pidfile', 'name', 'pid', 'fd', 'tty', 'reply', 'code', 'status', 'stat']);

/** The git answers the script wrote, as a descriptor; /dev/null (aitool asks git itself) when there are none fit to read. */
function openGitAnswers(path: string, uid: number): number {
  try {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (stat.isFile() && stat.uid === uid) return fd;
    closeSync(fd);
  } catch {
    // Not there: aitool asks git.
  }
  return openSync('/dev/null', constants.O_RDONLY);
}

/**
 * Replaces this process's environment with the script's: git, chalk and
 * every scanner read process.env. The kernel holds the environment the
 * script started with, so what the script itself unsets before it starts
 * aitool (NODE_EXTRA_CA_CERTS) is unset here too.
 */
function adoptEnvironment(env: Record<string, string>): void {
  for (const name of Object.keys(process.env)) delete process.env[name];
  Object.assign(process.env, env);
  delete process.env.NODE_EXTRA_CA_CERTS;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Opens `<name>.out` for the answer once the script has it open to read (right after its request); undefined when it never does. */
function openReply(path: string): number | undefined {
  const deadline = Date.now() + REPLY_OPEN_MS;
  for (;;) {
    try {
      // Non-blocking: with no reader (the script gave up) open fails with ENXIO instead of waiting for ever.
      return openSync(path, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO' || Date.now() > deadline) return undefined;
      sleep(2);
    }
  }
}

/** Writes the answer and closes `<name>.out`: the script reads to the end. */
function writeReply(fd: number, text: string): void {
  let bytes = Buffer.from(text, 'utf8');
  if (bytes.length > MAX_REPLY_BYTES) bytes = Buffer.concat([bytes.subarray(0, MAX_REPLY_BYTES), Buffer.from('\n[aitool: report cut]\n.')]);
  const deadline = Date.now() + REPLY_OPEN_MS;
  try {
    let written = 0;
    while (written < bytes.length) {
      try {
        written += writeSync(fd, bytes, written, bytes.length - written);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || Date.now() > deadline) return;
        sleep(1);
      }
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Waits for the whole request on `<name>.in`: NUL-ended fields, within
 * REQUEST_MS of the first byte. Read through libuv's poll, not a read on the
 * thread pool: a read blocked there would keep the process from exiting.
 */
async function readRequest(fd: number, idle: { timer?: NodeJS.Timeout }): Promise<Request> {
  const { Socket } = await import('node:net');
  const socket = new Socket({ fd, readable: true, writable: false });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let deadline: NodeJS.Timeout | undefined;
    const finish = (outcome: () => void): void => {
      if (deadline) clearTimeout(deadline);
      socket.removeAllListeners('data');
      // Closes the FIFO: an open one would keep the process waiting after its answer.
      socket.destroy();
      outcome();
    };
    socket.on('error', (error) => finish(() => reject(error)));
    socket.on('data', (chunk: Buffer) => {
      if (idle.timer) clearTimeout(idle.timer);
      deadline ??= setTimeout(() => finish(() => reject(new SpareRefusal('the request was not finished in time'))), REQUEST_MS);
      chunks.push(chunk);
      const bytes = Buffer.concat(chunks);
      try {
        if (bytes.length > MAX_REQUEST_BYTES) throw new SpareRefusal('request too long');
        const request = parseRequest(bytes);
        if (request) finish(() => resolve(request));
      } catch (problem) {
        finish(() => reject(problem));
      }
    });
  });
}

/**
 * Runs the spare: made ready, it waits for one request, answers it, removes
 * its files and returns. The modules a hook loads are loaded first, so the
 * request pays for none of them.
 */
export async function runSpare(folder: string, name: string, launcher: Launcher, runHook: SpareRun, preload: () => Promise<unknown>): Promise<number> {
  if (!NAME.test(name)) throw new SpareRefusal(`${name}: not a spare's name`);
  closeInherited();
  const uid = ownUid();
  const path = (part: string): string => join(folder, `${name}.${part}`);
  /** Set when the folder's place stops passing checkFolder while the spare waits: it answers nobody then. */
  let placeChanged = false;
  let folderFd = -1;
  /** Whether the place still passes checkFolder; once it has not, never again. */
  const placeSafe = (): boolean => {
    if (!placeChanged) {
      try {
        checkFolder(folder, uid);
      } catch {
        placeChanged = true;
      }
    }
    return !placeChanged;
  };
  try {
    if (process.platform !== 'linux') throw new SpareRefusal('spares run on Linux only (the request is read from /proc)');
    try {
      checkFolder(folder, uid);
    } catch (error) {
      if (error instanceof SpareRefusal) recordRefusal(folder, uid, error.message);
      throw error;
    }
    checkFifo(path('in'), uid);
    checkFifo(path('out'), uid);
    // The folder as checked: should its place stop being safe, the spare still reaches this very folder (placeChanged).
    const opened = openOwnFolder(folder, uid);
    if (opened === undefined) throw new SpareRefusal(`${folder}: cannot be opened`);
    folderFd = opened;
  } catch (error) {
    // The script made these two for this spare; left there, every commit would add two more.
    removeOwnFifos(folder, name, uid);
    if (error instanceof SpareRefusal) throw error;
    const { code, path: where } = error as NodeJS.ErrnoException;
    throw new SpareRefusal(`${where ?? folder}: cannot be used (${code ?? String(error)})`);
  }
  const files = installationFiles(launcher);
  const installed = fingerprint(files);
  // Nothing of the folder aitool was started in is held open or read.
  process.chdir('/');
  const cleanUp = (): void => {
    for (const part of ['pid', 'pid.tmp', 'claim', 'git', 'in', 'out']) unlinkQuietly(path(part));
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.on(signal, () => {
      cleanUp();
      process.exit(0);
    });
  }
  try {
    removeStale(folder, name, uid);
    await preload();
    // Read and write: a FIFO open for writing too never reads as ended, and the open does not wait for a writer.
    const input = openSync(path('in'), constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    // One waiting spare is enough: several commits at once each start one.
    if (otherSpareWaiting(folder, name, uid)) return 0;
    const pidFile = path('pid.tmp');
    const fd = openSync(pidFile, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    writeSync(fd, `${process.pid} ${input}\n${folder}\n`);
    closeSync(fd);
    renameSync(pidFile, path('pid'));
    // A spare whose FIFO is gone from its name (the folder deleted, the file replaced) can never be claimed: it ends,
    // leaving the files by its names alone, since they may be another's by now.
    const waiting = fstatSync(input);
    const folderCheck = setInterval(() => {
      let now: { dev: number; ino: number } | undefined;
      try {
        now = lstatSync(path('in'), { throwIfNoEntry: false });
      } catch {
        // ENOTDIR, EACCES: not there for a script either.
      }
      if (now === undefined || !sameFile(now, waiting)) process.exit(0);
      // The place checked at the start, checked again: a folder on its path that others may now write to (a chmod, a
      // TMPDIR made shared) means someone else could put another folder there. The spare claims itself (through the
      // folder's descriptor: its path may lead elsewhere by now), so no script uses it, and ends, leaving its files to
      // the next spare (which refuses the place, and says why); one a script has claimed already declines that
      // script's request, which then starts aitool itself.
      if (!placeChanged && !placeSafe() && claimSelf(`/proc/self/fd/${folderFd}/${name}.claim`)) process.exit(0);
    }, FOLDER_CHECK_MS);
    folderCheck.unref();
    const idle: { timer?: NodeJS.Timeout } = {};
    idle.timer = setTimeout(() => {
      // The spare claims itself, as a script would (O_EXCL): then no script can claim it any more, and it may go. If a
      // script claimed it first, its request is on the way (after git's answers), and is answered.
      if (!claimSelf(path('claim'))) {
        idle.timer = setTimeout(() => process.kill(process.pid, 'SIGTERM'), REQUEST_MS);
        return;
      }
      cleanUp();
      process.exit(0);
    }, idleMs(process.env));

    let request: Request;
    try {
      request = await readRequest(input, idle);
    } catch (error) {
      // Nothing more is awaited: the idle timer must not keep the process for the rest of its half hour.
      clearTimeout(idle.timer);
      clearInterval(folderCheck);
      const out = openReply(path('out'));
      if (out !== undefined) writeReply(out, '-\n.');
      throw error;
    }
    clearInterval(folderCheck);
    unlinkQuietly(path('pid'));
    // Held open while the answer is made: should the spare die, the script reads the end at once and starts aitool.
    const out = openReply(path('out'));
    if (out === undefined) return 0;
    writeReply(out, await answer(request));
    return 0;
  } finally {
    cleanUp();
  }

  async function answer(request: Request): Promise<string> {
    try {
      // The place once more, now: a request that came before the next periodic check must not be answered either.
      if (!placeSafe() || fingerprint(files) !== installed) return '-\n.';
      // The pid must name the script that asks: it holds the FIFO open on CLIENT_FD (a pid from another pid namespace,
      // or one that is not the asker, does not).
      if (!sameFile(statSync(`/proc/${request.pid}/fd/${CLIENT_FD}`), statSync(path('in')))) return '-\n.';
      const client = describeClient(request.pid, uid);
      // A Node started by the script would start with these (NODE_OPTIONS, NODE_DEBUG, ...) or see the script's own
      // variables; the spare was started without them.
      if (Object.keys(client.env).some(differsWhenStarted)) return '-\n.';
      process.chdir(client.cwd);
      // The folder by that name here must be the script's own (not one renamed into its place meanwhile).
      if (!sameFile(statSync('.'), statSync(`/proc/${request.pid}/cwd`))) return '-\n.';
      answerFor({ pid: request.pid, ppid: client.ppid, gitInputFd: openGitAnswers(path('git'), uid) });
      adoptEnvironment(client.env);
    } catch {
      // Whatever the reason, the script starts aitool itself: no worse than without a spare.
      return '-\n.';
    }
    const io: CapturedIo = { stdout: captured(false), stderr: captured(request.terminal), env: process.env, cwd: process.cwd() };
    const code = await runHook(['', '', 'hook', 'run', request.hook, '--git-stdin', ...request.args], io);
    return `${code}\n${io.stdout.text}${io.stderr.text}.`;
  }
}

export { SpareRefusal };
