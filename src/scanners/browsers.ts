/**
 * Browser extensions in Chromium-family (Chrome, Chromium, Edge, Brave,
 * Vivaldi, Arc, Opera) and Firefox profiles. Knows no tool names: it looks
 * only for the extension ids the probes ask for, so a profile's other
 * extensions are never listed or read.
 *
 * Cheap on a crowded profile: per profile, one stat per wanted id
 * (Chromium) or one bounded read of extensions.json (Firefox); a manifest is
 * read only for an extension that is there.
 */
import type { OperatingSystem } from '../catalog/schema.js';
import type { DirEntry, Host } from '../host.js';
import { expandAnchor, toSlashes } from '../patterns.js';
import type { BrowserExtensionObservation, BrowserFamily, Observation } from '../types.js';
import { existingPaths } from './expand.js';
import { baseName, errorCode } from './logical-path.js';
import type { Scanner, ScanContext } from './types.js';

export const BROWSERS_BUDGET_MS = 2000;

/** A Chromium manifest.json is a few KiB; anything past this is not a manifest worth reading. */
export const MANIFEST_MAX_BYTES = 1024 * 1024;
/** `_locales/<lang>/messages.json`, read only to name an extension whose manifest says `__MSG_name__`. */
const MESSAGES_MAX_BYTES = 1024 * 1024;
/** Firefox's extensions.json lists every add-on with its metadata: hundreds of KiB for a busy profile. */
export const FIREFOX_EXTENSIONS_JSON_MAX_BYTES = 8 * 1024 * 1024;
/** Folders looked at per browser data folder when looking for profiles. */
const MAX_PROFILE_CANDIDATES = 200;
const NAME_MAX = 100;

type Note = ScanContext['note'];

interface BrowserRoot {
  browser: string;
  family: BrowserFamily;
  /** The browser's data folder (a path pattern: `~`, `$XDG_CONFIG_HOME`, `%LOCALAPPDATA%` anchors; `*` segments). */
  path: string;
  os: OperatingSystem;
}

const chromium = (os: OperatingSystem, browser: string, path: string): BrowserRoot => ({ browser, family: 'chromium', path, os });
const firefox = (os: OperatingSystem, path: string): BrowserRoot => ({ browser: 'Firefox', family: 'firefox', path, os });
const MAC = '~/Library/Application Support';

/**
 * Where each browser keeps its profiles (the "User Data" folder, whose
 * `Default` and `Profile N` subfolders are profiles; Opera's data folder is
 * itself the profile). From the browsers' documentation of their user data
 * folders (chromium.googlesource.com docs/user_data_dir.md; support pages of
 * Edge, Brave, Vivaldi, Opera, Mozilla). K marks packagings not checked.
 */
export const BROWSER_ROOTS: readonly BrowserRoot[] = [
  chromium('linux', 'Chrome', '$XDG_CONFIG_HOME/google-chrome'),
  chromium('linux', 'Chrome Beta', '$XDG_CONFIG_HOME/google-chrome-beta'),
  chromium('linux', 'Chrome Dev', '$XDG_CONFIG_HOME/google-chrome-unstable'),
  chromium('linux', 'Chromium', '$XDG_CONFIG_HOME/chromium'),
  // K: snap and flatpak packagings keep their own copy.
  chromium('linux', 'Chromium', '~/snap/chromium/common/chromium'),
  chromium('linux', 'Chrome', '~/.var/app/com.google.Chrome/config/google-chrome'),
  chromium('linux', 'Edge', '$XDG_CONFIG_HOME/microsoft-edge'),
  chromium('linux', 'Edge Beta', '$XDG_CONFIG_HOME/microsoft-edge-beta'),
  chromium('linux', 'Edge Dev', '$XDG_CONFIG_HOME/microsoft-edge-dev'),
  chromium('linux', 'Brave', '$XDG_CONFIG_HOME/BraveSoftware/Brave-Browser'),
  chromium('linux', 'Vivaldi', '$XDG_CONFIG_HOME/vivaldi'),
  chromium('linux', 'Opera', '$XDG_CONFIG_HOME/opera'),
  firefox('linux', '~/.mozilla/firefox'),
  // K
  firefox('linux', '~/snap/firefox/common/.mozilla/firefox'),
  firefox('linux', '~/.var/app/org.mozilla.firefox/.mozilla/firefox'),

  chromium('macos', 'Chrome', `${MAC}/Google/Chrome`),
  chromium('macos', 'Chrome Beta', `${MAC}/Google/Chrome Beta`),
  chromium('macos', 'Chrome Canary', `${MAC}/Google/Chrome Canary`),
  chromium('macos', 'Chromium', `${MAC}/Chromium`),
  chromium('macos', 'Edge', `${MAC}/Microsoft Edge`),
  chromium('macos', 'Brave', `${MAC}/BraveSoftware/Brave-Browser`),
  chromium('macos', 'Vivaldi', `${MAC}/Vivaldi`),
  chromium('macos', 'Arc', `${MAC}/Arc/User Data`),
  chromium('macos', 'Opera', `${MAC}/com.operasoftware.Opera`),
  firefox('macos', `${MAC}/Firefox/Profiles`),

  chromium('windows', 'Chrome', '%LOCALAPPDATA%/Google/Chrome/User Data'),
  chromium('windows', 'Chrome Beta', '%LOCALAPPDATA%/Google/Chrome Beta/User Data'),
  chromium('windows', 'Chromium', '%LOCALAPPDATA%/Chromium/User Data'),
  chromium('windows', 'Edge', '%LOCALAPPDATA%/Microsoft/Edge/User Data'),
  chromium('windows', 'Brave', '%LOCALAPPDATA%/BraveSoftware/Brave-Browser/User Data'),
  chromium('windows', 'Vivaldi', '%LOCALAPPDATA%/Vivaldi/User Data'),
  // K: Arc for Windows is an MSIX package.
  chromium('windows', 'Arc', '%LOCALAPPDATA%/Packages/TheBrowserCompany.Arc_*/LocalCache/Local/Arc/User Data'),
  chromium('windows', 'Opera', '%APPDATA%/Opera Software/Opera Stable'),
  firefox('windows', '%APPDATA%/Mozilla/Firefox/Profiles'),
];

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

async function listFolder(host: Host, path: string, note: Note): Promise<DirEntry[] | undefined> {
  try {
    return await host.readdir(path);
  } catch (error) {
    const code = errorCode(error);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') note({ path, message: code === 'ELOOP' ? 'symlink loop' : `folder unreadable (${code})` });
    return undefined;
  }
}

/** A small JSON file, bounded; anything not a regular file, too large or not JSON is noted. */
async function readJson(host: Host, path: string, maxBytes: number, what: string, note: Note): Promise<unknown> {
  const info = await host.stat(path);
  if (!info) return undefined;
  if (info.type !== 'file') {
    note({ path, message: `${what} is not a regular file (${info.type}), not read` });
    return undefined;
  }
  if (info.size > maxBytes) {
    note({ path, message: `${what} over ${maxBytes} bytes (${info.size}), not read` });
    return undefined;
  }
  const text = await host.readTextFile(path, maxBytes);
  if (text === undefined) {
    note({ path, message: `${what} unreadable` });
    return undefined;
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    note({ path, message: `${what} is not valid JSON` });
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Numeric comparison of dotted versions (`1.10.0` > `1.9.3`). */
function compareVersions(a: string, b: string): number {
  const left = a.split(/[._-]/);
  const right = b.split(/[._-]/);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const x = Number(left[i] ?? 0);
    const y = Number(right[i] ?? 0);
    if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      const order = (left[i] ?? '').localeCompare(right[i] ?? '');
      if (order !== 0) return order;
    }
  }
  return 0;
}

// ---------------------------------------------------------------------------
// Chromium family
// ---------------------------------------------------------------------------

/** Chrome names version folders `<version>_<n>` (`1.0.21_0`). */
function folderVersion(name: string): string {
  return name.replace(/_\d+$/, '');
}

/** A `__MSG_key__` name from `_locales/<default_locale>/messages.json`; undefined when it cannot be had cheaply. */
async function localisedName(host: Host, dir: string, manifest: Record<string, unknown>, key: string, note: Note): Promise<string | undefined> {
  const locale = typeof manifest.default_locale === 'string' && /^[\w-]+$/.test(manifest.default_locale) ? manifest.default_locale : undefined;
  if (locale === undefined) return undefined;
  const messages = await readJson(host, `${dir}/_locales/${locale}/messages.json`, MESSAGES_MAX_BYTES, 'messages.json', note);
  if (!isRecord(messages)) return undefined;
  // Message keys are case-insensitive.
  const entry = Object.entries(messages).find(([name]) => name.toLowerCase() === key.toLowerCase())?.[1];
  return isRecord(entry) && typeof entry.message === 'string' && entry.message.trim() !== '' ? entry.message.trim() : undefined;
}

async function chromiumExtension(
  host: Host,
  root: BrowserRoot,
  profile: string,
  id: string,
  note: Note,
): Promise<BrowserExtensionObservation | undefined> {
  const extensionDir = `${profile}/Extensions/${id}`;
  const listing = await listFolder(host, extensionDir, note);
  if (!listing) return undefined;
  const versions = listing
    .filter((entry) => entry.type === 'directory' && entry.name !== 'Temp' && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort((a, b) => compareVersions(folderVersion(b), folderVersion(a)));
  const newest = versions[0];
  if (newest === undefined) return undefined;
  const dir = `${extensionDir}/${newest}`;
  const observation: BrowserExtensionObservation = {
    kind: 'browser-extension',
    family: 'chromium',
    browser: root.browser,
    profile: baseName(profile),
    id,
    version: folderVersion(newest),
    path: dir,
  };
  const manifest = await readJson(host, `${dir}/manifest.json`, MANIFEST_MAX_BYTES, 'manifest.json', note);
  if (!isRecord(manifest)) return observation;
  if (typeof manifest.version === 'string' && manifest.version !== '') observation.version = cut(manifest.version, 40);
  if (typeof manifest.name === 'string' && manifest.name.trim() !== '') {
    const message = /^__MSG_(\w+)__$/.exec(manifest.name.trim());
    const name = message ? await localisedName(host, dir, manifest, message[1]!, note) : manifest.name.trim();
    if (name !== undefined) observation.name = cut(name, NAME_MAX);
  }
  return observation;
}

/** The profiles of a Chromium data folder: itself (Opera) and each subfolder, when it holds an Extensions folder. */
async function chromiumProfiles(host: Host, dataDir: string, note: Note): Promise<string[]> {
  const listing = await listFolder(host, dataDir, note);
  if (!listing) return [];
  const candidates = [
    dataDir,
    ...listing
      .filter((entry) => entry.type === 'directory')
      .map((entry) => entry.name)
      .sort()
      .slice(0, MAX_PROFILE_CANDIDATES)
      .map((name) => `${dataDir}/${name}`),
  ];
  const found: string[] = [];
  for (const candidate of candidates) {
    if ((await host.lstat(`${candidate}/Extensions`))?.type === 'directory') found.push(candidate);
  }
  return found;
}

async function scanChromium(host: Host, root: BrowserRoot, dataDir: string, wanted: ReadonlySet<string>, signal: AbortSignal, note: Note) {
  const found: BrowserExtensionObservation[] = [];
  for (const profile of await chromiumProfiles(host, dataDir, note)) {
    for (const id of wanted) {
      signal.throwIfAborted();
      // Store ids are 32 letters a-p; anything else cannot name a folder Chrome made.
      if (!/^[a-p]{32}$/.test(id)) continue;
      const extension = await chromiumExtension(host, root, profile, id, note);
      if (extension) found.push(extension);
    }
  }
  return found;
}

// ---------------------------------------------------------------------------
// Firefox
// ---------------------------------------------------------------------------

interface FirefoxAddon {
  id: string;
  version?: string;
  name?: string;
  path?: string;
}

function firefoxAddons(doc: unknown): FirefoxAddon[] {
  if (!isRecord(doc) || !Array.isArray(doc.addons)) return [];
  const addons: FirefoxAddon[] = [];
  for (const item of doc.addons) {
    if (!isRecord(item) || typeof item.id !== 'string' || item.id === '') continue;
    if (item.type !== undefined && item.type !== 'extension') continue;
    const addon: FirefoxAddon = { id: item.id };
    if (typeof item.version === 'string') addon.version = cut(item.version, 40);
    const locale = item.defaultLocale;
    if (isRecord(locale) && typeof locale.name === 'string' && locale.name.trim() !== '') addon.name = cut(locale.name.trim(), NAME_MAX);
    if (typeof item.path === 'string' && item.path !== '') addon.path = toSlashes(item.path);
    addons.push(addon);
  }
  return addons;
}

async function scanFirefox(host: Host, root: BrowserRoot, profilesDir: string, wanted: ReadonlySet<string>, signal: AbortSignal, note: Note) {
  const listing = await listFolder(host, profilesDir, note);
  if (!listing) return [];
  const found: BrowserExtensionObservation[] = [];
  const profiles = listing
    .filter((entry) => entry.type === 'directory')
    .map((entry) => entry.name)
    .sort()
    .slice(0, MAX_PROFILE_CANDIDATES);
  for (const name of profiles) {
    signal.throwIfAborted();
    const profile = `${profilesDir}/${name}`;
    const observe = (id: string, path: string, addon?: FirefoxAddon): BrowserExtensionObservation => ({
      kind: 'browser-extension',
      family: 'firefox',
      browser: root.browser,
      profile: name,
      id,
      path,
      ...(addon?.name === undefined ? {} : { name: addon.name }),
      ...(addon?.version === undefined ? {} : { version: addon.version }),
    });
    const listed = firefoxAddons(await readJson(host, `${profile}/extensions.json`, FIREFOX_EXTENSIONS_JSON_MAX_BYTES, 'extensions.json', note));
    const seen = new Set<string>();
    for (const addon of listed) {
      if (!wanted.has(addon.id.toLowerCase())) continue;
      seen.add(addon.id.toLowerCase());
      found.push(observe(addon.id, addon.path ?? `${profile}/extensions/${addon.id}.xpi`, addon));
    }
    // Without a readable extensions.json (Firefox not started since the install), the .xpi file still says it is there.
    for (const id of wanted) {
      if (seen.has(id) || /[/\\]/.test(id)) continue;
      const xpi = `${profile}/extensions/${id}.xpi`;
      if ((await host.lstat(xpi))?.type === 'file') found.push(observe(id, xpi));
    }
  }
  return found;
}

// ---------------------------------------------------------------------------
// Scanner
// ---------------------------------------------------------------------------

export const browsersScanner: Scanner = {
  name: 'browsers',
  budgetMs: BROWSERS_BUDGET_MS,
  async scan({ host, probes, signal, note }: ScanContext): Promise<Observation[]> {
    const wanted = probes.browserExtensions;
    const roots = BROWSER_ROOTS.filter((root) => root.os === host.os && (root.family === 'chromium' ? wanted.chromium : wanted.firefox).size > 0);
    const perRoot = await Promise.all(
      roots.map(async (root) => {
        const expanded = expandAnchor(root.path, { os: host.os, home: host.home, env: host.env });
        if (expanded === undefined) return [];
        const dirs = (await existingPaths(host, expanded, note)) ?? [];
        const found: BrowserExtensionObservation[] = [];
        for (const dir of dirs) {
          found.push(
            ...(root.family === 'chromium'
              ? await scanChromium(host, root, dir, wanted.chromium, signal, note)
              : await scanFirefox(host, root, dir, wanted.firefox, signal, note)),
          );
        }
        return found;
      }),
    );
    return perRoot.flat();
  },
};
