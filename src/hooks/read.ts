/**
 * Reading the small files hook installation looks at (hook scripts, husky's
 * hook files). They live in folders the repository or another user may
 * control, so a name is read only as a regular file, without following a
 * link (it may have been swapped since it was looked at) or blocking on a
 * FIFO, and only up to a size no hook file reaches.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** The text of the regular file at `path` if it is one of at most `maxBytes`; undefined for anything else (missing, a link, a FIFO, too big). */
export async function readRegularFile(path: string, maxBytes: number): Promise<string | undefined> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK).catch(() => undefined);
  if (!handle) return undefined;
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > maxBytes) return undefined;
    const buffer = Buffer.alloc(info.size);
    const { bytesRead } = await handle.read(buffer, 0, info.size, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
