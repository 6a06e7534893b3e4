/**
 * Small helpers for the logical paths that cross the Host seam: forward
 * slashes, POSIX (`/home/ada`) or Windows (`C:/Users/ada`) shaped, whatever
 * OS aitool itself runs on.
 */
import { posix } from 'node:path';
import type { OperatingSystem } from '../catalog/schema.js';
import { toSlashes } from '../patterns.js';

const DRIVE = /^[A-Za-z]:(?=\/|$)/;

/** An absolute path of the target OS (`/x` on POSIX; `C:/x` or `//server/share` on Windows). */
export function isAbsolutePath(path: string, os: OperatingSystem): boolean {
  const slashed = toSlashes(path);
  if (os === 'windows') return /^[A-Za-z]:\//.test(slashed) || slashed.startsWith('//');
  return slashed.startsWith('/');
}

/** Resolves `relative` against the folder `base`; `..` never climbs above the root or drive. */
export function resolvePath(base: string, relative: string): string {
  const slashedBase = toSlashes(base);
  const drive = DRIVE.exec(slashedBase)?.[0] ?? '';
  const rest = slashedBase.slice(drive.length) || '/';
  return toSlashes(drive + posix.resolve(rest, toSlashes(relative)));
}

/** Last segment of a path, with either kind of slash. */
export function baseName(path: string): string {
  const slashed = toSlashes(path);
  return slashed.slice(slashed.lastIndexOf('/') + 1);
}

/** The folder holding a path. */
export function dirName(path: string): string {
  const slashed = toSlashes(path);
  const index = slashed.lastIndexOf('/');
  if (index < 0) return '.';
  if (index === 0) return '/';
  const parent = slashed.slice(0, index);
  return DRIVE.test(parent) && parent.length === 2 ? `${parent}/` : parent;
}

/** An error's `code` (ENOENT, ELOOP, EACCES), or its message. */
export function errorCode(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') return error.code;
  return error instanceof Error ? error.message : String(error);
}
