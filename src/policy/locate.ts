/**
 * Where each policy layer lives, found with stats only (this runs on every
 * commit in the pre-commit hook; nothing here parses). Synchronous: a
 * handful of stats, each cheaper done at once than through the thread pool,
 * and nothing here opens a file that is not regular (package.json is read
 * only after stat says it is a regular file).
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { OperatingSystem } from '../catalog/schema.js';
import { PolicyError } from '../errors.js';

export interface LocateOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  os: OperatingSystem;
  home: string;
}

const MANAGED_NAMES = ['policy.yaml', 'policy.yml', 'policy.json'];
const USER_NAMES = ['config.yaml', 'config.yml', 'config.json'];

/**
 * The managed (organisation) policy: the system folder's file when there is
 * one, else AITOOL_MANAGED_POLICY (a file, or a folder to look in), else none.
 *
 * The system file wins over the variable: the environment belongs to whoever
 * runs aitool (a shell profile, a repository's .envrc), and pointing the
 * variable at an empty file must not switch an installed organisation policy
 * off. The variable is for machines without one (trying a policy out, tests).
 * A relative path is refused: it would resolve inside whatever repository
 * aitool happens to run in.
 */
export async function findManagedPolicy(options: LocateOptions): Promise<string | undefined> {
  const system = await firstFile(managedPolicyCandidates(options));
  if (system) return system;
  const override = options.env.AITOOL_MANAGED_POLICY;
  if (override) {
    if (!path.isAbsolute(override) && !path.win32.isAbsolute(override)) {
      throw new PolicyError('AITOOL_MANAGED_POLICY', undefined, `must be an absolute path, got a relative one (it would resolve inside the current folder)`);
    }
    const target = path.resolve(override);
    const info = await statOrUndefined(target);
    if (info?.isDirectory()) return firstFile(MANAGED_NAMES.map((name) => path.join(target, name)));
    // A named file that is missing is an error the reader reports: an
    // organisation that points at its policy must not silently get none.
    return target;
  }
  return undefined;
}

/** The system-wide places an administrator puts the managed policy, in order. */
export function managedPolicyCandidates(options: Pick<LocateOptions, 'env' | 'os'>): string[] {
  switch (options.os) {
    case 'windows': {
      const programData = options.env.ProgramData || options.env.PROGRAMDATA || 'C:\\ProgramData';
      return MANAGED_NAMES.map((name) => path.win32.join(programData, 'aitool', name));
    }
    case 'macos':
      return MANAGED_NAMES.map((name) => path.posix.join('/Library/Application Support/aitool', name));
    default:
      return MANAGED_NAMES.map((name) => path.posix.join('/etc/aitool', name));
  }
}

/** The person's own policy, in order of preference. */
export function userPolicyCandidates(options: Pick<LocateOptions, 'env' | 'os' | 'home'>): string[] {
  if (options.os === 'windows') {
    const appData = options.env.APPDATA || path.win32.join(options.home, 'AppData', 'Roaming');
    return USER_NAMES.map((name) => path.win32.join(appData, 'aitool', name));
  }
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = options.env.XDG_CONFIG_HOME;
  const configHome = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(options.home, '.config');
  return USER_NAMES.map((name) => path.posix.join(configHome, 'aitool', name));
}

export async function findUserPolicy(options: LocateOptions): Promise<string | undefined> {
  return firstFile(userPolicyCandidates(options));
}

/**
 * cosmiconfig 9's default search places for the module name `aitool`
 * (getDefaultSearchPlaces). Mirrored so the common no-policy case need not
 * load cosmiconfig; test/policy/locate.test.ts keeps the two lists equal.
 */
export const PROJECT_SEARCH_PLACES = [
  'package.json',
  '.aitoolrc',
  '.aitoolrc.json',
  '.aitoolrc.yaml',
  '.aitoolrc.yml',
  '.aitoolrc.js',
  '.aitoolrc.ts',
  '.aitoolrc.cjs',
  '.aitoolrc.mjs',
  '.config/aitoolrc',
  '.config/aitoolrc.json',
  '.config/aitoolrc.yaml',
  '.config/aitoolrc.yml',
  '.config/aitoolrc.js',
  '.config/aitoolrc.ts',
  '.config/aitoolrc.cjs',
  '.config/aitoolrc.mjs',
  'aitool.config.js',
  'aitool.config.ts',
  'aitool.config.cjs',
  'aitool.config.mjs',
];

export interface ProjectScope {
  /** The folders searched, from cwd up to and including stopDir. */
  dirs: string[];
  /** The repository root (the folder holding .git), else home, else the file system root. */
  stopDir: string;
  /** Whether any folder holds something cosmiconfig could load; false means there is no project policy. */
  mayHavePolicy: boolean;
  /**
   * Every file in those folders the search could pick (package.json included,
   * whatever it holds), for the policy cache: the same files unchanged mean the
   * same search result.
   */
  candidates: string[];
}

const ROOT_NAMES = PROJECT_SEARCH_PLACES.filter((place) => !place.includes('/') && place !== 'package.json');
const CONFIG_NAMES = PROJECT_SEARCH_PLACES.filter((place) => place.startsWith('.config/'));

/**
 * The folders the project search covers, and whether it can find anything at
 * all. A stat (not following links) of each name cosmiconfig would read,
 * instead of cosmiconfig's reads: cosmiconfig is loaded only when a candidate
 * exists. Stats, not a listing of each folder: their cost does not grow with
 * the folder (a home or /tmp of thousands of entries took ~1.5 ms to list),
 * and on a file system that folds case they find what cosmiconfig's reads
 * find (`.AITOOLRC.yaml` for `.aitoolrc.yaml`), as a listing would not.
 */
export async function projectScope(cwd: string, home: string): Promise<ProjectScope> {
  const dirs: string[] = [];
  const homeDir = path.resolve(home);
  let dir = path.resolve(cwd);
  let mayHavePolicy = false;
  const candidates: string[] = [];
  for (;;) {
    dirs.push(dir);
    const here = (name: string): string => path.join(dir, name);
    const atRoot = ROOT_NAMES.map(here).filter(exists);
    const inConfig = exists(here('.config')) ? CONFIG_NAMES.map(here).filter(exists) : [];
    const packageJson = exists(here('package.json'));
    candidates.push(...atRoot, ...inConfig);
    if (packageJson) candidates.push(here('package.json'));
    if (!mayHavePolicy) mayHavePolicy = atRoot.length > 0 || inConfig.length > 0 || (packageJson && (await packageJsonHasKey(here('package.json'), 'aitool')));
    // Stop at the repository root (a .git folder, or file for worktrees and
    // submodules) or at home: a policy above them belongs to someone else.
    if (exists(here('.git')) || dir === homeDir) break;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return { dirs, stopDir: dirs[dirs.length - 1] ?? path.resolve(cwd), mayHavePolicy, candidates };
}

/**
 * Whether package.json has this top-level key. Parsed, not grepped: a
 * dependency on aitool is not a policy. Anything odd (unparsable, huge) goes
 * to cosmiconfig, which then reports it.
 */
async function packageJsonHasKey(file: string, key: string): Promise<boolean> {
  let text: string;
  try {
    if (!statSync(file).isFile()) return false;
    // O_NONBLOCK and a check on the descriptor: a FIFO swapped in after the stat is refused, not waited on.
    const fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const info = fstatSync(fd);
      if (!info.isFile()) return false;
      if (info.size > 4 * 1024 * 1024) return true;
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
  if (!text.includes(`"${key}"`)) return false;
  try {
    const data = JSON.parse(text) as unknown;
    return data !== null && typeof data === 'object' && Object.prototype.hasOwnProperty.call(data, key);
  } catch {
    return true;
  }
}

/** Whether there is an entry by this name, of any kind (a dangling link too), as a folder listing would show it. */
function exists(file: string): boolean {
  try {
    return lstatSync(file, { throwIfNoEntry: false }) !== undefined;
  } catch {
    // ENOTDIR, EACCES, ELOOP: nothing cosmiconfig could read either.
    return false;
  }
}

export async function statOrUndefined(file: string): Promise<Stats | undefined> {
  return statNow(file);
}

function statNow(file: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

async function firstFile(candidates: readonly string[]): Promise<string | undefined> {
  for (const candidate of candidates) {
    if (statNow(candidate)?.isFile()) return candidate;
  }
  return undefined;
}
