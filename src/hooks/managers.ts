/**
 * Hook managers that own a repository's hooks: husky and lefthook. When one
 * is in charge, aitool goes through its configuration instead of writing
 * hook files the manager would overwrite or compete with.
 */
import { lstat, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Repo } from './git.js';
import type { Husky } from './husky.js';
import { LEFTHOOK_CONFIGS, lefthookFormat, type Lefthook } from './lefthook.js';

export type Manager = Husky | Lefthook;

async function isDirectory(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined))?.isDirectory() === true;
}

async function isFile(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined))?.isFile() === true;
}

/** package.json's `prepare` script runs husky (`husky`, `husky install`, `cd .. && husky frontend/.husky`). */
async function prepareRunsHusky(top: string): Promise<boolean> {
  try {
    const manifest: unknown = JSON.parse(await readFile(join(top, 'package.json'), 'utf8'));
    if (typeof manifest !== 'object' || manifest === null || !('scripts' in manifest)) return false;
    const scripts: unknown = manifest.scripts;
    if (typeof scripts !== 'object' || scripts === null || !('prepare' in scripts)) return false;
    return typeof scripts.prepare === 'string' && /\bhusky\b/.test(scripts.prepare);
  } catch {
    return false;
  }
}

/**
 * Which manager runs this repository's hooks, most certain first: what
 * core.hooksPath points at is what git actually runs (husky: `.husky/_` in v9,
 * `.husky` before); then a lefthook configuration at the top; then a `.husky`
 * folder that `npm install` will switch on (a fresh clone before its first
 * install has not set core.hooksPath yet).
 */
export async function detectManager(repo: Repo): Promise<Manager | undefined> {
  if (repo.hooksPath) {
    const dir = repo.hooksDir;
    if (basename(dir) === '.husky') return { kind: 'husky', dir, via: `core.hooksPath is ${repo.hooksPath.value}` };
    if (basename(dir) === '_' && basename(dirname(dir)) === '.husky') return { kind: 'husky', dir: dirname(dir), via: `core.hooksPath is ${repo.hooksPath.value}` };
  }
  for (const name of LEFTHOOK_CONFIGS) {
    const file = join(repo.top, name);
    if (await isFile(file)) return { kind: 'lefthook', file, format: lefthookFormat(file) };
  }
  const husky = join(repo.top, '.husky');
  if ((await isDirectory(husky)) && (await prepareRunsHusky(repo.top))) return { kind: 'husky', dir: husky, via: "package.json's prepare script runs husky" };
  return undefined;
}
