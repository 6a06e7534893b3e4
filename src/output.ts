/**
 * Writing files: a report or an export that a collector (an MDM agent, a log
 * shipper, osquery's file table) must never read half of, and the small
 * files the hook installer changes.
 *
 * aitool may run as root in folders other users can write (a report under
 * /tmp, a repository's .git/hooks), so nothing here follows a symbolic link
 * at the name it writes: a link planted there cannot send the write to
 * another file. Temp files get a random name and are created exclusively.
 * Reports carry process command lines (tokens passed as arguments), so they
 * are written 0600 unless the caller says otherwise.
 *
 * A name that is not a file (a device, a pipe, or a link to one) is never
 * renamed over: as root that would put a regular file in the place of
 * /dev/null or /dev/stdout for the whole machine. It is written through
 * only when it is /dev/null, the controlling terminal, a terminal of the
 * user's own, or a pipe of the user's own (`--output /dev/stdout`,
 * `mkfifo r; aitool check --output r`), and refused otherwise: opening some
 * devices does something by itself (a watchdog, a tape), and a pipe or a
 * terminal of another user's would hand them the report.
 */
import { randomBytes } from 'node:crypto';
import { constants, statSync, type Stats } from 'node:fs';
import { lstat, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from './errors.js';

/** Only the running user may read what carries command lines. */
export const PRIVATE_MODE = 0o600;

/** Create a new file, never an existing one, and never through a link (O_EXCL alone already refuses a link; O_NOFOLLOW says so). */
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
/** Rewrite an existing file in place, keeping its mode; a link at the name is refused (ELOOP). */
const REWRITE = constants.O_WRONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** A temp name beside `target`: random, so nobody can plant something at it in advance. */
export function tempNameFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`);
}

/**
 * Creates `file` (which must not exist, not even as a dangling link) with
 * exactly `mode`, whatever the umask, and writes `text` to it.
 */
export async function createExclusive(file: string, text: string | Uint8Array, mode: number): Promise<void> {
  const handle = await open(file, CREATE_NEW, mode);
  try {
    await handle.chmod(mode); // on the descriptor: the umask may have taken bits off
    await (typeof text === 'string' ? handle.writeFile(text, 'utf8') : handle.writeFile(text));
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** `text` may be bytes: `aitool apply --undo` puts back a file exactly as it was. */
export async function writeFileAtomic(file: string, text: string | Uint8Array, mode = PRIVATE_MODE): Promise<void> {
  const target = path.resolve(file);
  const special = await specialTarget(target);
  if (special) return writeThrough(target, special.info, special.viaLink, text);
  const temp = tempNameFor(target);
  let created = false;
  try {
    await createExclusive(temp, text, mode);
    created = true;
    // rename replaces whatever is at the name, a link included, without following it.
    await rename(temp, target);
  } catch (error) {
    // Never unlink a temp name we did not create: it could be someone else's file.
    if (created) await unlink(temp).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UserError(`${target}: cannot write (${code})`);
  }
}

/**
 * What is at `target` when it is neither missing nor a regular file (nor a
 * link to one, or a dangling link: those are replaced, as a file is): what
 * it finally is, followed through links. Windows has no such names to care
 * for here.
 */
async function specialTarget(target: string): Promise<{ info: Stats; viaLink: boolean } | undefined> {
  if (process.platform === 'win32') return undefined;
  const here = await lstat(target).catch(() => undefined);
  if (here === undefined || here.isFile()) return undefined;
  // A link of another user's is never followed (they could turn it elsewhere between the look and the write): it is
  // replaced, as before. /dev/stdout is root's.
  if (here.isSymbolicLink() && !ownedByMe(here) && here.uid !== 0) return undefined;
  const there = here.isSymbolicLink() ? await stat(target).catch(() => undefined) : here;
  return there === undefined || there.isFile() ? undefined : { info: there, viaLink: here.isSymbolicLink() };
}

/** The devices any user may write a report to: the bit bucket and the controlling terminal. */
function isNullOrTty(info: Stats): boolean {
  return ['/dev/null', '/dev/tty'].some((device) => {
    const known = statSync(device, { throwIfNoEntry: false });
    return known !== undefined && known.isCharacterDevice() && known.rdev === info.rdev;
  });
}

function ownedByMe(info: Stats): boolean {
  return info.uid === process.getuid?.();
}

/** A terminal of the user's own, by the name the system gives terminals (a pty on Linux, macOS or the BSDs). */
async function isOwnTerminalName(target: string, info: Stats): Promise<boolean> {
  const real = await realpath(target).catch(() => '');
  return ownedByMe(info) && /^\/dev\/(?:pts\/\d+|ttys\d+|ttyp[0-9a-f])$/.test(real);
}

/** Writes `text` into the device or pipe at `target`, if it is one a report may go to (see the top of this file). */
async function writeThrough(target: string, info: Stats, viaLink: boolean, text: string | Uint8Array): Promise<void> {
  const allowed = (info.isFIFO() && ownedByMe(info)) || (info.isCharacterDevice() && (isNullOrTty(info) || (await isOwnTerminalName(target, info))));
  if (!allowed) {
    const what = info.isDirectory() ? 'a folder' : info.isFIFO() ? "another user's pipe" : info.isCharacterDevice() || info.isBlockDevice() ? 'a device' : 'not a file';
    throw new UserError(`${target}: ${what}; aitool writes to a file, /dev/null, a terminal or a pipe of your own`);
  }
  let handle;
  try {
    // No O_CREAT (nothing is made), no O_TRUNC (a device has nothing to cut); O_NOCTTY: a terminal does not become ours;
    // O_NOFOLLOW where no link was looked at: a link put at the name since is not followed.
    handle = await open(target, constants.O_WRONLY | (constants.O_NOCTTY ?? 0) | (viaLink ? 0 : constants.O_NOFOLLOW));
    const opened = await handle.stat();
    // The same thing as was looked at, and, for a terminal, one indeed.
    if (opened.dev !== info.dev || opened.ino !== info.ino || opened.rdev !== info.rdev) throw Object.assign(new Error('changed'), { code: 'ECHANGED' });
    // node:tty only here: the commands that write files load nothing more for it.
    if (opened.isCharacterDevice() && !isNullOrTty(opened) && !(await import('node:tty')).isatty(handle.fd)) throw Object.assign(new Error('not a terminal'), { code: 'ENOTTY' });
    await (typeof text === 'string' ? handle.writeFile(text, 'utf8') : handle.writeFile(text));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UserError(`${target}: cannot write (${code})`);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Replaces the contents of the existing regular file `file`, keeping its mode; refuses a link (ELOOP) or anything but a regular file. */
export async function rewriteRegularFile(file: string, text: string): Promise<void> {
  // Truncated only once it is known to be a regular file: O_NONBLOCK keeps a FIFO from hanging the open.
  const handle = await open(file, REWRITE);
  try {
    if (!(await handle.stat()).isFile()) throw Object.assign(new Error(`${file} is not a regular file`), { code: 'EINVAL' });
    await handle.truncate(0);
    await handle.writeFile(text, 'utf8');
  } finally {
    await handle.close();
  }
}
