/**
 * Writing a report or an export to a file so that whoever collects it (an
 * MDM agent, a log shipper, osquery's file table) never reads half of it: the
 * text goes to a temporary file beside the target, is flushed to disk, and
 * replaces the target in one rename.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from './errors.js';

export async function writeFileAtomic(file: string, text: string, mode = 0o644): Promise<void> {
  const target = path.resolve(file);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UserError(`${target}: cannot write (${code})`);
  }
}
