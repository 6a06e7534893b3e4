/**
 * Desktop applications: macOS bundles, Linux .desktop files, install folders,
 * AppImages, snaps and flatpaks, and on Windows per-user and Program Files
 * installs, Start-menu shortcuts and the registry's Uninstall keys. Knows no
 * tool names: what to report comes from the probes (bundle names and ids,
 * .desktop file names, install-path patterns, shortcut and uninstall display
 * names, snap names, flatpak ids).
 *
 * Folders are listed one level deep, never walked (the Start menu, a small
 * tree, is the one exception, bounded in depth and size); the files read are
 * small manifests with a size cap; FIFOs and devices are never opened; symlink
 * loops and unreadable folders are noted and passed over; nothing found is run.
 *
 * Windows' Uninstall keys (HKLM, its WOW6432Node view, and HKCU: the list
 * Settings → Apps shows) come through the host, which on a real Windows runs
 * the system's `reg.exe query <key> /s` (Node has no registry API without a
 * native addon): the one program aitool starts here, never anything it finds,
 * and only when there are display names or install paths to look for. Its
 * output is parsed (parseRegQuery, bounded in keys and size) and an entry is
 * reported only when its DisplayName, without the scope, architecture or
 * version installers append (`Windsurf (User)`, `LM Studio 0.3.5`), is a
 * probed display name, or its InstallLocation or DisplayIcon program lies in
 * a probed install path. A key reg.exe could not read (it failed, timed out,
 * printed too much) is noted with the reason; Programs folders and Start-menu
 * shortcuts are still looked at. The UninstallString is parsed but never run.
 */
import { compileGlobPattern, type TextPattern } from '../regex.js';
import { displayNameStem } from './display-name.js';
import type { DirEntry, FileInfo, Host } from '../host.js';
import { PathIndex } from '../match/path-index.js';
import { compilePathPattern, expandAnchor, toSlashes, type CompiledPathPattern, type PatternEnvironment } from '../patterns.js';
import type { AppObservation, AppSource } from '../types.js';
import { baseName, dirName, errorCode, isAbsolutePath } from './logical-path.js';
import { PlistError, readPlistStrings } from './plist.js';
import type { Probes, Scanner, ScanContext } from './types.js';

export const APPS_BUDGET_MS = 3000;

/** Info.plist files are a few KiB; a bigger one is not a bundle's. */
const PLIST_MAX_BYTES = 1024 * 1024;
const DESKTOP_FILE_MAX_BYTES = 64 * 1024;
const MANIFEST_MAX_BYTES = 256 * 1024;
const SNAP_YAML_MAX_BYTES = 64 * 1024;
const APPDATA_MAX_BYTES = 256 * 1024;
const SHORTCUT_MAX_BYTES = 64 * 1024;
/** Entries looked at in one folder listing (a Downloads folder can be huge). */
const MAX_FOLDER_ENTRIES = 5000;
/** Files matched by one glob segment of an install-path pattern. */
const MAX_GLOB_MATCHES = 64;
const START_MENU_MAX_DEPTH = 4;
const START_MENU_MAX_ENTRIES = 3000;

/** Starts every note about registry Uninstall keys that could not be read; the reason follows. */
export const REGISTRY_NOTE = 'Windows registry Uninstall key not read';

/** Bounds of parseRegQuery: keys looked at, and characters of output. */
const REGISTRY_MAX_KEYS = 20_000;
const REGISTRY_MAX_CHARS = 16 * 1024 * 1024;

type Note = ScanContext['note'];

interface AppPattern {
  source: string;
  compiled: CompiledPathPattern;
  /** The pattern with its anchor resolved (absolute), or undefined for a pattern that matches at any folder boundary. */
  anchored?: string;
}

interface Scan {
  host: Host;
  probes: Probes;
  signal: AbortSignal;
  note: Note;
  where: PatternEnvironment;
  patterns: AppPattern[];
  /** The patterns by a literal each needs (built at first use): a path is tested only against those it could match. */
  patternIndex?: PathIndex<AppPattern>;
}

// ---------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------

const lowerSet = (values: Iterable<string>): Set<string> => new Set([...values].map((value) => value.toLowerCase()));

/** A folder's entries; undefined when it is missing (silently) or unreadable (noted). */
async function listFolder(scan: Scan, path: string): Promise<DirEntry[] | undefined> {
  scan.signal.throwIfAborted();
  let entries: DirEntry[];
  try {
    entries = await scan.host.readdir(path);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    scan.note({ path, message: code === 'ELOOP' ? 'symlink loop' : `folder unreadable (${code})` });
    return undefined;
  }
  // Sorted, so a report reads the same on every run.
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (entries.length > MAX_FOLDER_ENTRIES) {
    scan.note({ path, message: `folder has ${entries.length} entries; only the first ${MAX_FOLDER_ENTRIES} were looked at` });
    return entries.slice(0, MAX_FOLDER_ENTRIES);
  }
  return entries;
}

/**
 * What a listed entry is, following a symlink. A symlink loop is noted; a
 * link into nowhere only when `noteBroken` (an entry someone asked about).
 */
async function entryType(scan: Scan, path: string, entry: DirEntry, noteBroken: boolean): Promise<FileInfo['type'] | undefined> {
  if (entry.type !== 'symlink' && entry.type !== 'other') return entry.type;
  const info = await scan.host.stat(path);
  if (info) return info.type;
  if (entry.type === 'symlink') {
    try {
      await scan.host.realpath(path);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ELOOP') scan.note({ path, message: 'symlink loop' });
      else if (noteBroken) scan.note({ path, message: `broken symlink (${code})` });
    }
  }
  return undefined;
}

function matchesPattern(scan: Scan, path: string): boolean {
  scan.patternIndex ??= new PathIndex(scan.patterns.map((pattern) => ({ pattern: pattern.compiled, owner: pattern })));
  const candidates = new Set<AppPattern>();
  scan.patternIndex.collect(path, candidates);
  for (const pattern of candidates) if (pattern.compiled.match(path) !== undefined) return true;
  return false;
}

/** `version` from an Electron app's resources/app/package.json (VS Code forks and most desktop AI apps). */
async function electronVersion(host: Host, folder: string): Promise<string | undefined> {
  const text = await host.readTextFile(`${folder}/resources/app/package.json`, MANIFEST_MAX_BYTES);
  if (text === undefined) return undefined;
  try {
    const manifest: unknown = JSON.parse(text);
    if (manifest && typeof manifest === 'object' && 'version' in manifest && typeof manifest.version === 'string') {
      return manifest.version.trim() || undefined;
    }
  } catch {
    // Not JSON: no version.
  }
  return undefined;
}

function hasGlob(segment: string): boolean {
  return segment.includes('*') || segment.includes('{version}');
}

function segmentMatcher(segment: string, ignoreCase: boolean): TextPattern {
  const source = segment
    .split(/(\*|\{version\})/)
    .map((part) => (part === '*' ? '.*' : part === '{version}' ? '.+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return compileGlobPattern(`^${source}$`, segment.split(/\*|\{version\}/).length - 1, ignoreCase);
}

/**
 * The existing paths an anchored install-path pattern names. Literal segments
 * are appended (on Windows, where names ignore case, the parent is listed if
 * the exact spelling is missing); `*` and `{version}` segments are matched
 * against the parent's listing; a `**` inside stops the descent and the
 * listing of that folder is tested against the whole pattern. Never a walk.
 */
async function patternPaths(scan: Scan, pattern: AppPattern & { anchored: string }): Promise<string[]> {
  const windows = scan.host.os === 'windows';
  const segments = toSlashes(pattern.anchored).replace(/\/\*\*$/, '').split('/');
  let current = [segments[0]!];
  for (const segment of segments.slice(1)) {
    if (segment === '' || segment === '.') continue;
    if (segment.includes('**')) {
      const below: string[] = [];
      for (const base of current) {
        const listing = (await listFolder(scan, base || '/')) ?? [];
        below.push(base, ...listing.slice(0, MAX_GLOB_MATCHES).map((entry) => `${base}/${entry.name}`));
      }
      current = below.filter((path) => pattern.compiled.match(path) !== undefined);
      break;
    }
    const glob = hasGlob(segment);
    if (!glob && !windows) {
      current = current.map((base) => `${base}/${segment}`);
      continue;
    }
    const matcher = segmentMatcher(segment, windows);
    const next: string[] = [];
    for (const base of current) {
      if (!glob && (await scan.host.lstat(`${base}/${segment}`))) {
        next.push(`${base}/${segment}`);
        continue;
      }
      const listing = await listFolder(scan, base || '/');
      for (const entry of listing ?? []) {
        if (!matcher.test(entry.name)) continue;
        if (next.length >= MAX_GLOB_MATCHES) {
          scan.note({ path: base || '/', message: `more than ${MAX_GLOB_MATCHES} entries match ${pattern.source}; the rest were not looked at` });
          break;
        }
        next.push(`${base}/${entry.name}`);
      }
    }
    current = next;
    if (current.length === 0) return [];
  }
  const existing = await Promise.all(current.map(async (path) => ((await scan.host.lstat(path)) ? path : undefined)));
  return existing.filter((path): path is string => path !== undefined);
}

async function anchoredPatternHits(scan: Scan): Promise<string[]> {
  const anchored = scan.patterns.filter((pattern): pattern is AppPattern & { anchored: string } => pattern.anchored !== undefined);
  const perPattern = await Promise.all(anchored.map((pattern) => patternPaths(scan, pattern)));
  return [...new Set(perPattern.flat())];
}

/** Keeps the first observation for each path (and exec). */
function dedupe(observations: AppObservation[], ignoreCase: boolean): AppObservation[] {
  const seen = new Set<string>();
  return observations.filter((observation) => {
    const key = `${observation.path}\0${observation.exec ?? ''}`;
    const normal = ignoreCase ? key.toLowerCase() : key;
    if (seen.has(normal)) return false;
    seen.add(normal);
    return true;
  });
}

// ---------------------------------------------------------------------------
// macOS: *.app bundles and their Info.plist
// ---------------------------------------------------------------------------

const EMPTY_PLIST: ReadonlyMap<string, string> = new Map();

/**
 * A bundle's Info.plist values. Problems are noted for bundles asked about by
 * name (`noteProblems`); a FIFO or device in its place is always noted.
 */
async function readInfoPlist(scan: Scan, bundle: string, noteProblems: boolean): Promise<ReadonlyMap<string, string>> {
  const path = `${bundle}/Contents/Info.plist`;
  const info = await scan.host.stat(path);
  if (!info) {
    if (noteProblems) scan.note({ path, message: 'bundle has no readable Info.plist' });
    return EMPTY_PLIST;
  }
  if (info.type !== 'file') {
    scan.note({ path, message: `Info.plist is a ${info.type}, not a regular file: not read` });
    return EMPTY_PLIST;
  }
  if (info.size > PLIST_MAX_BYTES) {
    if (noteProblems) scan.note({ path, message: `Info.plist is larger than ${PLIST_MAX_BYTES} bytes: not read` });
    return EMPTY_PLIST;
  }
  const bytes = await scan.host.readFileBytes(path, PLIST_MAX_BYTES);
  if (!bytes) {
    if (noteProblems) scan.note({ path, message: 'Info.plist unreadable' });
    return EMPTY_PLIST;
  }
  try {
    return readPlistStrings(bytes);
  } catch (error) {
    if (!(error instanceof PlistError)) throw error;
    if (noteProblems) scan.note({ path, message: `Info.plist unreadable: ${error.message}` });
    return EMPTY_PLIST;
  }
}

function plistValue(plist: ReadonlyMap<string, string>, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const value = plist.get(key)?.trim();
    if (value) return value;
  }
  return undefined;
}

async function observeBundle(
  scan: Scan,
  path: string,
  entry: DirEntry,
  names: ReadonlySet<string>,
  ids: ReadonlySet<string>,
): Promise<AppObservation | undefined> {
  const byName = names.has(entry.name.toLowerCase());
  // Without bundle ids to look for, only the bundles asked about by name are opened.
  if (!byName && ids.size === 0) return undefined;
  if ((await entryType(scan, path, entry, byName)) !== 'directory') return undefined;
  const plist = await readInfoPlist(scan, path, byName);
  const bundleId = plistValue(plist, 'CFBundleIdentifier');
  if (!byName && !(bundleId && ids.has(bundleId.toLowerCase()))) return undefined;

  const observation: AppObservation = { kind: 'app', source: 'bundle', name: entry.name, path };
  if (bundleId) observation.bundleId = bundleId;
  const displayName = plistValue(plist, 'CFBundleDisplayName', 'CFBundleName');
  if (displayName) observation.displayName = displayName;
  const version = plistValue(plist, 'CFBundleShortVersionString', 'CFBundleVersion');
  if (version) observation.version = version;
  const executable = plistValue(plist, 'CFBundleExecutable');
  if (executable && !executable.includes('/')) observation.exec = `${path}/Contents/MacOS/${executable}`;
  return observation;
}

async function scanMacos(scan: Scan): Promise<AppObservation[]> {
  const names = lowerSet(scan.probes.apps.bundleNames);
  const ids = lowerSet(scan.probes.apps.bundleIds);
  if (names.size === 0 && ids.size === 0) return [];
  const folders = ['/Applications', '/Applications/Setapp', `${scan.host.home}/Applications`];
  const perFolder = await Promise.all(
    folders.map(async (folder) => {
      const listing = await listFolder(scan, folder);
      const bundles = (listing ?? []).filter((entry) => /\.app$/i.test(entry.name));
      const found = await Promise.all(bundles.map((entry) => observeBundle(scan, `${folder}/${entry.name}`, entry, names, ids)));
      return found.filter((observation): observation is AppObservation => observation !== undefined);
    }),
  );
  return perFolder.flat();
}

// ---------------------------------------------------------------------------
// Linux: .desktop files, install folders, AppImages, snaps, flatpaks
// ---------------------------------------------------------------------------

export interface DesktopEntry {
  name?: string;
  exec?: string;
  appImageVersion?: string;
}

/** `\s`, `\n`, `\t`, `\r` and `\\` in a .desktop string value. */
function unescapeDesktopValue(value: string): string {
  return value.replace(/\\([sntr\\])/g, (_, c: string) => ({ s: ' ', n: '\n', t: '\t', r: '\r', '\\': '\\' })[c] ?? c);
}

/**
 * The [Desktop Entry] group's unlocalised Name, Exec and X-AppImage-Version.
 * (`Version` is not read: it is the version of the Desktop Entry
 * specification the file follows, not the app's.)
 */
export function parseDesktopEntry(text: string): DesktopEntry {
  const entry: DesktopEntry = {};
  let inGroup = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      if (inGroup) break;
      inGroup = line === '[Desktop Entry]';
      continue;
    }
    if (!inGroup) continue;
    const equals = line.indexOf('=');
    if (equals < 0) continue;
    const key = line.slice(0, equals).trim();
    const value = unescapeDesktopValue(line.slice(equals + 1).trim());
    if (key === 'Name') entry.name ??= value;
    else if (key === 'Exec') entry.exec ??= value;
    else if (key === 'X-AppImage-Version') entry.appImageVersion ??= value;
  }
  return entry;
}

/**
 * The program an Exec line runs: its first argument after the quoting rules
 * of the Desktop Entry specification, past a leading `env VAR=value ...`
 * (snap desktop files start that way); field codes (`%U`) are dropped.
 */
export function execProgram(exec: string): string | undefined {
  const args: string[] = [];
  let current = '';
  let started = false;
  let quoted = false;
  for (let i = 0; i < exec.length; i++) {
    const c = exec[i]!;
    if (quoted) {
      if (c === '\\' && i + 1 < exec.length && '"`$\\'.includes(exec[i + 1]!)) current += exec[++i];
      else if (c === '"') quoted = false;
      else current += c;
      continue;
    }
    if (c === '"') {
      quoted = true;
      started = true;
    } else if (c === ' ' || c === '\t') {
      if (started) args.push(current);
      current = '';
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (started) args.push(current);
  const words = args.filter((arg) => !/^%[a-zA-Z]$/.test(arg));
  let index = 0;
  if (words[0] !== undefined && baseName(words[0]) === 'env') {
    index = 1;
    while (index < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[index]!) || words[index]!.startsWith('-'))) {
      // `-u NAME` and `-C DIR` take the next word.
      index += words[index] === '-u' || words[index] === '-C' ? 2 : 1;
    }
  }
  return words[index]?.replace(/%%/g, '%');
}

function desktopFolders(scan: Scan): string[] {
  const dataHome = expandAnchor('$XDG_DATA_HOME', scan.where) ?? `${scan.host.home}/.local/share`;
  const dataDirs = (scan.host.env.XDG_DATA_DIRS ?? '')
    .split(':')
    .filter((dir) => dir.startsWith('/'))
    .slice(0, 16)
    .map((dir) => `${toSlashes(dir)}/applications`);
  const folders = [
    '/usr/share/applications',
    '/usr/local/share/applications',
    `${dataHome}/applications`,
    '/var/lib/snapd/desktop/applications',
    '/var/lib/flatpak/exports/share/applications',
    `${dataHome}/flatpak/exports/share/applications`,
    ...dataDirs,
  ];
  return [...new Set(folders)];
}

async function observeDesktopFile(scan: Scan, path: string, entry: DirEntry, wanted: boolean): Promise<AppObservation | undefined> {
  if ((await entryType(scan, path, entry, wanted)) !== 'file') return undefined;
  const text = await scan.host.readTextFile(path, DESKTOP_FILE_MAX_BYTES);
  if (text === undefined) {
    if (wanted) scan.note({ path, message: 'desktop file unreadable' });
    return undefined;
  }
  const fields = parseDesktopEntry(text);
  const program = fields.exec === undefined ? undefined : execProgram(fields.exec);
  let exec = program;
  let installed = false;
  if (program !== undefined && isAbsolutePath(program, 'linux') && scan.patterns.length > 0) {
    installed = matchesPattern(scan, program);
    if (!installed) {
      // /usr/bin/cursor is often a link into the install folder.
      const real = await scan.host.realpath(program).catch(() => undefined);
      if (real !== undefined && real !== program && matchesPattern(scan, real)) {
        exec = real;
        installed = true;
      }
    }
  }
  if (!wanted && !installed) return undefined;
  const observation: AppObservation = { kind: 'app', source: 'desktop-file', name: entry.name, path };
  if (fields.name) observation.displayName = fields.name;
  if (fields.appImageVersion) observation.version = fields.appImageVersion;
  if (exec) observation.exec = exec;
  return observation;
}

async function scanDesktopFiles(scan: Scan): Promise<AppObservation[]> {
  const wantedNames = lowerSet(scan.probes.apps.desktopFiles);
  // Exec lines are read only when there are install paths to compare them with.
  const readAll = scan.patterns.length > 0;
  if (wantedNames.size === 0 && !readAll) return [];
  const perFolder = await Promise.all(
    desktopFolders(scan).map(async (folder) => {
      const listing = await listFolder(scan, folder);
      const files = (listing ?? []).filter((entry) => entry.name.endsWith('.desktop'));
      const found = await Promise.all(
        files.map((entry) => {
          const wanted = wantedNames.has(entry.name.toLowerCase());
          return wanted || readAll ? observeDesktopFile(scan, `${folder}/${entry.name}`, entry, wanted) : undefined;
        }),
      );
      return found.filter((observation): observation is AppObservation => observation !== undefined);
    }),
  );
  return perFolder.flat();
}

/** Path segments too generic to name an app. */
const GENERIC_SEGMENTS = new Set(['bin', 'lib', 'lib64', 'share', 'opt', 'usr', 'local', 'app', 'apps', 'applications', 'resources', 'programs']);

/**
 * The lower-case app names an AppImage's file name is compared with: each
 * probed .desktop file's stem (`cursor.desktop` → `cursor`), and each
 * install-path pattern's last segment, without an extension or a trailing
 * glob (`/opt/Cursor` → `cursor`, `LM-Studio-*.AppImage` → `lm-studio`,
 * `~/.local/zed.app` → `zed`). Generic segments (`bin`, `share`) are left out.
 */
export function appImageNames(apps: Pick<Probes['apps'], 'desktopFiles' | 'paths'>): Set<string> {
  const names = new Set<string>();
  for (const file of apps.desktopFiles) {
    const stem = file.replace(/\.desktop$/i, '').toLowerCase();
    if (stem.length >= 2) names.add(stem);
  }
  for (const pattern of apps.paths) {
    const last = baseName(toSlashes(pattern).replace(/\/\*\*$/, ''));
    let name = last.includes('*') || last.includes('{') ? last.slice(0, last.search(/\*|\{/)) : last;
    name = name
      .replace(/\.(app|exe|appimage)$/i, '')
      .replace(/^\.+/, '')
      .replace(/[-_. ]+$/, '')
      .toLowerCase();
    if (name.length >= 3 && !GENERIC_SEGMENTS.has(name)) names.add(name);
  }
  return names;
}

/**
 * An AppImage is taken to be `name`'s when its file name, case ignored,
 * starts with the name followed by `-`, `_`, `.` or a space
 * (`Cursor-1.2.3-x86_64.AppImage`, `cursor.AppImage`; not `cursors.AppImage`).
 */
export function isAppImageOf(fileName: string, name: string): boolean {
  const lower = fileName.toLowerCase();
  const wanted = name.toLowerCase();
  return lower.startsWith(wanted) && /^[-_. ]/.test(lower.slice(wanted.length));
}

/** The first dotted number in an AppImage's file name (`Cursor-1.2.3-x86_64.AppImage` → `1.2.3`). */
export function appImageVersion(fileName: string): string | undefined {
  return /(?:^|[-_ ])v?(\d+(?:\.\d+)+)/.exec(fileName.replace(/\.appimage$/i, ''))?.[1];
}

async function scanAppImages(scan: Scan): Promise<AppObservation[]> {
  const names = [...appImageNames(scan.probes.apps)];
  if (names.length === 0 && scan.patterns.length === 0) return [];
  const home = scan.host.home;
  const folders = [`${home}/Applications`, `${home}/Downloads`, `${home}/.local/bin`, `${home}/AppImages`, '/opt'];
  const perFolder = await Promise.all(
    folders.map(async (folder) => {
      const listing = await listFolder(scan, folder);
      const candidates = (listing ?? []).filter((entry) => /\.appimage$/i.test(entry.name));
      const found = await Promise.all(
        candidates.map(async (entry): Promise<AppObservation | undefined> => {
          const path = `${folder}/${entry.name}`;
          const named = names.some((name) => isAppImageOf(entry.name, name));
          if (!named && !matchesPattern(scan, path)) return undefined;
          // Never opened; a FIFO or folder with the name is passed over.
          if ((await entryType(scan, path, entry, true)) !== 'file') return undefined;
          const observation: AppObservation = { kind: 'app', source: 'appimage', name: entry.name, path, exec: path };
          const version = appImageVersion(entry.name);
          if (version) observation.version = version;
          return observation;
        }),
      );
      return found.filter((observation): observation is AppObservation => observation !== undefined);
    }),
  );
  return perFolder.flat();
}

/** Install folders and files named by the probes' install paths, and /opt entries any pattern matches. */
async function scanLinuxInstalls(scan: Scan): Promise<AppObservation[]> {
  if (scan.patterns.length === 0) return [];
  const hits = await anchoredPatternHits(scan);
  const opt = (await listFolder(scan, '/opt')) ?? [];
  for (const entry of opt) {
    const path = `/opt/${entry.name}`;
    if (!/\.appimage$/i.test(entry.name) && matchesPattern(scan, path)) hits.push(path);
  }
  const observations = await Promise.all(
    [...new Set(hits)].map(async (path): Promise<AppObservation> => {
      const appImage = /\.appimage$/i.test(path);
      const observation: AppObservation = { kind: 'app', source: appImage ? 'appimage' : 'opt', name: baseName(path), path };
      const info = await scan.host.stat(path);
      if (appImage) {
        observation.exec = path;
        const version = appImageVersion(baseName(path));
        if (version) observation.version = version;
      } else if (info?.type === 'directory' || info?.type === 'file') {
        // Electron apps keep their manifest beside the program (/opt/Cursor) or a folder up (/usr/share/qoder/bin/qoder).
        const folders = info.type === 'directory' ? [path] : [dirName(path), dirName(dirName(path))];
        for (const folder of folders) {
          const version = await electronVersion(scan.host, folder);
          if (version) {
            observation.version = version;
            break;
          }
        }
      }
      return observation;
    }),
  );
  return observations;
}

/** `version:` from a snap.yaml (top-level key only). */
export function snapYamlVersion(text: string): string | undefined {
  const found = /^version:[ \t]*(['"]?)([^'"\r\n#]+?)\1[ \t]*(?:#.*)?$/m.exec(text);
  return found?.[2]?.trim() || undefined;
}

async function scanSnaps(scan: Scan): Promise<AppObservation[]> {
  const wanted = scan.probes.packages.snap;
  if (wanted.size === 0) return [];
  const listing = (await listFolder(scan, '/snap')) ?? [];
  const found = await Promise.all(
    listing
      .filter((entry) => wanted.has(entry.name))
      .map(async (entry): Promise<AppObservation> => {
        const path = `/snap/${entry.name}`;
        const observation: AppObservation = { kind: 'app', source: 'snap', name: entry.name, path };
        const yaml = await scan.host.readTextFile(`${path}/current/meta/snap.yaml`, SNAP_YAML_MAX_BYTES);
        let version = yaml === undefined ? undefined : snapYamlVersion(yaml);
        if (!version) {
          // `current` links to the revision folder (`/snap/ollama/123`).
          const real = await scan.host.realpath(`${path}/current`).catch((error: unknown) => {
            if (errorCode(error) === 'ELOOP') scan.note({ path: `${path}/current`, message: 'symlink loop' });
            return undefined;
          });
          if (real !== undefined && dirName(real) === (await scan.host.realpath(path).catch(() => path))) version = baseName(real);
        }
        if (version) observation.version = version;
        return observation;
      }),
  );
  return found;
}

/** The newest release's version in AppStream metadata (releases are listed newest first). */
export function appdataVersion(xml: string): string | undefined {
  return /<release\b[^>]*?\bversion\s*=\s*["']([^"']+)["']/.exec(xml)?.[1]?.trim() || undefined;
}

async function scanFlatpaks(scan: Scan): Promise<AppObservation[]> {
  const wanted = scan.probes.packages.flatpak;
  if (wanted.size === 0) return [];
  const dataHome = expandAnchor('$XDG_DATA_HOME', scan.where) ?? `${scan.host.home}/.local/share`;
  const roots = ['/var/lib/flatpak/app', `${dataHome}/flatpak/app`];
  const perRoot = await Promise.all(
    roots.map(async (root) => {
      const listing = (await listFolder(scan, root)) ?? [];
      return Promise.all(
        listing
          .filter((entry) => wanted.has(entry.name))
          .map(async (entry): Promise<AppObservation> => {
            const id = entry.name;
            const path = `${root}/${id}`;
            const observation: AppObservation = { kind: 'app', source: 'flatpak', name: id, bundleId: id, path };
            const files = `${path}/current/active/files/share`;
            for (const candidate of [`${files}/metainfo/${id}.metainfo.xml`, `${files}/metainfo/${id}.appdata.xml`, `${files}/appdata/${id}.appdata.xml`]) {
              const xml = await scan.host.readTextFile(candidate, APPDATA_MAX_BYTES);
              const version = xml === undefined ? undefined : appdataVersion(xml);
              if (version) {
                observation.version = version;
                break;
              }
            }
            return observation;
          }),
      );
    }),
  );
  return perRoot.flat();
}

async function scanLinux(scan: Scan): Promise<AppObservation[]> {
  const [desktop, appImages, installs, snaps, flatpaks] = await Promise.all([
    scanDesktopFiles(scan),
    scanAppImages(scan),
    scanLinuxInstalls(scan),
    scanSnaps(scan),
    scanFlatpaks(scan),
  ]);
  return dedupe([...desktop, ...appImages, ...installs, ...snaps, ...flatpaks], false);
}

// ---------------------------------------------------------------------------
// Windows: Programs folders, Program Files, Start-menu shortcuts
// ---------------------------------------------------------------------------

/**
 * Where a Windows shortcut (.lnk) points: the LinkInfo's local base path and
 * common path suffix (MS-SHLLINK). Undefined for a network-only link, one
 * without LinkInfo, or anything malformed.
 */
export function shortcutTarget(data: Uint8Array): string | undefined {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.length < 0x4c || bytes.readUInt32LE(0) !== 0x4c) return undefined;
  const flags = bytes.readUInt32LE(0x14);
  let position = 0x4c;
  if (flags & 0x1) {
    // HasLinkTargetIDList: skipped by its size.
    if (position + 2 > bytes.length) return undefined;
    position += 2 + bytes.readUInt16LE(position);
  }
  if (!(flags & 0x2) || position + 0x1c > bytes.length) return undefined;
  const size = bytes.readUInt32LE(position);
  const headerSize = bytes.readUInt32LE(position + 4);
  const infoFlags = bytes.readUInt32LE(position + 8);
  const end = position + size;
  if (size < 0x1c || headerSize < 0x1c || headerSize > size || end > bytes.length || !(infoFlags & 0x1)) return undefined;

  const ansiAt = (offset: number): string | undefined => {
    if (offset === 0 || position + offset >= end) return undefined;
    const start = position + offset;
    const zero = bytes.indexOf(0, start);
    if (zero < 0 || zero >= end) return undefined;
    return bytes.subarray(start, zero).toString('latin1');
  };
  const unicodeAt = (offset: number): string | undefined => {
    if (offset === 0 || position + offset >= end) return undefined;
    const start = position + offset;
    for (let i = start; i + 1 < end; i += 2) {
      if (bytes[i] === 0 && bytes[i + 1] === 0) return bytes.subarray(start, i).toString('utf16le');
    }
    return undefined;
  };
  let base: string | undefined;
  let suffix: string | undefined;
  if (headerSize >= 0x24) {
    base = unicodeAt(bytes.readUInt32LE(position + 28));
    suffix = unicodeAt(bytes.readUInt32LE(position + 32));
  }
  base ??= ansiAt(bytes.readUInt32LE(position + 16));
  suffix ??= ansiAt(bytes.readUInt32LE(position + 24));
  if (!base) return undefined;
  const joined = suffix ? (base.endsWith('\\') ? base + suffix : `${base}\\${suffix}`) : base;
  return toSlashes(joined);
}

/** The highest `app-<version>` folder of a Squirrel install (`%LOCALAPPDATA%/AnthropicClaude/app-0.12.3`). */
async function squirrelVersion(scan: Scan, folder: string): Promise<string | undefined> {
  const listing = await scan.host.readdir(folder).catch(() => []);
  const versions = listing
    .map((entry) => /^app-(\d+(?:\.\d+)+)$/.exec(entry.name)?.[1])
    .filter((version): version is string => version !== undefined);
  const compare = (a: string, b: string): number => {
    const x = a.split('.').map(Number);
    const y = b.split('.').map(Number);
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const difference = (x[i] ?? 0) - (y[i] ?? 0);
      if (difference !== 0) return difference;
    }
    return 0;
  };
  return versions.sort(compare).at(-1);
}

interface WindowsRoot {
  path: string;
  source: AppSource;
}

function windowsRoots(scan: Scan): WindowsRoot[] {
  const env = scan.host.env;
  const x86Key = Object.keys(env).find((key) => key.toLowerCase() === 'programfiles(x86)');
  const x86 = (x86Key && env[x86Key]?.trim()) || 'C:/Program Files (x86)';
  const roots: WindowsRoot[] = [
    { path: expandAnchor('%LOCALAPPDATA%/Programs', scan.where)!, source: 'programs' },
    { path: expandAnchor('%PROGRAMFILES%', scan.where)!, source: 'program-files' },
    { path: toSlashes(x86), source: 'program-files' },
  ];
  const seen = new Set<string>();
  return roots.filter((root) => !seen.has(root.path.toLowerCase()) && seen.add(root.path.toLowerCase()));
}

async function scanWindowsInstalls(scan: Scan): Promise<AppObservation[]> {
  if (scan.patterns.length === 0) return [];
  const roots = windowsRoots(scan);
  const hits = new Set(await anchoredPatternHits(scan));
  // Children of the Programs and Program Files folders, for patterns that match at any folder boundary.
  for (const root of roots) {
    for (const entry of (await listFolder(scan, root.path)) ?? []) {
      const path = `${root.path}/${entry.name}`;
      if (matchesPattern(scan, path)) hits.add(path);
    }
  }
  const versions = new Map<string, Promise<string | undefined>>();
  const observations = await Promise.all(
    [...hits].map(async (hit): Promise<AppObservation | undefined> => {
      const lower = hit.toLowerCase();
      const root = roots.find((candidate) => lower.startsWith(`${candidate.path.toLowerCase()}/`));
      let folder: string;
      if (root) {
        // The app's own folder: the first one below Programs or Program Files.
        const first = hit.slice(root.path.length + 1).split('/')[0]!;
        folder = `${root.path}/${first}`;
      } else {
        const info = await scan.host.stat(hit);
        folder = info?.type === 'directory' ? hit : dirName(hit);
      }
      const observation: AppObservation = { kind: 'app', source: root?.source ?? 'programs', name: baseName(folder), path: folder };
      if (hit.toLowerCase() !== folder.toLowerCase()) observation.exec = hit;
      const key = folder.toLowerCase();
      if (!versions.has(key)) {
        versions.set(
          key,
          electronVersion(scan.host, folder).then((version) => version ?? squirrelVersion(scan, folder)),
        );
      }
      const version = await versions.get(key);
      if (version) observation.version = version;
      return observation;
    }),
  );
  return observations.filter((observation): observation is AppObservation => observation !== undefined);
}

/** .lnk files under a Start-menu Programs folder: real folders only (links are not followed), bounded in depth and count. */
async function listShortcuts(scan: Scan, root: string): Promise<string[]> {
  const shortcuts: string[] = [];
  let seen = 0;
  let level = [root];
  for (let depth = 0; depth <= START_MENU_MAX_DEPTH && level.length > 0; depth++) {
    const next: string[] = [];
    for (const folder of level) {
      for (const entry of (await listFolder(scan, folder)) ?? []) {
        if (++seen > START_MENU_MAX_ENTRIES) {
          scan.note({ path: root, message: `more than ${START_MENU_MAX_ENTRIES} Start-menu entries; the rest were not looked at` });
          return shortcuts;
        }
        const path = `${folder}/${entry.name}`;
        if (entry.type === 'directory') next.push(path);
        else if (/\.lnk$/i.test(entry.name) && (entry.type === 'file' || entry.type === 'symlink')) shortcuts.push(path);
      }
    }
    level = next;
  }
  return shortcuts;
}

async function scanStartMenu(scan: Scan): Promise<AppObservation[]> {
  const displayNames = lowerSet(scan.probes.apps.displayNames);
  const readTargets = scan.patterns.length > 0;
  if (displayNames.size === 0 && !readTargets) return [];
  const roots = [
    expandAnchor('%APPDATA%/Microsoft/Windows/Start Menu/Programs', scan.where)!,
    expandAnchor('%PROGRAMDATA%/Microsoft/Windows/Start Menu/Programs', scan.where)!,
  ];
  const perRoot = await Promise.all(
    roots.map(async (root) => {
      const shortcuts = await listShortcuts(scan, root);
      const found = await Promise.all(
        shortcuts.map(async (path): Promise<AppObservation | undefined> => {
          const name = baseName(path).replace(/\.lnk$/i, '');
          const byName = displayNames.has(name.toLowerCase());
          if (!byName && !readTargets) return undefined;
          const bytes = await scan.host.readFileBytes(path, SHORTCUT_MAX_BYTES);
          const target = bytes === undefined ? undefined : shortcutTarget(bytes);
          if (!byName && !(target !== undefined && matchesPattern(scan, target))) return undefined;
          const observation: AppObservation = { kind: 'app', source: 'start-menu', name, path };
          if (target !== undefined) observation.exec = target;
          return observation;
        }),
      );
      return found.filter((observation): observation is AppObservation => observation !== undefined);
    }),
  );
  return perRoot.flat();
}

// ---------------------------------------------------------------------------
// Windows: the registry's Uninstall keys, from `reg query <key> /s` output
// ---------------------------------------------------------------------------

export interface RegistryValue {
  /** `REG_SZ`, `REG_EXPAND_SZ`, `REG_DWORD`, ... as reg prints it. */
  type: string;
  /** The data as reg prints it (`0x1` for a DWORD); empty when the value is empty or not set. */
  data: string;
}

export interface RegistryKey {
  /** The key as reg prints it (`HKEY_CURRENT_USER\SOFTWARE\...\Uninstall\Kiro`). */
  path: string;
  /** Values by lower-cased name (registry names ignore case); the unnamed `(Default)` value is ''. */
  values: Map<string, RegistryValue>;
}

export interface ParsedRegQuery {
  keys: RegistryKey[];
  /** True when the output went past the bounds and the rest was not parsed. */
  truncated: boolean;
}

/** A key line: flush left, a root key and its path. */
const REG_KEY_LINE = /^(?:HKEY_[A-Z_]+|HK(?:LM|CU|CR|U|CC))(?:\\.*)?$/;
/** A value line: indented, then name, type and data separated by four spaces (or a tab); the data may be missing (an empty value). */
const REG_VALUE_LINE = /^(?: {2,}|\t)(.*?)(?: {4}|\t)(REG_[A-Z0-9_]+)(?:(?: {4}|\t)(.*))?$/;

/**
 * Parses what `reg query <key> /s` prints: a key line, its values indented
 * below it (`    DisplayName    REG_SZ    Cursor (User)`), a blank line, the
 * next key. CRLF or LF; names and data may hold spaces; `(Default)` is the
 * unnamed value and `(value not set)` its absence. Lines that are neither
 * (an `ERROR:` line, a cut line) are passed over. Bounded: at most `maxKeys`
 * keys and `maxChars` characters (cut back to a whole line) are looked at.
 */
export function parseRegQuery(text: string, limits: { maxKeys?: number; maxChars?: number } = {}): ParsedRegQuery {
  const maxKeys = limits.maxKeys ?? REGISTRY_MAX_KEYS;
  const maxChars = limits.maxChars ?? REGISTRY_MAX_CHARS;
  let truncated = false;
  let input = text;
  if (input.length > maxChars) {
    input = input.slice(0, maxChars);
    input = input.slice(0, input.lastIndexOf('\n') + 1);
    truncated = true;
  }
  const keys: RegistryKey[] = [];
  let current: RegistryKey | undefined;
  for (const raw of input.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') continue;
    if (REG_KEY_LINE.test(line)) {
      if (keys.length >= maxKeys) {
        truncated = true;
        break;
      }
      current = { path: line.trimEnd(), values: new Map() };
      keys.push(current);
      continue;
    }
    const value = REG_VALUE_LINE.exec(line);
    if (!value || !current) continue;
    const rawName = value[1]!.trim();
    const name = rawName === '(Default)' ? '' : rawName.toLowerCase();
    let data = value[3] ?? '';
    if (name === '' && data === '(value not set)') data = '';
    if (!current.values.has(name)) current.values.set(name, { type: value[2]!, data });
  }
  return { keys, truncated };
}

/** The values of one Uninstall entry that say what it is and where. */
export interface UninstallEntry {
  /** The registry key (`HKEY_CURRENT_USER\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall\{...}_is1`). */
  key: string;
  displayName?: string;
  displayVersion?: string;
  installLocation?: string;
  publisher?: string;
  uninstallString?: string;
  displayIcon?: string;
}

const UNINSTALL_FIELDS = {
  displayname: 'displayName',
  displayversion: 'displayVersion',
  installlocation: 'installLocation',
  publisher: 'publisher',
  uninstallstring: 'uninstallString',
  displayicon: 'displayIcon',
} as const satisfies Record<string, keyof Omit<UninstallEntry, 'key'>>;

/** `%NAME%` references in a REG_EXPAND_SZ value, from the environment (names ignore case); unknown ones are kept. */
function expandEnvironment(value: string, env: Readonly<Record<string, string | undefined>>): string {
  return value.replace(/%([^%\s]+)%/g, (whole, name: string) => {
    const key = Object.keys(env).find((candidate) => candidate.toUpperCase() === name.toUpperCase());
    const found = key === undefined ? undefined : env[key];
    return found && found.trim() !== '' ? found : whole;
  });
}

/**
 * The entries of the keys directly below an `...\Uninstall` key (a deeper
 * key is not an installed program), with their string values trimmed;
 * REG_EXPAND_SZ values are expanded from `env`.
 */
export function uninstallEntries(keys: readonly RegistryKey[], env: Readonly<Record<string, string | undefined>> = {}): UninstallEntry[] {
  const entries: UninstallEntry[] = [];
  for (const key of keys) {
    if (!/\\Uninstall\\[^\\]+$/i.test(key.path)) continue;
    const entry: UninstallEntry = { key: key.path };
    for (const [name, field] of Object.entries(UNINSTALL_FIELDS)) {
      const value = key.values.get(name);
      if (!value || (value.type !== 'REG_SZ' && value.type !== 'REG_EXPAND_SZ')) continue;
      const data = (value.type === 'REG_EXPAND_SZ' ? expandEnvironment(value.data, env) : value.data).trim();
      if (data) entry[field] = data;
    }
    entries.push(entry);
  }
  return entries;
}

function isWindowsAbsolute(path: string): boolean {
  return /^[A-Za-z]:[\\/]/.test(path) || /^\\\\[^\\]/.test(path);
}

/** An InstallLocation as a logical path: unquoted, forward slashes, no trailing slash; undefined unless absolute. */
function installLocationPath(value: string | undefined): string | undefined {
  const unquoted = value?.trim().replace(/^"(.*)"$/, '$1').trim();
  return unquoted && isWindowsAbsolute(unquoted) ? toSlashes(unquoted) : undefined;
}

/** The program a DisplayIcon names (`"C:\...\Cursor.exe",0`), when it is an absolute .exe; an .ico is not a program. */
export function displayIconProgram(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  const quoted = /^"([^"]*)"/.exec(trimmed);
  const path = (quoted ? quoted[1]! : trimmed.replace(/,\s*-?\d+$/, '')).trim();
  return isWindowsAbsolute(path) && /\.exe$/i.test(path) ? toSlashes(path) : undefined;
}

async function scanRegistry(scan: Scan): Promise<AppObservation[]> {
  const displayNames = lowerSet(scan.probes.apps.displayNames);
  if (displayNames.size === 0 && scan.patterns.length === 0) return [];
  const { host } = scan;
  if (host.readRegistryUninstall === undefined) {
    scan.note({ message: `${REGISTRY_NOTE}: this host has no registry access; apps are found from Programs folders and Start-menu shortcuts` });
    return [];
  }
  let read;
  try {
    read = await host.readRegistryUninstall(scan.signal);
  } catch (error) {
    if (scan.signal.aborted) throw error;
    scan.note({ message: `${REGISTRY_NOTE}: ${error instanceof Error ? error.message : String(error)}` });
    return [];
  }
  for (const problem of read.problems) scan.note({ path: problem.key, message: `${REGISTRY_NOTE}: ${problem.message}` });
  const parsed = parseRegQuery(read.text);
  if (parsed.truncated) {
    scan.note({ message: `registry output has more than ${REGISTRY_MAX_KEYS} keys or ${REGISTRY_MAX_CHARS} characters; the rest was not looked at` });
  }
  const observations: AppObservation[] = [];
  for (const entry of uninstallEntries(parsed.keys, host.env)) {
    const displayName = entry.displayName;
    if (!displayName) continue;
    const location = installLocationPath(entry.installLocation);
    const program = displayIconProgram(entry.displayIcon);
    const byName = displayNames.has(displayName.toLowerCase()) || displayNames.has(displayNameStem(displayName).toLowerCase());
    const byPath = [location, program].some((path) => path !== undefined && matchesPattern(scan, path));
    if (!byName && !byPath) continue;
    const observation: AppObservation = { kind: 'app', source: 'registry', name: displayName, displayName, path: location ?? entry.key };
    if (entry.displayVersion) observation.version = entry.displayVersion;
    if (program) observation.exec = program;
    observations.push(observation);
  }
  return observations;
}

async function scanWindows(scan: Scan): Promise<AppObservation[]> {
  const [registry, installs, shortcuts] = await Promise.all([scanRegistry(scan), scanWindowsInstalls(scan), scanStartMenu(scan)]);
  // The registry first: where it names the same folder and program as a Programs folder, its DisplayName and DisplayVersion are kept.
  return dedupe([...registry, ...installs, ...shortcuts], true);
}

// ---------------------------------------------------------------------------

function compilePatterns(paths: readonly string[], where: PatternEnvironment): AppPattern[] {
  const compiled: AppPattern[] = [];
  for (const source of paths) {
    const pattern = compilePathPattern(source, where);
    if (!pattern) continue;
    const expanded = expandAnchor(toSlashes(source), where);
    const anchored = expanded !== undefined && isAbsolutePath(expanded, where.os) ? expanded : undefined;
    compiled.push(anchored === undefined ? { source, compiled: pattern } : { source, compiled: pattern, anchored });
  }
  return compiled;
}

export const appsScanner: Scanner = {
  name: 'apps',
  budgetMs: APPS_BUDGET_MS,
  async scan({ host, probes, signal, note }: ScanContext) {
    const where: PatternEnvironment = { os: host.os, home: host.home, env: host.env };
    const scan: Scan = { host, probes, signal, note, where, patterns: compilePatterns(probes.apps.paths, where) };
    switch (host.os) {
      case 'macos':
        return scanMacos(scan);
      case 'linux':
        return scanLinux(scan);
      case 'windows':
        return scanWindows(scan);
      default:
        return [];
    }
  },
};
