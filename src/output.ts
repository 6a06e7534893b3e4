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
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
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
