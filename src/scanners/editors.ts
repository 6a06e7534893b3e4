/**
 * Editor extensions and plugins, and Zed's AI settings: VS Code and its
 * forks (and their remote servers), JetBrains IDEs, Vim and Neovim plugin
 * managers, Zed. Knows no tool names: it reports the ids the probes ask for,
 * as the editor's own files spell them.
 *
 * Cheap on a crowded machine: one folder listing per extensions folder and
 * one bounded read of its manifest, whatever the number of extensions; a
 * stat only for the few entries a probe names. JetBrains plugin ids live
 * inside a jar, so those are read, but only the zip's directory and one
 * small entry of one jar per plugin (see zip.ts).
 */
import type { DirEntry, Host } from '../host.js';
import { expandAnchor, toSlashes } from '../patterns.js';
import type { ExtensionObservation } from '../types.js';
import { parseJsonc } from './jsonc.js';
import { baseName, dirName, errorCode } from './logical-path.js';
import type { Scanner, ScanContext } from './types.js';
import { readZipEntry, ZipFormatError, type ZipSource } from './zip.js';

export const EDITORS_BUDGET_MS = 3000;

/** extensions.json lists every extension with its metadata: a few hundred KiB for hundreds of extensions. */
const EXTENSIONS_MANIFEST_MAX_BYTES = 8 * 1024 * 1024;
/** `.obsolete` lists folders VS Code will delete at its next start. */
const OBSOLETE_MAX_BYTES = 1024 * 1024;
const ZED_SETTINGS_MAX_BYTES = 4 * 1024 * 1024;
/** META-INF/plugin.xml is a few KiB; readZipEntry refuses more than this. */
const PLUGIN_XML_MAX_BYTES = 1024 * 1024;
/** Jars looked into per plugin before giving up: the one holding plugin.xml is nearly always named like the folder and read first. */
const MAX_JARS_PER_PLUGIN = 32;
/** Plugins whose jars are read at once. */
const JAR_CONCURRENCY = 8;

type Note = ScanContext['note'];

interface Walk {
  host: Host;
  note: Note;
  signal: AbortSignal;
}

// ---------------------------------------------------------------------------
// File-system helpers
// ---------------------------------------------------------------------------

/** A folder's entries; undefined when it is missing (silently) or unreadable (noted). */
async function listFolder({ host, note }: Walk, path: string): Promise<DirEntry[] | undefined> {
  try {
    return await host.readdir(path);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    note({ path, message: code === 'ELOOP' ? 'symlink loop' : `folder unreadable (${code})` });
    return undefined;
  }
}

/** Whether a listed entry is a folder, following a link (a loop or a dangling link is noted). */
async function isFolder({ host, note }: Walk, path: string, type: DirEntry['type']): Promise<boolean> {
  if (type === 'directory') return true;
  if (type !== 'symlink') return false;
  try {
    await host.realpath(path);
  } catch (error) {
    const code = errorCode(error);
    note({ path, message: code === 'ELOOP' ? 'symlink loop' : `broken symlink (${code})` });
    return false;
  }
  return (await host.stat(path))?.type === 'directory';
}

/** A bounded read of a small text file that is expected to be regular; anything else is noted. */
async function readSmallFile({ host, note }: Walk, path: string, maxBytes: number, what: string): Promise<string | undefined> {
  const info = await host.stat(path);
  if (!info) return undefined;
  if (info.type !== 'file') {
    note({ path, message: `${what} is not a regular file (${info.type})` });
    return undefined;
  }
  if (info.size > maxBytes) {
    note({ path, message: `${what} over ${maxBytes} bytes, not read` });
    return undefined;
  }
  const text = await host.readTextFile(path, maxBytes);
  if (text === undefined) note({ path, message: `${what} unreadable` });
  return text;
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the input order in the result. */
async function mapLimited<T, R>(items: readonly T[], limit: number, signal: AbortSignal, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      signal.throwIfAborted();
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function lowerSet(values: ReadonlySet<string>): Set<string> {
  return new Set([...values].map((value) => value.toLowerCase()));
}

/** Numeric comparison of dotted versions (`1.10.0` > `1.9.3`); non-numeric parts compare as text. */
function compareVersions(a: string | undefined, b: string | undefined): number {
  const left = (a ?? '').split(/[.-]/);
  const right = (b ?? '').split(/[.-]/);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = left[i] ?? '';
    const y = right[i] ?? '';
    const nx = Number(x);
    const ny = Number(y);
    const order = x !== '' && y !== '' && Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x < y ? -1 : x > y ? 1 : 0;
    if (order !== 0) return order;
  }
  return 0;
}

// ---------------------------------------------------------------------------
// VS Code and its forks
// ---------------------------------------------------------------------------

/**
 * Extensions folders under the home folder (%USERPROFILE% on Windows): the
 * same relative path on every OS. Each fork names its data folder in its
 * product.json (`dataFolderName`, `serverDataFolderName`). K marks folders
 * that follow the fork's naming but were not seen in public material.
 */
export const VSCODE_EXTENSION_FOLDERS: ReadonlyArray<{ editor: string; folder: string }> = [
  { editor: 'VS Code', folder: '.vscode/extensions' },
  { editor: 'VS Code Insiders', folder: '.vscode-insiders/extensions' },
  { editor: 'VSCodium', folder: '.vscode-oss/extensions' },
  { editor: 'Cursor', folder: '.cursor/extensions' },
  { editor: 'Windsurf', folder: '.windsurf/extensions' },
  { editor: 'Windsurf Next', folder: '.windsurf-next/extensions' },
  { editor: 'Trae', folder: '.trae/extensions' },
  { editor: 'Trae CN', folder: '.trae-cn/extensions' },
  { editor: 'Kiro', folder: '.kiro/extensions' },
  { editor: 'Qoder', folder: '.qoder/extensions' },
  { editor: 'Positron', folder: '.positron/extensions' },
  { editor: 'Antigravity', folder: '.antigravity/extensions' },
  // Remote servers (SSH, containers, WSL, tunnels) install extensions on the machine they serve.
  { editor: 'VS Code Server', folder: '.vscode-server/extensions' },
  { editor: 'VS Code Server Insiders', folder: '.vscode-server-insiders/extensions' },
  // K
  { editor: 'VSCodium Server', folder: '.vscodium-server/extensions' },
  { editor: 'Cursor Server', folder: '.cursor-server/extensions' },
  { editor: 'Windsurf Server', folder: '.windsurf-server/extensions' },
  { editor: 'Trae Server', folder: '.trae-server/extensions' },
  { editor: 'Trae CN Server', folder: '.trae-cn-server/extensions' },
  { editor: 'Kiro Server', folder: '.kiro-server/extensions' },
  // K
  { editor: 'Qoder Server', folder: '.qoder-server/extensions' },
  // K
  { editor: 'Positron Server', folder: '.positron-server/extensions' },
  // K
  { editor: 'Antigravity Server', folder: '.antigravity-server/extensions' },
];

/** The target platforms the marketplace builds for, appended to the folder name after the version. */
const PLATFORM_SUFFIX = /-((?:win32|linux|alpine|darwin)-[a-z0-9]+|web|universal)$/i;
/** `publisher.name-1.2.3` (marketplace versions are plain major.minor.patch; Open VSX allows a pre-release tag). */
const NAME_VERSION = /^(.+)-(\d+\.\d+\.\d+(?:-[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)?)$/;
/** Marketplace publishers are letters, digits and hyphens; names are too, though other galleries let dots in. */
const PUBLISHER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]*\.[A-Za-z0-9][A-Za-z0-9._-]*$/;
const HAS_VERSION = /-\d+\.\d+\.\d+/;

export interface ExtensionFolderName {
  /** `publisher.name` as written in the folder name. */
  id: string;
  version?: string;
  platform?: string;
}

/**
 * Splits an extension folder name: `github.copilot-chat-0.26.2025040204`,
 * `anthropic.claude-code-2.0.1-linux-x64`. Publisher and name may hold
 * hyphens and dots; the version is the last `-<major.minor.patch>` part, and
 * a target platform may follow it. A folder named just `publisher.name` (a
 * link made by hand during development) has no version.
 */
export function parseExtensionFolderName(name: string): ExtensionFolderName | undefined {
  const platform = PLATFORM_SUFFIX.exec(name);
  const withoutPlatform = platform ? name.slice(0, platform.index) : name;
  const versioned = NAME_VERSION.exec(withoutPlatform);
  if (versioned && PUBLISHER_NAME.test(versioned[1]!)) {
    const parsed: ExtensionFolderName = { id: versioned[1]!, version: versioned[2]! };
    if (platform) parsed.platform = platform[1]!;
    return parsed;
  }
  return PUBLISHER_NAME.test(name) && !HAS_VERSION.test(name) ? { id: name } : undefined;
}

interface ManifestEntry {
  id: string;
  version?: string;
  /** The extension folder. */
  path: string;
  /** Its name, when it sits in the extensions folder itself (the usual case). */
  folderName?: string;
}

/** A `location` from extensions.json (a URI object or string) as a logical path, for the `file` scheme only. */
function locationPath(location: unknown, os: Host['os']): string | undefined {
  let raw: string | undefined;
  if (typeof location === 'string') {
    if (!location.startsWith('file://')) return undefined;
    try {
      raw = decodeURIComponent(new URL(location).pathname);
    } catch {
      return undefined;
    }
  } else if (location && typeof location === 'object') {
    const uri = location as { scheme?: unknown; path?: unknown; fsPath?: unknown };
    if (uri.scheme !== undefined && uri.scheme !== 'file') return undefined;
    raw = typeof uri.path === 'string' ? uri.path : typeof uri.fsPath === 'string' ? uri.fsPath : undefined;
  }
  if (raw === undefined || raw === '') return undefined;
  const slashed = toSlashes(raw);
  // URI paths of Windows files are `/c:/Users/...`.
  return os === 'windows' && /^\/[A-Za-z]:\//.test(slashed) ? slashed.slice(1) : slashed;
}

/**
 * The entries of an extensions.json: `[{ identifier: { id }, version,
 * relativeLocation, location }]`. Undefined when the text is not such a list.
 */
export function parseExtensionsManifest(text: string, folder: string, os: Host['os']): ManifestEntry[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const sameFolder = (a: string, b: string) => (os === 'windows' ? a.toLowerCase() === b.toLowerCase() : a === b);
  const entries: ManifestEntry[] = [];
  for (const item of parsed as unknown[]) {
    if (!item || typeof item !== 'object') continue;
    const record = item as { identifier?: { id?: unknown }; version?: unknown; relativeLocation?: unknown; location?: unknown };
    const id = record.identifier?.id;
    if (typeof id !== 'string' || id === '') continue;
    const entry: Partial<ManifestEntry> & { id: string } = { id };
    if (typeof record.version === 'string' && record.version !== '') entry.version = record.version;
    const relative = record.relativeLocation;
    if (typeof relative === 'string' && relative !== '' && relative !== '.' && relative !== '..' && !/[/\\]/.test(relative)) {
      entry.path = `${folder}/${relative}`;
      entry.folderName = relative;
    } else {
      const path = locationPath(record.location, os);
      if (path === undefined) continue;
      entry.path = path;
      if (sameFolder(dirName(path), folder)) {
        // Spelled as the folder was found, not as the URI has it (`c:` for `C:`).
        entry.folderName = baseName(path);
        entry.path = `${folder}/${entry.folderName}`;
      }
    }
    entries.push(entry as ManifestEntry);
  }
  return entries;
}

async function obsoleteFolders(walk: Walk, folder: string): Promise<Set<string>> {
  const text = await readSmallFile(walk, `${folder}/.obsolete`, OBSOLETE_MAX_BYTES, '.obsolete');
  if (text === undefined) return new Set();
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return new Set(Object.keys(parsed).map((name) => name.toLowerCase()));
    }
  } catch {
    // An unfinished write; every folder then counts.
  }
  return new Set();
}

/**
 * One extensions folder. extensions.json is what the editor itself loads;
 * a manifest entry counts only when its folder exists (an entry left behind
 * by a crash names nothing installed). Folders the manifest does not list
 * (copied in by hand, or no manifest at all, as in older versions) are
 * recognised by name. Folders listed in `.obsolete` are uninstalled or
 * superseded and wait for deletion: they are skipped. One observation per id.
 */
async function scanExtensionsFolder(walk: Walk, editor: string, folder: string, wanted: ReadonlySet<string>): Promise<ExtensionObservation[]> {
  const listing = await listFolder(walk, folder);
  if (!listing) return [];
  const windows = walk.host.os === 'windows';
  const key = (name: string) => (windows ? name.toLowerCase() : name);
  const listed = new Map(listing.map((entry) => [key(entry.name), entry]));

  const manifestEntry = listed.get(key('extensions.json'));
  let manifest: ManifestEntry[] | undefined;
  if (manifestEntry) {
    const path = `${folder}/extensions.json`;
    const text = await readSmallFile(walk, path, EXTENSIONS_MANIFEST_MAX_BYTES, 'extensions.json');
    if (text !== undefined) {
      manifest = parseExtensionsManifest(text, folder, walk.host.os);
      if (!manifest) walk.note({ path, message: 'extensions.json is not a list of extensions; folder names used instead' });
    }
  }
  const obsolete = listed.has('.obsolete') ? await obsoleteFolders(walk, folder) : new Set<string>();
  walk.signal.throwIfAborted();

  const found = new Map<string, ExtensionObservation>();
  const claimed = new Set<string>();
  for (const entry of manifest ?? []) {
    if (entry.folderName !== undefined) claimed.add(key(entry.folderName));
    const lowerId = entry.id.toLowerCase();
    if (!wanted.has(lowerId) || found.has(lowerId)) continue;
    if (entry.folderName !== undefined && obsolete.has(entry.folderName.toLowerCase())) continue;
    let present: boolean;
    if (entry.folderName !== undefined) {
      const listedEntry = listed.get(key(entry.folderName));
      present = listedEntry !== undefined && (await isFolder(walk, entry.path, listedEntry.type));
    } else {
      present = (await walk.host.stat(entry.path))?.type === 'directory';
    }
    if (!present) continue;
    const observation: ExtensionObservation = { kind: 'extension', family: 'vscode', editor, id: entry.id, path: entry.path };
    const version = entry.version ?? (entry.folderName === undefined ? undefined : parseExtensionFolderName(entry.folderName)?.version);
    if (version !== undefined) observation.version = version;
    found.set(lowerId, observation);
  }

  const byName = new Map<string, ExtensionObservation>();
  for (const entry of listing) {
    if (entry.name.startsWith('.') || claimed.has(key(entry.name)) || obsolete.has(entry.name.toLowerCase())) continue;
    if (entry.type !== 'directory' && entry.type !== 'symlink') continue;
    const parsed = parseExtensionFolderName(entry.name);
    if (!parsed) continue;
    const lowerId = parsed.id.toLowerCase();
    if (!wanted.has(lowerId) || found.has(lowerId)) continue;
    const current = byName.get(lowerId);
    // Two versions side by side (an update not yet cleaned up): the newer one is what runs.
    if (current && compareVersions(current.version, parsed.version) >= 0) continue;
    const path = `${folder}/${entry.name}`;
    if (!(await isFolder(walk, path, entry.type))) continue;
    const observation: ExtensionObservation = { kind: 'extension', family: 'vscode', editor, id: parsed.id, path };
    if (parsed.version !== undefined) observation.version = parsed.version;
    byName.set(lowerId, observation);
  }
  return [...found.values(), ...byName.values()].sort((a, b) => (a.id.toLowerCase() < b.id.toLowerCase() ? -1 : 1));
}

async function scanVscode(walk: Walk, wanted: ReadonlySet<string>): Promise<ExtensionObservation[]> {
  const home = walk.host.home;
  const perFolder = await Promise.all(
    VSCODE_EXTENSION_FOLDERS.map(({ editor, folder }) => scanExtensionsFolder(walk, editor, `${home}/${folder}`, wanted)),
  );
  return perFolder.flat();
}

// ---------------------------------------------------------------------------
// JetBrains
// ---------------------------------------------------------------------------

/** `IntelliJIdea2025.2`, `PyCharmCE2024.1`, `AndroidStudio2024.1`, `AndroidStudio4.2`. */
const PRODUCT_FOLDER = /^[A-Za-z][A-Za-z-]*\d+(?:\.\d+)+$/;

interface PluginsFolder {
  editor: string;
  path: string;
}

/** Product folders in `base` (`IntelliJIdea2025.2`), each mapped to its plugins folder. */
async function productFolders(walk: Walk, base: string, plugins: (product: string) => string, prefix = ''): Promise<PluginsFolder[]> {
  const listing = await listFolder(walk, base);
  if (!listing) return [];
  const out: PluginsFolder[] = [];
  for (const entry of listing) {
    if (!entry.name.startsWith(prefix)) continue;
    const product = entry.name.slice(prefix.length);
    if (!PRODUCT_FOLDER.test(product) || (entry.type !== 'directory' && entry.type !== 'symlink')) continue;
    out.push({ editor: product, path: plugins(entry.name) });
  }
  return out;
}

/** Toolbox App before 2.0 kept each IDE's plugins beside it: `apps/<app>/ch-<n>/<build>.plugins`. */
async function toolboxFolders(walk: Walk, apps: string): Promise<PluginsFolder[]> {
  const out: PluginsFolder[] = [];
  for (const app of (await listFolder(walk, apps)) ?? []) {
    if (app.type !== 'directory') continue;
    for (const channel of (await listFolder(walk, `${apps}/${app.name}`)) ?? []) {
      if (!channel.name.startsWith('ch-') || channel.type !== 'directory') continue;
      for (const build of (await listFolder(walk, `${apps}/${app.name}/${channel.name}`)) ?? []) {
        if (!build.name.endsWith('.plugins') || build.type !== 'directory') continue;
        out.push({ editor: `${app.name} ${build.name.slice(0, -'.plugins'.length)}`, path: `${apps}/${app.name}/${channel.name}/${build.name}` });
      }
    }
  }
  return out;
}

/**
 * Where each installed JetBrains IDE (and Android Studio, which is one) keeps
 * the plugins the user installed. Since 2020.1: Linux
 * `$XDG_DATA_HOME/JetBrains/<Product><version>/` (plugins directly inside),
 * macOS `~/Library/Application Support/JetBrains/<Product><version>/plugins`,
 * Windows `%APPDATA%/JetBrains/<Product><version>/plugins`. Before 2020.1:
 * `~/.<Product><version>/config/plugins` (Linux, Windows) and
 * `~/Library/Application Support/<Product><version>` (macOS).
 */
async function jetbrainsPluginsFolders(walk: Walk): Promise<PluginsFolder[]> {
  const { host } = walk;
  const where = { os: host.os, home: host.home, env: host.env };
  const home = host.home;
  const lists: Array<Promise<PluginsFolder[]>> = [];
  if (host.os === 'linux') {
    const data = expandAnchor('$XDG_DATA_HOME', where)!;
    for (const vendor of ['JetBrains', 'Google']) lists.push(productFolders(walk, `${data}/${vendor}`, (p) => `${data}/${vendor}/${p}`));
    lists.push(toolboxFolders(walk, `${data}/JetBrains/Toolbox/apps`));
  } else if (host.os === 'macos') {
    const support = `${home}/Library/Application Support`;
    for (const vendor of ['JetBrains', 'Google']) lists.push(productFolders(walk, `${support}/${vendor}`, (p) => `${support}/${vendor}/${p}/plugins`));
    lists.push(productFolders(walk, support, (p) => `${support}/${p}`));
    lists.push(toolboxFolders(walk, `${support}/JetBrains/Toolbox/apps`));
  } else {
    const appData = expandAnchor('%APPDATA%', where)!;
    const localAppData = expandAnchor('%LOCALAPPDATA%', where)!;
    for (const vendor of ['JetBrains', 'Google']) lists.push(productFolders(walk, `${appData}/${vendor}`, (p) => `${appData}/${vendor}/${p}/plugins`));
    lists.push(toolboxFolders(walk, `${localAppData}/JetBrains/Toolbox/apps`));
  }
  if (host.os !== 'macos') lists.push(productFolders(walk, home, (p) => `${home}/${p}/config/plugins`, '.'));
  return (await Promise.all(lists)).flat();
}

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}

/**
 * The id and version in a plugin descriptor. The platform falls back to
 * `<name>` when a plugin has no `<id>`, and so does this.
 */
export function parsePluginXml(xml: string): { id: string; version?: string } | undefined {
  const text = xml.replace(/<!--[\s\S]*?-->/g, '');
  const element = (tag: string) => {
    const found = new RegExp(`<${tag}(?:\\s[^>]*)?>\\s*(?:<!\\[CDATA\\[)?([^<]*?)(?:\\]\\]>)?\\s*</${tag}>`).exec(text);
    const value = found ? decodeXml(found[1]!) : '';
    return value === '' ? undefined : value;
  };
  const id = element('id') ?? element('name');
  if (id === undefined) return undefined;
  const version = element('version');
  return version === undefined ? { id } : { id, version };
}

/** The jars of a plugin, the likeliest holder of plugin.xml first: the one named like the plugin folder. */
export function orderPluginJars(folderName: string, jars: readonly string[]): string[] {
  const base = folderName.toLowerCase();
  const rank = (jar: string): number => {
    const stem = jar.toLowerCase().replace(/\.jar$/, '');
    if (stem === base || stem.startsWith(`${base}-`) || stem.startsWith(`${base}.`)) return 0;
    if (stem.includes(base) || base.includes(stem)) return 1;
    return 2;
  };
  return [...jars].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function hostZipSource(host: Host, path: string, size: number): ZipSource {
  return { size, read: (offset, length) => host.readFileBytes(path, length, offset) };
}

/** plugin.xml from one jar: undefined when it has none or cannot be read (noted). */
async function pluginXmlFromJar(walk: Walk, jar: string): Promise<string | undefined> {
  const info = await walk.host.stat(jar);
  if (info?.type !== 'file') return undefined;
  try {
    const bytes = await readZipEntry(hostZipSource(walk.host, jar, info.size), 'META-INF/plugin.xml', {
      maxCentralDirectoryBytes: 4 * 1024 * 1024,
      maxEntryBytes: PLUGIN_XML_MAX_BYTES,
    });
    return bytes?.toString('utf8');
  } catch (error) {
    if (!(error instanceof ZipFormatError)) throw error;
    walk.note({ path: jar, message: `plugin jar unreadable (${error.message})` });
    return undefined;
  }
}

interface PluginCandidate {
  editor: string;
  /** The plugin folder, or the jar itself for a single-jar plugin. */
  path: string;
  jars: string[];
}

/** The plugins in one plugins folder: sub-folders with `lib/*.jar`, and single jars. */
async function pluginCandidates(walk: Walk, folder: PluginsFolder): Promise<PluginCandidate[]> {
  const listing = await listFolder(walk, folder.path);
  if (!listing) return [];
  const candidates = await Promise.all(
    listing.map(async (entry): Promise<PluginCandidate | undefined> => {
      if (entry.name.startsWith('.')) return undefined;
      const path = `${folder.path}/${entry.name}`;
      if (entry.name.toLowerCase().endsWith('.jar')) {
        return entry.type === 'file' || entry.type === 'symlink' ? { editor: folder.editor, path, jars: [path] } : undefined;
      }
      if (entry.type === 'symlink' && !(await isFolder(walk, path, entry.type))) return undefined;
      if (entry.type !== 'directory' && entry.type !== 'symlink') return undefined;
      const lib = await listFolder(walk, `${path}/lib`);
      const jars = (lib ?? [])
        .filter((jar) => jar.name.toLowerCase().endsWith('.jar') && (jar.type === 'file' || jar.type === 'symlink'))
        .map((jar) => jar.name);
      if (jars.length === 0) return undefined;
      const ordered = orderPluginJars(entry.name, jars);
      if (ordered.length > MAX_JARS_PER_PLUGIN) {
        walk.note({ path, message: `plugin has ${ordered.length} jars; only the first ${MAX_JARS_PER_PLUGIN} looked into` });
      }
      return { editor: folder.editor, path, jars: ordered.slice(0, MAX_JARS_PER_PLUGIN).map((jar) => `${path}/lib/${jar}`) };
    }),
  );
  return candidates.filter((candidate): candidate is PluginCandidate => candidate !== undefined);
}

async function identifyPlugin(walk: Walk, candidate: PluginCandidate): Promise<{ id: string; version?: string } | undefined> {
  for (const jar of candidate.jars) {
    walk.signal.throwIfAborted();
    const xml = await pluginXmlFromJar(walk, jar);
    if (xml === undefined) continue;
    const parsed = parsePluginXml(xml);
    if (parsed) return parsed;
    walk.note({ path: jar, message: 'META-INF/plugin.xml names no plugin id' });
    return undefined;
  }
  return undefined;
}

async function scanJetbrains(walk: Walk, wanted: ReadonlySet<string>): Promise<ExtensionObservation[]> {
  const folders = await jetbrainsPluginsFolders(walk);
  const candidates = (await Promise.all(folders.map((folder) => pluginCandidates(walk, folder)))).flat();
  walk.signal.throwIfAborted();
  const identified = await mapLimited(candidates, JAR_CONCURRENCY, walk.signal, (candidate) => identifyPlugin(walk, candidate));
  const out: ExtensionObservation[] = [];
  candidates.forEach((candidate, index) => {
    const plugin = identified[index];
    if (!plugin || !wanted.has(plugin.id.toLowerCase())) return;
    const observation: ExtensionObservation = { kind: 'extension', family: 'jetbrains', editor: candidate.editor, id: plugin.id, path: candidate.path };
    if (plugin.version !== undefined) observation.version = plugin.version;
    out.push(observation);
  });
  return out;
}

// ---------------------------------------------------------------------------
// Vim and Neovim
// ---------------------------------------------------------------------------

interface VimFolders {
  editor: string;
  /** Folders whose sub-folders are plugins (lazy.nvim, vim-plug, Vundle and Pathogen). */
  flat: string[];
  /** `pack` folders: plugins are in `pack/<group>/start/<plugin>` and `pack/<group>/opt/<plugin>` (Vim 8 and Neovim packages, packer, mini.deps). */
  packs: string[];
}

function vimFolders(host: Host): VimFolders[] {
  const where = { os: host.os, home: host.home, env: host.env };
  const home = host.home;
  if (host.os === 'windows') {
    const data = expandAnchor('%LOCALAPPDATA%/nvim-data', where)!;
    const config = expandAnchor('%LOCALAPPDATA%/nvim', where)!;
    return [
      { editor: 'Neovim', flat: [`${data}/lazy`, `${data}/plugged`], packs: [`${data}/site/pack`, `${config}/pack`] },
      // Vim reads ~/vimfiles on Windows; Git for Windows' Vim reads ~/.vim.
      { editor: 'Vim', flat: [`${home}/vimfiles/plugged`, `${home}/vimfiles/bundle`, `${home}/.vim/plugged`, `${home}/.vim/bundle`], packs: [`${home}/vimfiles/pack`, `${home}/.vim/pack`] },
    ];
  }
  // Neovim follows XDG on macOS too.
  const data = expandAnchor('$XDG_DATA_HOME/nvim', where)!;
  const config = expandAnchor('$XDG_CONFIG_HOME/nvim', where)!;
  return [
    { editor: 'Neovim', flat: [`${data}/lazy`, `${data}/plugged`], packs: [`${data}/site/pack`, `${config}/pack`] },
    { editor: 'Vim', flat: [`${home}/.vim/plugged`, `${home}/.vim/bundle`], packs: [`${home}/.vim/pack`] },
  ];
}

async function vimPluginsIn(walk: Walk, editor: string, folder: string, wanted: ReadonlySet<string>): Promise<ExtensionObservation[]> {
  const out: ExtensionObservation[] = [];
  for (const entry of (await listFolder(walk, folder)) ?? []) {
    if (!wanted.has(entry.name.toLowerCase())) continue;
    const path = `${folder}/${entry.name}`;
    if (await isFolder(walk, path, entry.type)) out.push({ kind: 'extension', family: 'vim', editor, id: entry.name, path });
  }
  return out;
}

async function scanVim(walk: Walk, wanted: ReadonlySet<string>): Promise<ExtensionObservation[]> {
  const perEditor = await Promise.all(
    vimFolders(walk.host).map(async ({ editor, flat, packs }) => {
      const folders = [...flat];
      for (const pack of packs) {
        for (const group of (await listFolder(walk, pack)) ?? []) {
          if (group.type !== 'directory' && group.type !== 'symlink') continue;
          folders.push(`${pack}/${group.name}/start`, `${pack}/${group.name}/opt`);
        }
      }
      walk.signal.throwIfAborted();
      const found = (await Promise.all(folders.map((folder) => vimPluginsIn(walk, editor, folder, wanted)))).flat();
      // The same plugin reached twice (a pack folder linked to a lazy one) is one plugin.
      const seen = new Set<string>();
      return found.filter((observation) => !seen.has(observation.path) && seen.add(observation.path));
    }),
  );
  return perEditor.flat();
}

// ---------------------------------------------------------------------------
// Zed
// ---------------------------------------------------------------------------

/** Settings whose children are named after providers or agents: the names are the summary. */
const ZED_NAMED_CHILDREN: Record<string, string> = { language_models: 'providers', agent_servers: 'agents' };

/**
 * What a Zed AI setting configures, in a few words: the provider and model
 * of each `*_model` (`default_model.provider anthropic`), and the providers
 * of `language_models`. Nothing else is copied: settings may hold URLs and
 * keys that do not belong in a report.
 */
export function summarizeZedSetting(key: string, value: unknown): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const parts: string[] = [];
  const named = ZED_NAMED_CHILDREN[key];
  if (named !== undefined) {
    const names = Object.keys(value);
    if (names.length > 0) parts.push(`${named} ${names.join(', ')}`);
  }
  const walk = (node: Record<string, unknown>, prefix: string, depth: number): void => {
    for (const [name, child] of Object.entries(node)) {
      if (typeof child === 'string' && (name === 'provider' || name === 'model')) parts.push(`${prefix}${name} ${child}`);
      else if (child && typeof child === 'object' && !Array.isArray(child) && depth < 2) walk(child as Record<string, unknown>, `${prefix}${name}.`, depth + 1);
    }
  };
  if (named === undefined) walk(value as Record<string, unknown>, '', 0);
  if (parts.length === 0) return undefined;
  const summary = parts.join(', ');
  return summary.length > 200 ? `${summary.slice(0, 199)}…` : summary;
}

function zedSettingsPaths(host: Host): string[] {
  const where = { os: host.os, home: host.home, env: host.env };
  if (host.os === 'windows') return [expandAnchor('%APPDATA%/Zed/settings.json', where)!];
  if (host.os === 'macos') return [`${host.home}/.config/zed/settings.json`];
  return [expandAnchor('$XDG_CONFIG_HOME/zed/settings.json', where)!, `${host.home}/.var/app/dev.zed.Zed/config/zed/settings.json`];
}

async function scanZedSettings(walk: Walk, path: string, wanted: ReadonlySet<string>): Promise<ExtensionObservation[]> {
  const text = await readSmallFile(walk, path, ZED_SETTINGS_MAX_BYTES, 'Zed settings');
  if (text === undefined) return [];
  let settings: unknown;
  try {
    settings = parseJsonc(text);
  } catch {
    walk.note({ path, message: 'Zed settings are not valid JSON' });
    return [];
  }
  if (!settings || typeof settings !== 'object' || Array.isArray(settings)) return [];
  const record = settings as Record<string, unknown>;
  // With `disable_ai` Zed hides every AI feature, whatever else is configured.
  if (record.disable_ai === true) {
    walk.note({ path, message: 'Zed AI is turned off (disable_ai); its settings are not reported' });
    return [];
  }
  const out: ExtensionObservation[] = [];
  for (const key of Object.keys(record).sort()) {
    const value = record[key];
    if (!wanted.has(key) || value === null || value === undefined) continue;
    if (value && typeof value === 'object' && (value as { enabled?: unknown }).enabled === false) {
      walk.note({ path, message: `Zed setting ${key} is turned off (enabled: false); not reported` });
      continue;
    }
    const observation: ExtensionObservation = { kind: 'extension', family: 'zed', editor: 'Zed', id: `settings:${key}`, path };
    const detail = summarizeZedSetting(key, value);
    if (detail !== undefined) observation.detail = detail;
    out.push(observation);
  }
  return out;
}

async function scanZed(walk: Walk, wanted: ReadonlySet<string>): Promise<ExtensionObservation[]> {
  return (await Promise.all(zedSettingsPaths(walk.host).map((path) => scanZedSettings(walk, path, wanted)))).flat();
}

// ---------------------------------------------------------------------------

export const editorsScanner: Scanner = {
  name: 'editors',
  budgetMs: EDITORS_BUDGET_MS,
  async scan({ host, probes, signal, note }: ScanContext) {
    const walk: Walk = { host, note, signal };
    const none = async (): Promise<ExtensionObservation[]> => [];
    // A family nobody asks about is not read at all.
    const results = await Promise.all([
      probes.vscodeExtensions.size > 0 ? scanVscode(walk, lowerSet(probes.vscodeExtensions)) : none(),
      probes.jetbrainsPlugins.size > 0 ? scanJetbrains(walk, lowerSet(probes.jetbrainsPlugins)) : none(),
      probes.vimPlugins.size > 0 ? scanVim(walk, lowerSet(probes.vimPlugins)) : none(),
      probes.zedSettings.size > 0 ? scanZed(walk, probes.zedSettings) : none(),
    ]);
    return results.flat();
  },
};
