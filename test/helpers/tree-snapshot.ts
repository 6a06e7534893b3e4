/**
 * Every path under a folder with its type, mode and bytes (or link target),
 * inode and mtime included: two equal snapshots mean nothing under it changed,
 * not even a rewrite with the same content.
 */
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export function treeSnapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      const info = lstatSync(path);
      const mode = (info.mode & 0o7777).toString(8);
      if (info.isSymbolicLink()) out[path] = `link ${readlinkSync(path)}`;
      else if (info.isDirectory()) {
        out[path] = `dir ${mode}`;
        walk(path);
      } else if (info.isFile()) out[path] = `file ${mode} ${info.ino} ${info.mtimeMs} ${readFileSync(path).toString('base64')}`;
      // A device, fifo or socket (an overlay's upper layer marks a deletion with a 0:0 character device): never read.
      else out[path] = `special ${mode} ${info.ino} ${info.rdev} ${info.mtimeMs}`;
    }
  };
  walk(dir);
  return out;
}
