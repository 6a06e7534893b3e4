/**
 * Hook managers that own a repository's hooks: husky and lefthook. When one
 * is in charge, aitool goes through its configuration instead of writing
 * hook files the manager would overwrite or compete with.
 *
 * "In charge" means git runs it today. A committed lefthook.yml or .husky
 * folder on its own runs nothing: adding aitool to it would report success
 * and enforce nothing. So a manager counts only when it is active (see
 * chooseManager); otherwise aitool's own hooks go in, and the output says why.
 */
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import { basename, delimiter, dirname, isAbsolute, join, relative } from 'node:path';
import type { Env, Repo } from './git.js';
import type { Husky } from './husky.js';
import { LEFTHOOK_CONFIGS, lefthookFormat, type Lefthook } from './lefthook.js';
import { readRegularFile } from './read.js';

export type Manager = Husky | Lefthook;

async function isDirectory(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined))?.isDirectory() === true;
}

async function isFile(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined))?.isFile() === true;
}

/** package.json's `prepare` script runs husky (`husky`, `husky install`, `cd .. && husky frontend/.husky`). */
async function prepareRunsHusky(top: string): Promise<boolean> {
  // A FIFO or a device in its place must not hang the installer.
  if (!(await isFile(join(top, 'package.json')))) return false;
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

/** A hook script bigger than this is not lefthook's (its template is ~2 KB); it is not read. */
const MAX_SCRIPT_BYTES = 64 * 1024;
/** More entries than this in a hooks folder are not looked through. */
const MAX_HOOK_ENTRIES = 200;

/** The hooks lefthook installed in `hooksDir` (`lefthook install` writes a script per hook that calls lefthook). */
async function lefthookScripts(hooksDir: string): Promise<string[]> {
  const names = (await readdir(hooksDir).catch(() => [] as string[])).sort().slice(0, MAX_HOOK_ENTRIES);
  const found: string[] = [];
  for (const name of names) {
    // `.old`: a hook lefthook set aside; `.sample`: git's templates; ours chains the one it replaced.
    if (/\.(old|sample|aitool-chained)$/.test(name)) continue;
    const text = await readRegularFile(join(hooksDir, name), MAX_SCRIPT_BYTES);
    if (text !== undefined && /lefthook/i.test(text)) found.push(name);
  }
  return found;
}

async function isExecutableFile(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() === true && (info.mode & 0o111) !== 0;
}

/**
 * Where lefthook's hook script looks for lefthook when a hook runs
 * ($LEFTHOOK_BIN, `lefthook` on PATH, then the repository's node_modules),
 * checked on disk: the file is never run. The PATH is the installer's, the
 * best guess at the one git hooks will have. (The script's last resorts,
 * `bundle exec` and `npx`, are not followed: the first may not be there, the
 * second downloads.)
 */
async function lefthookBinary(top: string, env: Env): Promise<string | undefined> {
  const candidates: string[] = [];
  if (env.LEFTHOOK_BIN && isAbsolute(env.LEFTHOOK_BIN)) candidates.push(env.LEFTHOOK_BIN);
  for (const dir of (env.PATH ?? '').split(delimiter)) if (dir && isAbsolute(dir)) candidates.push(join(dir, 'lefthook'));
  candidates.push(join(top, 'node_modules', '.bin', 'lefthook'));
  for (const candidate of candidates) if (await isExecutableFile(candidate)) return candidate;
  const packaged = join(top, 'node_modules', 'lefthook', 'bin', 'index.js');
  return (await stat(packaged).catch(() => undefined))?.isFile() ? packaged : undefined;
}

export interface ManagerChoice {
  /** The manager that runs this repository's hooks, when one is active. */
  manager?: Manager;
  /** A manager whose configuration is here but which runs nothing, and what aitool did instead (one line). */
  passedOver?: string;
}

/**
 * Who runs this repository's hooks, for installing:
 * - husky when core.hooksPath points at its folder: git runs that folder
 *   itself, so husky's hooks (and a line added to them) run.
 * - lefthook when its configuration is at the top AND its scripts are in the
 *   hooks folder AND lefthook itself can be found. Both are needed: git runs
 *   the scripts, and a script that cannot find lefthook prints "Can't find
 *   lefthook in PATH" and exits 0, so the commit goes through unchecked.
 * Anything less (a committed lefthook.yml, a .husky folder that `npm install`
 * has not switched on yet) is passed over, with the reason.
 */
export async function chooseManager(repo: Repo, env: Env): Promise<ManagerChoice> {
  const detected = await detectManager(repo);
  const again = 'if you switch it on later, run "aitool hook install" again';
  // detectManager names husky from core.hooksPath first; its other reason (a prepare script) means git does not run husky yet.
  const huskyRunsHooks = detected?.kind === 'husky' && repo.hooksPath !== undefined && [detected.dir, join(detected.dir, '_')].includes(repo.hooksDir);
  if (huskyRunsHooks) return { manager: detected };
  if (detected?.kind === 'lefthook') {
    const inside = relative(repo.top, repo.hooksDir);
    const where = inside && !inside.startsWith('..') ? inside : repo.hooksDir;
    const name = relative(repo.top, detected.file);
    const [scripts, binary] = await Promise.all([lefthookScripts(repo.hooksDir), lefthookBinary(repo.top, env)]);
    if (scripts.length > 0 && binary !== undefined) return { manager: detected };
    const missing =
      binary === undefined && scripts.length === 0
        ? `lefthook is not installed (not on PATH, not in node_modules) and its hooks are not in ${where}`
        : binary === undefined
          ? `lefthook's hooks are in ${where} but lefthook itself is not installed (not on PATH, not in node_modules), so they skip every check`
          : `lefthook's hooks are not in ${where} ("lefthook install" has not run)`;
    return { passedOver: `${name} found but ${missing}: installed aitool's own hooks instead (${again})` };
  }
  if (await isDirectory(join(repo.top, '.husky'))) {
    return { passedOver: `.husky found but core.hooksPath does not point at it, so husky runs no hooks: installed aitool's own hooks instead (${again})` };
  }
  return {};
}
