/**
 * Packages installed by package managers, and versions left by the tools'
 * own installers, read where they live on disk. No package manager is run
 * and nothing found is executed: versions come from the manifests beside
 * each install. Only names the probes ask about are looked at, so a prefix
 * holding 500 global npm packages costs one folder listing.
 *
 * Every root is built from the host's OS, home folder and environment, so
 * the macOS and Windows layouts run through this same code from fixture trees.
 */
import { StringDecoder } from 'node:string_decoder';
import type { DirEntry, Host } from '../host.js';
import { expandAnchor, toSlashes, type PatternEnvironment } from '../patterns.js';
import type { PackageManager, PackageObservation } from '../types.js';
import { expandPaths } from './expand.js';
import { dirName, errorCode, isAbsolutePath } from './logical-path.js';
import { normalizePipName } from './probes.js';
import type { Probes, Scanner, ScanContext } from './types.js';

export const PACKAGES_BUDGET_MS = 3000;

/** package.json files larger than this are not read (real ones are a few KiB). */
const MANIFEST_MAX_BYTES = 256 * 1024;
/** `Name:` and `Version:` are the second and third lines of a METADATA file. */
const METADATA_MAX_BYTES = 4 * 1024;
const NPMRC_MAX_BYTES = 64 * 1024;
/** Cargo's install lists are a line or two per installed crate. */
const CARGO_LIST_MAX_BYTES = 4 * 1024 * 1024;
/** dpkg's status file is a few MiB on a full desktop; past this the rest is not read. */
const DPKG_STATUS_MAX_BYTES = 64 * 1024 * 1024;
const DPKG_CHUNK_BYTES = 1024 * 1024;
const DPKG_STANZA_MAX_CHARS = 1024 * 1024;
const DPKG_STATUS = '/var/lib/dpkg/status';
/** Where rpm keeps its database (Berkeley DB, NDB or SQLite: binary, not read). */
const RPM_DATABASES = ['/var/lib/rpm', '/usr/lib/sysimage/rpm'];

type Note = ScanContext['note'];

/** One scan's inputs, passed to every reader. */
interface Scan {
  host: Host;
  probes: Probes;
  signal: AbortSignal;
  note: Note;
  where: PatternEnvironment;
  /** The running node's executable (process.execPath), whose prefix holds the npm it came with. */
  execPath: string;
}

type NodeManager = Extract<PackageManager, 'npm' | 'pnpm' | 'yarn' | 'bun' | 'npx'>;

/** A `node_modules` folder holding globally installed packages. */
interface NodeModulesRoot {
  manager: NodeManager;
  /** The `node_modules` folder. */
  dir: string;
  /** What the observation reports as root: an npm prefix, or the folder holding `node_modules` for the others. */
  root: string;
}

// ---------------------------------------------------------------------------
// Small helpers over the host
// ---------------------------------------------------------------------------

/** An environment variable, non-empty; names ignore case on Windows. */
function envValue(scan: Scan, name: string, ignoreCase = scan.host.os === 'windows'): string | undefined {
  const env = scan.host.env;
  let value = env[name];
  if (value === undefined && ignoreCase) {
    const key = Object.keys(env).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
    value = key === undefined ? undefined : env[key];
  }
  return value !== undefined && value.trim() !== '' ? value.trim() : undefined;
}

/** An environment variable holding an absolute path, with forward slashes; relative values depend on the cwd and are ignored. */
function envPath(scan: Scan, name: string): string | undefined {
  const value = envValue(scan, name);
  if (value === undefined) return undefined;
  const slashed = toSlashes(value);
  return isAbsolutePath(slashed, scan.host.os) ? slashed : undefined;
}

/** A pattern with its anchor (`~`, `$XDG_DATA_HOME`, `%APPDATA%`) resolved; undefined when the anchor does not exist on this OS. */
function anchored(scan: Scan, pattern: string): string | undefined {
  const expanded = expandAnchor(pattern, scan.where);
  return expanded !== undefined && isAbsolutePath(expanded, scan.host.os) ? expanded : undefined;
}

/** `base/rest`, or undefined when there is no base (an anchor or variable this OS does not have). */
function under(base: string | undefined, rest: string): string | undefined {
  return base === undefined ? undefined : `${base}/${rest}`;
}

/** The paths a pattern with `*` names (see expandPaths); a pattern without one is returned as is. */
async function glob(scan: Scan, path: string | undefined): Promise<string[]> {
  if (path === undefined || !isAbsolutePath(path, scan.host.os)) return [];
  if (!path.includes('*')) return [path];
  return ((await expandPaths(scan.host, path, scan.note)) ?? []).map((found) => found.path);
}

/** A folder listing; missing folders are silent, unreadable ones are noted. */
async function list(scan: Scan, folder: string): Promise<DirEntry[] | undefined> {
  scan.signal.throwIfAborted();
  try {
    return await scan.host.readdir(folder);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    scan.note({ path: folder, message: code === 'ELOOP' ? 'symlink loop' : `folder unreadable (${code})` });
    return undefined;
  }
}

/**
 * Whether a listed entry is a folder to look into. Links are followed (pnpm
 * and `npm link` install as links); loops, broken links and anything that is
 * not a folder (a FIFO named like a package) are noted and passed over.
 */
async function isFolder(scan: Scan, path: string, type: DirEntry['type']): Promise<boolean> {
  if (type === 'directory') return true;
  if (type === 'other') {
    // Some file systems do not give types in listings.
    const info = await scan.host.lstat(path);
    return info !== undefined && info.type !== 'other' && isFolder(scan, path, info.type);
  }
  if (type === 'symlink') {
    const info = await scan.host.stat(path);
    if (info?.type === 'directory') return true;
    if (info) {
      scan.note({ path, message: `not a folder (${info.type})` });
      return false;
    }
    try {
      await scan.host.realpath(path);
      scan.note({ path, message: 'link target unreadable' });
    } catch (error) {
      const code = errorCode(error);
      scan.note({ path, message: code === 'ELOOP' ? 'symlink loop' : `broken symlink (${code})` });
    }
    return false;
  }
  scan.note({ path, message: `not a folder (${type})` });
  return false;
}

/** A file's text if it is a regular file no larger than `maxBytes`; a larger one is noted, never read. */
async function readSmallFile(scan: Scan, path: string, maxBytes: number): Promise<string | undefined> {
  const info = await scan.host.stat(path);
  if (info?.type !== 'file') return undefined;
  if (info.size > maxBytes) {
    scan.note({ path, message: `larger than ${formatBytes(maxBytes)}, not read` });
    return undefined;
  }
  return scan.host.readTextFile(path, maxBytes);
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}

function observation(manager: PackageManager, name: string, path: string, root: string | undefined, version?: string): PackageObservation {
  return {
    kind: 'package',
    manager,
    name,
    ...(version === undefined ? {} : { version }),
    path,
    ...(root === undefined ? {} : { root }),
  };
}

// ---------------------------------------------------------------------------
// npm, pnpm, yarn, bun and the npx cache
// ---------------------------------------------------------------------------

/** Global packages live in `<prefix>/lib/node_modules` on POSIX and `<prefix>/node_modules` on Windows. */
function globalNodeModules(scan: Scan, prefix: string): string {
  return scan.host.os === 'windows' ? `${prefix}/node_modules` : `${prefix}/lib/node_modules`;
}

/** `~` and `${VAR}` in an npmrc value, as npm expands them. */
function expandNpmrcValue(scan: Scan, raw: string): string | undefined {
  let value = raw.trim();
  if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
  value = value.replace(/\$\{([^}?]+)\??\}/g, (_, name: string) => envValue(scan, name) ?? '');
  if (value === '~' || value.startsWith('~/') || value.startsWith('~\\')) value = scan.host.home + value.slice(1);
  const slashed = toSlashes(value);
  return slashed !== '' && isAbsolutePath(slashed, scan.host.os) ? slashed : undefined;
}

/** The `prefix` an npmrc file sets (the last one wins, as in npm's ini parser). */
async function npmrcPrefix(scan: Scan, file: string): Promise<string | undefined> {
  const text = await readSmallFile(scan, file, NPMRC_MAX_BYTES);
  if (text === undefined) return undefined;
  let prefix: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const found = /^\s*prefix\s*=(.*)$/i.exec(line);
    if (found) prefix = expandNpmrcValue(scan, found[1]!) ?? prefix;
  }
  return prefix;
}

/**
 * The prefix of the node running aitool, on the real machine only: on a
 * fixture host this node's path names a file in the fixture tree, which is not there.
 */
async function runningNodePrefix(scan: Scan): Promise<string | undefined> {
  const platformOs = process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'macos' : 'linux';
  if (platformOs !== scan.host.os) return undefined;
  const exec = toSlashes(scan.execPath);
  if (!isAbsolutePath(exec, scan.host.os) || (await scan.host.stat(exec))?.type !== 'file') return undefined;
  // Windows: node.exe sits in the prefix itself; POSIX: in <prefix>/bin.
  return scan.host.os === 'windows' ? dirName(exec) : dirName(dirName(exec));
}

/** Every npm global prefix worth a look: configured, the running node's, the usual ones, and each version manager's installs. */
async function npmPrefixes(scan: Scan): Promise<string[]> {
  const { host } = scan;
  const windows = host.os === 'windows';
  const posix = !windows;
  const nodePrefix = await runningNodePrefix(scan);
  // npm reads npm_config_* variables whatever their case.
  const configured = envValue(scan, 'npm_config_prefix', true);
  const userconfig = envValue(scan, 'npm_config_userconfig', true);
  const globalconfig = envValue(scan, 'npm_config_globalconfig', true);
  const envPrefix = envPath(scan, 'PREFIX');

  const builtinPrefixes = [
    envPrefix,
    nodePrefix,
    ...(posix ? ['/usr/local', '/usr'] : []),
    ...(host.os === 'macos' ? ['/opt/homebrew'] : []),
    ...(windows ? [anchored(scan, '%APPDATA%/npm')] : []),
  ];
  const npmrcFiles = [
    userconfig === undefined ? `${host.home}/.npmrc` : toSlashes(userconfig),
    ...(globalconfig === undefined ? [] : [toSlashes(globalconfig)]),
    ...builtinPrefixes.filter((prefix): prefix is string => prefix !== undefined).map((prefix) => `${prefix}/etc/npmrc`),
    // Debian's npm keeps its global config here.
    ...(host.os === 'linux' ? ['/etc/npmrc'] : []),
  ].filter((file) => isAbsolutePath(file, host.os));
  const fromNpmrc = await Promise.all([...new Set(npmrcFiles)].map((file) => npmrcPrefix(scan, file)));

  const nvmDir = envPath(scan, 'NVM_DIR');
  const fnmDir = envPath(scan, 'FNM_DIR');
  const asdfDir = envPath(scan, 'ASDF_DATA_DIR');
  const miseDir = envPath(scan, 'MISE_DATA_DIR');
  const nodenvRoot = envPath(scan, 'NODENV_ROOT');
  const nvmHome = envPath(scan, 'NVM_HOME');
  const patterns: Array<string | undefined> = [
    configured === undefined ? undefined : expandNpmrcValue(scan, configured),
    ...fromNpmrc,
    ...builtinPrefixes,
    `${host.home}/.npm-global`,
    ...(host.os === 'linux' ? ['/home/linuxbrew/.linuxbrew'] : []),
    envPath(scan, 'HOMEBREW_PREFIX'),
    // nvm (nvm-windows keeps one folder per version, v20.11.0, in NVM_HOME).
    ...(posix ? [`${nvmDir ?? `${host.home}/.nvm`}/versions/node/*`] : []),
    ...(windows ? [under(nvmHome ?? anchored(scan, '%APPDATA%/nvm'), '*')] : []),
    // fnm
    ...(fnmDir ? [`${fnmDir}/node-versions/*/installation`] : []),
    `${host.home}/.fnm/node-versions/*/installation`,
    ...(host.os === 'linux' ? [under(anchored(scan, '$XDG_DATA_HOME/fnm'), 'node-versions/*/installation')] : []),
    ...(host.os === 'macos' ? [`${host.home}/Library/Application Support/fnm/node-versions/*/installation`] : []),
    ...(windows ? [under(anchored(scan, '%APPDATA%/fnm'), 'node-versions/*/installation')] : []),
    // asdf, mise, nodenv
    ...(posix ? [`${asdfDir ?? `${host.home}/.asdf`}/installs/nodejs/*`] : []),
    under(miseDir ?? (windows ? anchored(scan, '%LOCALAPPDATA%/mise') : anchored(scan, '$XDG_DATA_HOME/mise')), 'installs/node/*'),
    ...(posix ? [`${nodenvRoot ?? `${host.home}/.nodenv`}/versions/*`] : []),
  ];
  const expanded = await Promise.all(patterns.map((pattern) => glob(scan, pattern)));
  return [...new Set(expanded.flat())];
}

/** Volta installs each global package into its own image, itself an npm prefix: `tools/image/packages/<name>`. */
async function voltaPrefixes(scan: Scan, scopes: ReadonlySet<string>): Promise<string[]> {
  const home = envPath(scan, 'VOLTA_HOME') ?? (scan.host.os === 'windows' ? anchored(scan, '%LOCALAPPDATA%/Volta') : `${scan.host.home}/.volta`);
  if (home === undefined) return [];
  const packages = `${home}/tools/image/packages`;
  return (await probedEntries(scan, packages, scan.probes.packages.npm, scopes)).map(({ path }) => path);
}

/** Scopes of the scoped names asked for (`@anthropic-ai`). */
function scopesOf(names: ReadonlySet<string>): Set<string> {
  const scopes = new Set<string>();
  for (const name of names) if (name.startsWith('@') && name.includes('/')) scopes.add(name.slice(0, name.indexOf('/')));
  return scopes;
}

/**
 * The folders in `dir` named like a probed package: one listing of `dir`, and
 * one of each `@scope` folder only when that scope is asked about.
 */
async function probedEntries(
  scan: Scan,
  dir: string,
  names: ReadonlySet<string>,
  scopes: ReadonlySet<string>,
): Promise<Array<{ name: string; path: string }>> {
  const listing = await list(scan, dir);
  if (!listing) return [];
  const found: Array<{ name: string; path: string; type: DirEntry['type'] }> = [];
  const scoped: Array<Promise<void>> = [];
  for (const entry of listing) {
    scan.signal.throwIfAborted();
    if (names.has(entry.name)) found.push({ name: entry.name, path: `${dir}/${entry.name}`, type: entry.type });
    else if (scopes.has(entry.name)) {
      const scopeDir = `${dir}/${entry.name}`;
      scoped.push(
        (async () => {
          if (!(await isFolder(scan, scopeDir, entry.type))) return;
          for (const child of (await list(scan, scopeDir)) ?? []) {
            const name = `${entry.name}/${child.name}`;
            if (names.has(name)) found.push({ name, path: `${scopeDir}/${child.name}`, type: child.type });
          }
        })(),
      );
    }
  }
  await Promise.all(scoped);
  const folders = await Promise.all(found.map(async (entry) => ((await isFolder(scan, entry.path, entry.type)) ? entry : undefined)));
  return folders.filter((entry) => entry !== undefined).map(({ name, path }) => ({ name, path }));
}

/** The version in a package folder's package.json, read with a size cap. */
async function manifestVersion(scan: Scan, dir: string): Promise<string | undefined> {
  const text = await readSmallFile(scan, `${dir}/package.json`, MANIFEST_MAX_BYTES);
  if (text === undefined) return undefined;
  try {
    const manifest: unknown = JSON.parse(text);
    if (manifest && typeof manifest === 'object' && 'version' in manifest && typeof manifest.version === 'string') return manifest.version;
  } catch {
    // A truncated or hand-edited manifest: the package is there, its version unknown.
  }
  return undefined;
}

/** Every `node_modules` folder of global installs, by manager. */
async function nodeModulesRoots(scan: Scan, scopes: ReadonlySet<string>): Promise<NodeModulesRoot[]> {
  const { host } = scan;
  const windows = host.os === 'windows';
  const [prefixes, volta] = await Promise.all([npmPrefixes(scan), voltaPrefixes(scan, scopes)]);
  const roots: NodeModulesRoot[] = [...prefixes, ...volta].map((prefix) => ({ manager: 'npm', dir: globalNodeModules(scan, prefix), root: prefix }));

  const addRoots = async (manager: NodeManager, patterns: Array<string | undefined>): Promise<void> => {
    const dirs = await Promise.all(patterns.map((pattern) => glob(scan, pattern)));
    for (const dir of dirs.flat()) roots.push({ manager, dir, root: dirName(dir) });
  };
  const pnpmHome = envPath(scan, 'PNPM_HOME');
  const bunInstall = envPath(scan, 'BUN_INSTALL');
  const npmCache = envValue(scan, 'npm_config_cache', true);
  await Promise.all([
    addRoots('pnpm', [
      pnpmHome && `${pnpmHome}/global/*/node_modules`,
      host.os === 'linux' ? under(anchored(scan, '$XDG_DATA_HOME/pnpm'), 'global/*/node_modules') : undefined,
      host.os === 'macos' ? `${host.home}/Library/pnpm/global/*/node_modules` : undefined,
      windows ? under(anchored(scan, '%LOCALAPPDATA%/pnpm'), 'global/*/node_modules') : undefined,
    ]),
    addRoots('yarn', [
      under(anchored(scan, windows ? '%LOCALAPPDATA%/Yarn/Data' : '$XDG_CONFIG_HOME/yarn'), 'global/node_modules'),
    ]),
    addRoots('bun', [`${bunInstall ?? `${host.home}/.bun`}/install/global/node_modules`]),
    // `npx <pkg>` installs into the npm cache, one folder per package set.
    addRoots('npx', [
      under((npmCache && expandNpmrcValue(scan, npmCache)) ?? (windows ? anchored(scan, '%LOCALAPPDATA%/npm-cache') : `${host.home}/.npm`), '_npx/*/node_modules'),
    ]),
  ]);

  // The same folder reached twice (a configured prefix that is also /usr/local, a link) is read once.
  const seen = new Set<string>();
  const unique: NodeModulesRoot[] = [];
  const reals = await Promise.all(
    roots.map(async (root) => {
      try {
        return await host.realpath(root.dir);
      } catch (error) {
        const code = errorCode(error);
        if (code !== 'ENOENT' && code !== 'ENOTDIR') scan.note({ path: root.dir, message: code === 'ELOOP' ? 'symlink loop' : `folder unreadable (${code})` });
        return undefined;
      }
    }),
  );
  roots.forEach((root, index) => {
    const real = reals[index];
    if (real === undefined) return;
    const key = windows ? real.toLowerCase() : real;
    if (seen.has(key)) return;
    seen.add(key);
    unique.push(root);
  });
  return unique;
}

async function scanNodeModules(scan: Scan): Promise<PackageObservation[]> {
  const names = scan.probes.packages.npm;
  if (names.size === 0) return [];
  const scopes = scopesOf(names);
  const roots = await nodeModulesRoots(scan, scopes);
  const perRoot = await Promise.all(
    roots.map(async ({ manager, dir, root }) => {
      const entries = await probedEntries(scan, dir, names, scopes);
      return Promise.all(entries.map(async ({ name, path }) => observation(manager, name, path, root, await manifestVersion(scan, path))));
    }),
  );
  return perRoot.flat();
}

// ---------------------------------------------------------------------------
// Python: pipx and uv tool venvs, user and system site-packages
// ---------------------------------------------------------------------------

interface Distribution {
  /** Normalised (PEP 503). */
  name: string;
  version?: string;
}

/** `Name:` and `Version:` from a METADATA or PKG-INFO file, read bounded. */
async function readMetadata(scan: Scan, file: string): Promise<Distribution | undefined> {
  const text = await scan.host.readTextFile(file, METADATA_MAX_BYTES);
  if (text === undefined) return undefined;
  const name = /^Name:[ \t]*(\S+)/m.exec(text)?.[1];
  const version = /^Version:[ \t]*(\S+)/m.exec(text)?.[1];
  if (name === undefined) return undefined;
  return version === undefined ? { name: normalizePipName(name) } : { name: normalizePipName(name), version };
}

/**
 * The distribution a `*.dist-info` or `*.egg-info` entry records, when it is
 * one of `wanted`. The folder name says `<name>-<version>` with `-` in the
 * name escaped as `_`; only a name with more than one `-` (an old installer
 * that did not escape) is ambiguous, and then METADATA is read.
 */
async function distribution(scan: Scan, folder: string, entry: DirEntry, wanted: ReadonlySet<string>): Promise<Distribution | undefined> {
  const found = /^(.+)\.(dist-info|egg-info)$/i.exec(entry.name);
  if (!found) return undefined;
  const egg = found[2]!.toLowerCase() === 'egg-info';
  // Eggs may add the Python version: `aider_chat-0.86.1-py3.12.egg-info`.
  const stem = egg ? found[1]!.replace(/-py\d+(\.\d+)*$/, '') : found[1]!;
  const parts = stem.split('-');
  if (parts.length === 1) {
    // `aider_chat.egg-info` from a development install: no version in the name.
    const name = normalizePipName(stem);
    return egg && wanted.has(name) ? { name } : undefined;
  }
  if (parts.length === 2) {
    const name = normalizePipName(parts[0]!);
    return wanted.has(name) ? { name, version: parts[1]! } : undefined;
  }
  const candidates = parts.slice(1).map((_, index) => normalizePipName(parts.slice(0, index + 1).join('-')));
  if (!candidates.some((name) => wanted.has(name))) return undefined;
  const path = `${folder}/${entry.name}`;
  const metadataFile = !egg ? `${path}/METADATA` : entry.type === 'directory' ? `${path}/PKG-INFO` : path;
  const metadata = await readMetadata(scan, metadataFile);
  if (metadata) return wanted.has(metadata.name) ? metadata : undefined;
  const index = candidates.findIndex((name) => wanted.has(name));
  return { name: candidates[index]!, version: parts.slice(index + 1).join('-') };
}

/** The probed distributions a site-packages folder holds. */
async function sitePackages(scan: Scan, folder: string, wanted: ReadonlySet<string>): Promise<Array<Distribution & { path: string }>> {
  const listing = await list(scan, folder);
  if (!listing) return [];
  const found = await Promise.all(
    listing.map(async (entry) => {
      const dist = await distribution(scan, folder, entry, wanted);
      return dist && { ...dist, path: `${folder}/${entry.name}` };
    }),
  );
  return found.filter((dist) => dist !== undefined);
}

/** The site-packages folders of a virtual environment (`lib/python3.12/site-packages`; `Lib/site-packages` on Windows). */
function venvSitePackages(scan: Scan, venv: string): Promise<string[]> {
  return glob(scan, scan.host.os === 'windows' ? `${venv}/Lib/site-packages` : `${venv}/lib/python*/site-packages`);
}

/** pipx and uv keep one virtual environment per tool, named after the package; its version is in the venv's dist-info. */
async function scanToolVenvs(scan: Scan, manager: 'pipx' | 'uv', venvsDirs: Array<string | undefined>): Promise<PackageObservation[]> {
  const wanted = scan.probes.packages.pip;
  const dirs = [...new Set(venvsDirs.filter((dir): dir is string => dir !== undefined))];
  const perDir = await Promise.all(
    dirs.map(async (venvs) => {
      const listing = (await list(scan, venvs)) ?? [];
      const probed = listing.filter((entry) => wanted.has(normalizePipName(entry.name)));
      return Promise.all(
        probed.map(async (entry) => {
          const path = `${venvs}/${entry.name}`;
          if (!(await isFolder(scan, path, entry.type))) return undefined;
          const name = normalizePipName(entry.name);
          let version: string | undefined;
          for (const site of await venvSitePackages(scan, path)) {
            version ??= (await sitePackages(scan, site, new Set([name]))).find((dist) => dist.version !== undefined)?.version;
          }
          return observation(manager, name, path, venvs, version);
        }),
      );
    }),
  );
  return perDir.flat().filter((found) => found !== undefined);
}

async function scanPython(scan: Scan): Promise<PackageObservation[]> {
  const wanted = scan.probes.packages.pip;
  if (wanted.size === 0) return [];
  const { host } = scan;
  const windows = host.os === 'windows';
  const pipxHome = envPath(scan, 'PIPX_HOME');
  const pipx = scanToolVenvs(scan, 'pipx', [
    pipxHome && `${pipxHome}/venvs`,
    `${host.home}/.local/pipx/venvs`,
    windows ? `${host.home}/pipx/venvs` : under(anchored(scan, '$XDG_DATA_HOME/pipx'), 'venvs'),
    host.os === 'macos' ? `${host.home}/Library/Application Support/pipx/venvs` : undefined,
  ]);
  const uvToolDir = envPath(scan, 'UV_TOOL_DIR');
  const uv = scanToolVenvs(scan, 'uv', [uvToolDir, anchored(scan, windows ? '%APPDATA%/uv/tools' : '$XDG_DATA_HOME/uv/tools')]);

  const userBase = envPath(scan, 'PYTHONUSERBASE');
  const patterns: Array<string | undefined> = windows
    ? [
        under(anchored(scan, '%APPDATA%/Python'), 'Python3*/site-packages'),
        under(anchored(scan, '%LOCALAPPDATA%/Programs/Python'), 'Python3*/Lib/site-packages'),
        userBase && `${userBase}/Python3*/site-packages`,
      ]
    : [
        `${userBase ?? `${host.home}/.local`}/lib/python3*/site-packages`,
        ...(host.os === 'macos' ? [`${host.home}/Library/Python/3.*/lib/python/site-packages`, '/opt/homebrew/lib/python3*/site-packages'] : []),
        '/usr/local/lib/python3*/site-packages',
        '/usr/local/lib/python3*/dist-packages',
        '/usr/lib/python3*/site-packages',
        '/usr/lib/python3*/dist-packages',
      ];
  const folders = [...new Set((await Promise.all(patterns.map((pattern) => glob(scan, pattern)))).flat())];
  const perFolder = await Promise.all(
    folders.map(async (folder) => (await sitePackages(scan, folder, wanted)).map((dist) => observation('pip', dist.name, dist.path, folder, dist.version))),
  );
  return [...(await pipx), ...(await uv), ...perFolder.flat()];
}

// ---------------------------------------------------------------------------
// Homebrew
// ---------------------------------------------------------------------------

/** Formulae are kegs in `Cellar/<name>/<version>`, casks are `Caskroom/<name>/<version>`: looked up by name, never listed whole. */
async function scanHomebrew(scan: Scan): Promise<PackageObservation[]> {
  const { brew, brewCask } = scan.probes.packages;
  if (brew.size === 0 && brewCask.size === 0) return [];
  const { host } = scan;
  const prefixes = [
    envPath(scan, 'HOMEBREW_PREFIX'),
    ...(host.os === 'macos' ? ['/opt/homebrew', '/usr/local'] : []),
    ...(host.os === 'linux' ? ['/home/linuxbrew/.linuxbrew', `${host.home}/.linuxbrew`] : []),
  ];
  const unique = [...new Set(prefixes.filter((prefix): prefix is string => prefix !== undefined))];
  const lookups: Array<{ manager: 'brew' | 'brew-cask'; prefix: string; name: string; dir: string }> = [];
  // One look at Cellar and Caskroom first: on a machine without Homebrew (or with formulae and no casks) that is all.
  const exists = async (folder: string) => (await scan.host.stat(folder))?.type === 'directory';
  for (const prefix of unique) {
    const [cellar, caskroom] = await Promise.all([brew.size > 0 && exists(`${prefix}/Cellar`), brewCask.size > 0 && exists(`${prefix}/Caskroom`)]);
    if (cellar) for (const name of brew) lookups.push({ manager: 'brew', prefix, name, dir: `${prefix}/Cellar/${name}` });
    if (caskroom) for (const name of brewCask) lookups.push({ manager: 'brew-cask', prefix, name, dir: `${prefix}/Caskroom/${name}` });
  }
  const found = await Promise.all(
    lookups.map(async ({ manager, prefix, name, dir }) => {
      const versions = ((await list(scan, dir)) ?? []).filter((entry) => !entry.name.startsWith('.'));
      const kept = await Promise.all(versions.map(async (entry) => ((await isFolder(scan, `${dir}/${entry.name}`, entry.type)) ? entry : undefined)));
      return kept.filter((entry) => entry !== undefined).map((entry) => observation(manager, name, `${dir}/${entry.name}`, prefix, entry.name));
    }),
  );
  return found.flat();
}

// ---------------------------------------------------------------------------
// cargo and go
// ---------------------------------------------------------------------------

/** `ripgrep 14.1.1 (registry+https://github.com/rust-lang/crates.io-index)` */
function parseCrateKey(key: string): { name: string; version: string } | undefined {
  const found = /^(\S+) (\S+)(?: \(.*\))?$/.exec(key);
  return found ? { name: found[1]!, version: found[2]! } : undefined;
}

/** Installed crates with their binaries, from `.crates2.json` or else the older `.crates.toml`. */
async function installedCrates(scan: Scan, cargoHome: string): Promise<{ file: string; crates: Array<{ name: string; version: string; bins: string[] }> } | undefined> {
  const json = `${cargoHome}/.crates2.json`;
  const jsonText = await readSmallFile(scan, json, CARGO_LIST_MAX_BYTES);
  if (jsonText !== undefined) {
    try {
      const parsed: unknown = JSON.parse(jsonText);
      const installs = parsed && typeof parsed === 'object' && 'installs' in parsed ? parsed.installs : undefined;
      if (installs && typeof installs === 'object') {
        const crates = Object.entries(installs as Record<string, unknown>).flatMap(([key, value]) => {
          const crate = parseCrateKey(key);
          if (!crate) return [];
          const bins = value && typeof value === 'object' && 'bins' in value && Array.isArray(value.bins) ? value.bins.filter((bin): bin is string => typeof bin === 'string') : [];
          return [{ ...crate, bins }];
        });
        return { file: json, crates };
      }
    } catch {
      scan.note({ path: json, message: 'not valid JSON, not read' });
    }
  }
  const toml = `${cargoHome}/.crates.toml`;
  const tomlText = await readSmallFile(scan, toml, CARGO_LIST_MAX_BYTES);
  if (tomlText === undefined) return undefined;
  const crates: Array<{ name: string; version: string; bins: string[] }> = [];
  // [v1]
  // "ripgrep 14.1.1 (registry+https://github.com/rust-lang/crates.io-index)" = ["rg"]
  for (const line of tomlText.split(/\r?\n/)) {
    const found = /^\s*"([^"]+)"\s*=\s*\[(.*)\]\s*$/.exec(line);
    const crate = found && parseCrateKey(found[1]!);
    if (crate) crates.push({ ...crate, bins: [...found[2]!.matchAll(/"([^"]+)"/g)].map((bin) => bin[1]!) });
  }
  return { file: toml, crates };
}

async function scanCargo(scan: Scan): Promise<PackageObservation[]> {
  const wanted = scan.probes.packages.cargo;
  if (wanted.size === 0) return [];
  const cargoHome = envPath(scan, 'CARGO_HOME') ?? `${scan.host.home}/.cargo`;
  const installed = await installedCrates(scan, cargoHome);
  if (!installed) return [];
  const found = await Promise.all(
    installed.crates
      .filter((crate) => wanted.has(crate.name))
      .map(async (crate) => {
        // The installed binary, where it is still there; else the list that records the install.
        const bin = crate.bins[0] === undefined ? undefined : `${cargoHome}/bin/${crate.bins[0]}`;
        const path = bin !== undefined && (await scan.host.lstat(bin)) ? bin : installed.file;
        return observation('cargo', crate.name, path, cargoHome, crate.version);
      }),
  );
  return found;
}

/** The file name `go install` gives a module's binary: its last path element, skipping a `/v2`-style major version. */
export function goBinaryName(module: string): string {
  const elements = module.replace(/@.*$/, '').split('/').filter(Boolean);
  const last = elements.at(-1) ?? module;
  return /^v\d+$/.test(last) && elements.length > 1 ? elements.at(-2)! : last;
}

/** go keeps no install record: a binary named after a probed module in GOBIN or GOPATH/bin is all there is (never read or run). */
async function scanGo(scan: Scan): Promise<PackageObservation[]> {
  const modules = scan.probes.packages.go;
  if (modules.size === 0) return [];
  const { host } = scan;
  const windows = host.os === 'windows';
  const gopath = envValue(scan, 'GOPATH');
  const dirs = [
    envPath(scan, 'GOBIN'),
    ...(gopath ? gopath.split(windows ? ';' : ':').map((entry) => toSlashes(entry.trim())) : []).map((entry) =>
      entry !== '' && isAbsolutePath(entry, host.os) ? `${entry}/bin` : undefined,
    ),
    `${host.home}/go/bin`,
  ];
  const unique = [...new Set(dirs.filter((dir): dir is string => dir !== undefined))];
  const lookups = unique.flatMap((dir) => [...modules].map((module) => ({ dir, module, path: `${dir}/${goBinaryName(module)}${windows ? '.exe' : ''}` })));
  const found = await Promise.all(
    lookups.map(async ({ dir, module, path }) => {
      const info = await host.lstat(path);
      return info?.type === 'file' || info?.type === 'symlink' ? observation('go', module, path, dir) : undefined;
    }),
  );
  return found.filter((found) => found !== undefined);
}

// ---------------------------------------------------------------------------
// Debian and RPM
// ---------------------------------------------------------------------------

/** One stanza of dpkg's status file, when it is an installed package. */
function parseDpkgStanza(stanza: string): { name: string; version?: string } | undefined {
  let name: string | undefined;
  let version: string | undefined;
  let installed = false;
  for (const line of stanza.split('\n')) {
    if (line.startsWith('Package:')) name = line.slice('Package:'.length).trim();
    else if (line.startsWith('Version:')) version = line.slice('Version:'.length).trim();
    // `Status: <want> <flag> <state>`: only the state `installed` means the files are there.
    else if (line.startsWith('Status:')) installed = line.slice('Status:'.length).trim().split(/\s+/)[2] === 'installed';
  }
  if (!name || !installed) return undefined;
  return version ? { name, version } : { name };
}

/** dpkg's status file, read in chunks up to a cap: stanzas separated by blank lines. */
async function scanDpkg(scan: Scan): Promise<PackageObservation[]> {
  const wanted = scan.probes.packages.deb;
  if (wanted.size === 0 || scan.host.os !== 'linux') return [];
  const info = await scan.host.stat(DPKG_STATUS);
  if (info?.type !== 'file') return [];
  if (info.size > DPKG_STATUS_MAX_BYTES) scan.note({ path: DPKG_STATUS, message: `larger than ${formatBytes(DPKG_STATUS_MAX_BYTES)}: only the start was read` });

  const found = new Map<string, PackageObservation>();
  const take = (stanza: string): void => {
    // Cheap test first: most stanzas are packages nobody asked about.
    const name = /^Package:[ \t]*(\S+)/m.exec(stanza)?.[1];
    if (name === undefined || !wanted.has(name)) return;
    const parsed = parseDpkgStanza(stanza);
    if (!parsed) return;
    // Multi-arch packages have one stanza per architecture, all of one version.
    found.set(parsed.name, observation('deb', parsed.name, DPKG_STATUS, dirName(DPKG_STATUS), parsed.version));
  };
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let oversized = false;
  for (let offset = 0; offset < DPKG_STATUS_MAX_BYTES; ) {
    scan.signal.throwIfAborted();
    const chunk = await scan.host.readFileBytes(DPKG_STATUS, Math.min(DPKG_CHUNK_BYTES, DPKG_STATUS_MAX_BYTES - offset), offset);
    if (!chunk || chunk.length === 0) break;
    offset += chunk.length;
    carry += decoder.write(chunk).replace(/\r\n/g, '\n');
    const end = carry.lastIndexOf('\n\n');
    if (end >= 0) {
      for (const stanza of carry.slice(0, end).split(/\n\n+/)) take(stanza);
      carry = carry.slice(end + 2);
    }
    // A stanza is a few KiB: text this long without a blank line is not dpkg's, and is dropped so each chunk costs the same.
    if (carry.length > DPKG_STANZA_MAX_CHARS) {
      if (!oversized) scan.note({ path: DPKG_STATUS, message: 'a stanza longer than 1 MiB was skipped' });
      oversized = true;
      carry = '';
    }
  }
  take(carry + decoder.end());
  return [...found.values()];
}

/** The rpm database is binary (Berkeley DB, NDB or SQLite) and only rpm itself reads it safely: say so instead of guessing. */
async function noteRpm(scan: Scan): Promise<PackageObservation[]> {
  if (scan.probes.packages.rpm.size === 0 || scan.host.os !== 'linux') return [];
  for (const dir of RPM_DATABASES) {
    if ((await scan.host.stat(dir))?.type === 'directory') {
      scan.note({ path: dir, message: 'rpm database not read (binary format): rpm packages are not reported' });
      break;
    }
  }
  return [];
}

// ---------------------------------------------------------------------------
// The tools' own installers
// ---------------------------------------------------------------------------

/**
 * Each install-path pattern (`~/.local/share/claude/versions/{version}`) that
 * names something on disk, with the version its `{version}` segment captured.
 * A trailing `/**` reports the folder before it.
 */
async function scanInstallPaths(scan: Scan): Promise<PackageObservation[]> {
  const perPattern = await Promise.all(
    scan.probes.installPaths.map(async (pattern) => {
      const expanded = anchored(scan, toSlashes(pattern));
      if (expanded === undefined) return [];
      const paths = await expandPaths(scan.host, expanded, scan.note);
      if (paths === undefined) {
        scan.note({ path: pattern, message: 'install path with `**` inside is not looked up' });
        return [];
      }
      const found = await Promise.all(
        paths.map(async ({ path, version }) => {
          const info = await scan.host.lstat(path);
          if (!info || !['file', 'directory', 'symlink'].includes(info.type)) return undefined;
          return observation('native', pattern, path, undefined, version);
        }),
      );
      return found.filter((found) => found !== undefined);
    }),
  );
  return perPattern.flat();
}

// ---------------------------------------------------------------------------

function byPath(a: PackageObservation, b: PackageObservation): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

async function scanPackages({ host, probes, signal, note }: ScanContext, execPath: string): Promise<PackageObservation[]> {
  const scan: Scan = { host, probes, signal, note, where: { os: host.os, home: host.home, env: host.env }, execPath };
  // Each source is read concurrently; results come back source by source, sorted by path, so a report reads the same every run.
  const sources = await Promise.all([
    scanNodeModules(scan),
    scanPython(scan),
    scanHomebrew(scan),
    scanCargo(scan),
    scanGo(scan),
    scanDpkg(scan),
    noteRpm(scan),
    scanInstallPaths(scan),
  ]);
  const seen = new Set<string>();
  const observations: PackageObservation[] = [];
  for (const found of sources) {
    for (const item of [...found].sort(byPath)) {
      const key = `${item.manager}\0${item.name}\0${host.os === 'windows' ? item.path.toLowerCase() : item.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      observations.push(item);
    }
  }
  return observations;
}

export interface PackagesScannerOptions {
  /** The running node's executable; process.execPath when absent (tests point it at a node prefix of their own). */
  execPath?: string;
}

export function createPackagesScanner(options: PackagesScannerOptions = {}): Scanner {
  return {
    name: 'packages',
    budgetMs: PACKAGES_BUDGET_MS,
    scan: (context) => scanPackages(context, options.execPath ?? process.execPath),
  };
}

export const packagesScanner: Scanner = createPackagesScanner();
