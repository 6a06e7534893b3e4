/**
 * One catalog entry → the osquery SELECTs that find it on each platform, and
 * the signatures osquery's tables cannot express (with why). Each SELECT
 * returns one row per trace of the tool, with the tool's id in `tool`. Pure.
 *
 * Tables and columns are osquery's documented schema (osquery/specs/*.table):
 *   processes (name, path, cmdline), npm_packages (name, version, path),
 *   python_packages (name, version, path), homebrew_packages (name, type,
 *   version, path; macOS), deb_packages and rpm_packages (name, version;
 *   Linux), chocolatey_packages (name, version, path; Windows),
 *   vscode_extensions (name = the extension id, uid; per user, so joined
 *   with users), chrome_extensions and firefox_addons (identifier, name,
 *   version, path, uid; per user, joined with users), apps (name,
 *   bundle_identifier; macOS), programs (name; Windows), and file (path; a
 *   path constraint is required, so home folders come from users.directory).
 */
import type { ToolEntry } from '../catalog/schema.js';
import { normalizePipName } from '../scanners/probes.js';
import { BROWSERS_OSQUERY_MISSES, OSQUERY_BROWSERS } from './browsers.js';
import { aiToolsProbe, fleetdGaps } from './fleetd.js';
import {
  filePath,
  globLiteral,
  pathGlobs,
  placePattern,
  regexToGlob,
  separatorOf,
  sqlList,
  sqlString,
  type Platform,
  PLATFORMS,
} from './sql.js';

export type Source =
  | 'processes'
  | 'npm_packages'
  | 'python_packages'
  | 'homebrew_packages'
  | 'deb_packages'
  | 'rpm_packages'
  | 'chocolatey_packages'
  | 'vscode_extensions'
  | 'chrome_extensions'
  | 'firefox_addons'
  | 'apps'
  | 'programs'
  | 'file'
  | 'ai_tools';

export interface Probe {
  source: Source;
  platform: Platform;
  /** A SELECT with one row per trace found; the `tool` column holds the tool's id. */
  sql: string;
  /** What a row is, in words (for query descriptions). */
  what: string;
}

/** Signatures osquery cannot check, and why. */
export interface Gap {
  what: string;
  values: string[];
  reason: string;
}

export interface ToolProbes {
  probes: Probe[];
  gaps: Gap[];
}

/** The catalog's OS names for osquery's platforms. */
const CATALOG_OS: Record<Platform, 'macos' | 'linux' | 'windows'> = { darwin: 'macos', linux: 'linux', windows: 'windows' };

const lower = (s: string) => s.toLowerCase();
const uniqueSorted = (values: Iterable<string>) => [...new Set(values)].sort();

/** `cond1\n   OR cond2`: one condition a line, so a long query stays readable. */
function anyOf(conditions: readonly string[]): string {
  return [...new Set(conditions)].join('\n   OR ');
}

function select(tool: ToolEntry, columns: string, from: string, where: string): string {
  return `SELECT ${sqlString(tool.id)} AS tool, ${columns}\nFROM ${from}\nWHERE ${where}`;
}

// ---------------------------------------------------------------------------
// processes
// ---------------------------------------------------------------------------

/** Programs whose script argument aitool reads (src/scanners/processes.ts). */
const INTERPRETERS = ['node', 'nodejs', 'bun', 'deno'];

/** The patterns whose paths prove a process is the tool (as src/match/compile.ts builds them). */
function proofPatterns(tool: ToolEntry): string[] {
  const { packages, processes, installPaths } = tool.signatures;
  return [
    ...(packages?.npm ?? []).map((name) => `node_modules/${name}/**`),
    // pipx and uv keep one virtual environment per tool, named after the package.
    ...(packages?.pip ?? []).flatMap((name) => [`venvs/${name}/**`, `uv/tools/${name}/**`]),
    ...(installPaths ?? []),
    ...(processes?.paths ?? []),
    ...(processes?.sdkPaths ?? []),
  ];
}

/** Names aitool matches a process by: process names and executable names, less those other programs share. */
export function unambiguousNames(tool: ToolEntry): string[] {
  const { processes, executables } = tool.signatures;
  const ambiguous = new Set([...(processes?.ambiguousNames ?? []), ...(executables ?? []).filter((e) => e.ambiguous).map((e) => e.name)].map(lower));
  return uniqueSorted([...(processes?.names ?? []), ...(executables ?? []).map((e) => e.name)].map(lower)).filter((n) => !ambiguous.has(n));
}

function processProbe(tool: ToolEntry, platform: Platform, argGlobs: readonly string[]): Probe | undefined {
  const windows = platform === 'windows';
  const sep = separatorOf(platform);
  // Windows paths ignore case, so they are compared lower-cased; elsewhere a case difference is another file.
  const path = windows ? 'lower(p.path)' : 'p.path';
  const cmdline = windows ? 'lower(p.cmdline)' : 'p.cmdline';
  const conditions: string[] = [];

  const names = unambiguousNames(tool);
  if (names.length > 0) {
    conditions.push(`lower(p.name) IN ${sqlList(windows ? names.flatMap((n) => [n, `${n}.exe`]) : names)}`);
    // Linux cuts a process's name (comm) to 15 bytes; the executable's file name is whole.
    for (const n of names) conditions.push(`lower(p.path) GLOB ${sqlString(`*${sep}${globLiteral(n)}${windows ? '.exe' : ''}`)}`);
    // A script CLI runs as `node /usr/local/bin/gemini` or `python -m aider`: aitool reads the
    // interpreter's script argument; osquery has the command line as one string, so any
    // argument whose file name is the tool's name counts.
    // A module is matched by its first dotted part, so a name with a dot is never a module.
    const scripts = names.flatMap((n) => [
      `* *${sep}${globLiteral(n)} *`,
      ...(n.includes('.') ? [] : [`* -m ${globLiteral(n)} *`, `* -m ${globLiteral(n)}.*`]),
    ]);
    const interpreter = `(lower(p.name) IN ${sqlList(windows ? INTERPRETERS.map((n) => `${n}.exe`) : INTERPRETERS)} OR lower(p.name) GLOB 'python*')`;
    conditions.push(`(${interpreter} AND (${scripts.map((g) => `(' ' || lower(p.cmdline) || ' ') GLOB ${sqlString(g)}`).join(' OR ')}))`);
  }

  // Paths that prove the tool: its package or install folder, as the executable or as the script in the command line.
  for (const pattern of proofPatterns(tool)) {
    const placed = placePattern(pattern, platform);
    if (!placed) continue;
    const { self, inside } = pathGlobs(placed, platform);
    conditions.push(`${path} GLOB ${sqlString(self)}`, `${path} GLOB ${sqlString(inside)}`, `${cmdline} GLOB ${sqlString(`*${inside.replace(/^\*/, '')}`)}`);
  }

  // The tool's own flags and files on a command line prove it, whatever the process is called.
  for (const glob of argGlobs) conditions.push(`p.cmdline GLOB ${sqlString(glob)}`);

  if (conditions.length === 0) return undefined;
  return {
    source: 'processes',
    platform,
    sql: select(tool, 'p.pid, p.name, p.path, p.cmdline', 'processes p', anyOf(conditions)),
    what: 'running processes of the tool (by process or executable name, install path, or its own command-line flags)',
  };
}

// ---------------------------------------------------------------------------
// packages, extensions, apps
// ---------------------------------------------------------------------------

function packageProbes(tool: ToolEntry, platform: Platform): Probe[] {
  const p = tool.signatures.packages ?? {};
  const probes: Probe[] = [];
  if (p.npm?.length) {
    probes.push({
      source: 'npm_packages',
      platform,
      sql: select(tool, 'n.name, n.version, n.path', 'npm_packages n', `n.name IN ${sqlList(p.npm)}`),
      what: `npm packages ${p.npm.join(', ')} (in the global node_modules folders osquery reads)`,
    });
  }
  if (p.pip?.length) {
    // pip names compare normalised (PEP 503): case, `_` and `.` do not matter.
    probes.push({
      source: 'python_packages',
      platform,
      sql: select(
        tool,
        'y.name, y.version, y.path',
        'python_packages y',
        `lower(replace(replace(y.name, '_', '-'), '.', '-')) IN ${sqlList(p.pip.map(normalizePipName))}`,
      ),
      what: `Python packages ${p.pip.join(', ')} (in the site-packages folders osquery reads)`,
    });
  }
  if (platform === 'darwin' && (p.brew?.length || p.brewCask?.length)) {
    // Formulae and casks are separate namespaces: a formula named like a cask is another thing.
    const kinds = [
      ...(p.brew?.length ? [`(b.type = 'formula' AND b.name IN ${sqlList(p.brew)})`] : []),
      ...(p.brewCask?.length ? [`(b.type = 'cask' AND b.name IN ${sqlList(p.brewCask)})`] : []),
    ];
    probes.push({
      source: 'homebrew_packages',
      platform,
      sql: select(tool, 'b.name, b.type, b.version, b.path', 'homebrew_packages b', anyOf(kinds)),
      what: `Homebrew ${[...(p.brew ?? []).map((n) => `formula ${n}`), ...(p.brewCask ?? []).map((n) => `cask ${n}`)].join(', ')}`,
    });
  }
  if (platform === 'linux' && p.deb?.length) {
    probes.push({
      source: 'deb_packages',
      platform,
      sql: select(tool, 'd.name, d.version', 'deb_packages d', `d.name IN ${sqlList(p.deb)}`),
      what: `Debian packages ${p.deb.join(', ')}`,
    });
  }
  if (platform === 'linux' && p.rpm?.length) {
    probes.push({
      source: 'rpm_packages',
      platform,
      sql: select(tool, 'r.name, r.version', 'rpm_packages r', `r.name IN ${sqlList(p.rpm)}`),
      what: `RPM packages ${p.rpm.join(', ')}`,
    });
  }
  if (platform === 'windows' && p.choco?.length) {
    probes.push({
      source: 'chocolatey_packages',
      platform,
      sql: select(tool, 'c.name, c.version, c.path', 'chocolatey_packages c', `lower(c.name) IN ${sqlList(p.choco.map(lower))}`),
      what: `Chocolatey packages ${p.choco.join(', ')}`,
    });
  }
  return probes;
}

function extensionProbe(tool: ToolEntry, platform: Platform): Probe | undefined {
  const ids = tool.signatures.vscodeExtensions ?? [];
  if (ids.length === 0) return undefined;
  // Extension ids ignore case; they are compared whole, so `a.b` never matches `a.bc` or `aXb`.
  return {
    source: 'vscode_extensions',
    platform,
    sql: select(tool, 'u.username, e.name, e.version, e.path', 'users u CROSS JOIN vscode_extensions e USING (uid)', `lower(e.name) IN ${sqlList(ids.map(lower))}`),
    what: `VS Code extensions ${ids.join(', ')} (of every user, in the editors osquery reads)`,
  };
}

/**
 * Browser extensions by id, in the profiles osquery reads (its
 * chrome_extensions table covers the Chromium family; the columns used are
 * those every osquery version since 2.x has).
 */
function browserExtensionProbes(tool: ToolEntry, platform: Platform): Probe[] {
  const chromium = tool.signatures.browserExtensions?.chromium ?? [];
  const firefox = tool.signatures.browserExtensions?.firefox ?? [];
  const probes: Probe[] = [];
  if (chromium.length > 0) {
    probes.push({
      source: 'chrome_extensions',
      platform,
      sql: select(tool, 'u.username, c.profile, c.identifier, c.name, c.version, c.path', 'users u CROSS JOIN chrome_extensions c USING (uid)', `lower(c.identifier) IN ${sqlList(chromium.map(lower))}`),
      what: `browser extensions ${chromium.join(', ')} (Chromium-family profiles of every user)`,
    });
  }
  if (firefox.length > 0) {
    probes.push({
      source: 'firefox_addons',
      platform,
      sql: select(tool, 'u.username, f.identifier, f.name, f.version, f.path', 'users u CROSS JOIN firefox_addons f USING (uid)', `lower(f.identifier) IN ${sqlList(firefox.map(lower))}`),
      what: `Firefox add-ons ${firefox.join(', ')} (of every user)`,
    });
  }
  return probes;
}

function appProbe(tool: ToolEntry, platform: Platform): Probe | undefined {
  const apps = tool.signatures.apps;
  if (platform === 'darwin') {
    const names = apps?.macos?.bundleNames ?? [];
    const ids = apps?.macos?.bundleIds ?? [];
    if (names.length === 0 && ids.length === 0) return undefined;
    const conditions = [
      ...(names.length ? [`lower(a.name) IN ${sqlList(names.map(lower))}`] : []),
      ...(ids.length ? [`lower(a.bundle_identifier) IN ${sqlList(ids.map(lower))}`] : []),
    ];
    return {
      source: 'apps',
      platform,
      sql: select(tool, 'a.name, a.path, a.bundle_identifier, a.bundle_short_version', 'apps a', anyOf(conditions)),
      what: `macOS apps ${[...names, ...ids].join(', ')}`,
    };
  }
  if (platform === 'windows') {
    const names = apps?.windows?.displayNames ?? [];
    if (names.length === 0) return undefined;
    // Installers append a scope, an architecture or a version to the name they register
    // (`Windsurf (User)`, `Ollama version 0.12.3`); aitool compares the name without them.
    const conditions = names.map(lower).flatMap((n) => {
      const g = globLiteral(n);
      return [`lower(w.name) = ${sqlString(n)}`, ...[`${g} (*`, `${g} [0-9]*`, `${g} v[0-9]*`, `${g} version [0-9]*`, `${g} - [0-9]*`].map((glob) => `lower(w.name) GLOB ${sqlString(glob)}`)];
    });
    return {
      source: 'programs',
      platform,
      sql: select(tool, 'w.name, w.version, w.publisher', 'programs w', anyOf(conditions)),
      what: `installed programs named ${names.join(', ')}`,
    };
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// files: home traces, install folders, app folders, desktop files, snaps, flatpaks, Linuxbrew
// ---------------------------------------------------------------------------

/** Where aitool looks for AppImages (src/scanners/apps.ts), home-relative or absolute. */
const APPIMAGE_FOLDERS = ['~/Applications', '~/Downloads', '~/.local/bin', '~/AppImages', '/opt'];
/** Where .desktop files are (src/scanners/apps.ts), at their default places. */
const DESKTOP_FOLDERS = [
  '/usr/share/applications',
  '/usr/local/share/applications',
  '~/.local/share/applications',
  '/var/lib/snapd/desktop/applications',
  '/var/lib/flatpak/exports/share/applications',
  '~/.local/share/flatpak/exports/share/applications',
];
/** Linux Homebrew prefixes aitool reads (src/scanners/packages.ts); osquery's homebrew_packages is macOS-only. */
const LINUXBREW_PREFIXES = ['/home/linuxbrew/.linuxbrew', '~/.linuxbrew'];

interface FileTargets {
  /** SQL expressions for exact paths (may use `u.directory`). */
  exact: string[];
  /** SQL expressions for LIKE patterns (may use `u.directory`). */
  like: string[];
  /** Patterns with no place on disk to look (unanchored), for the gaps. */
  unplaced: string[];
}

function addPattern(targets: FileTargets, pattern: string, platform: Platform): void {
  const placed = placePattern(pattern, platform);
  if (!placed) return;
  const path = filePath(placed, platform);
  if (!path) targets.unplaced.push(pattern);
  else (path.like ? targets.like : targets.exact).push(path.expr);
}

function fileTargets(tool: ToolEntry, platform: Platform): FileTargets {
  const s = tool.signatures;
  const targets: FileTargets = { exact: [], like: [], unplaced: [] };
  const add = (pattern: string) => addPattern(targets, pattern, platform);
  for (const home of s.home ?? []) if (!home.os || home.os.includes(CATALOG_OS[platform])) add(home.path);
  for (const pattern of s.installPaths ?? []) add(pattern);
  if (platform === 'windows') for (const pattern of s.apps?.windows?.paths ?? []) add(pattern);
  if (platform === 'linux') {
    for (const pattern of s.apps?.linux?.paths ?? []) {
      const placed = placePattern(pattern, platform);
      // An unanchored app path is an AppImage's file name, found in the folders users keep them in.
      if (placed?.anchor === 'anywhere') for (const folder of APPIMAGE_FOLDERS) add(`${folder}/${placed.rest}`);
      else add(pattern);
    }
    for (const file of s.apps?.linux?.desktopFiles ?? []) for (const folder of DESKTOP_FOLDERS) add(`${folder}/${file}`);
    for (const name of s.packages?.snap ?? []) add(`/snap/${name}`);
    for (const id of s.packages?.flatpak ?? []) for (const root of ['/var/lib/flatpak/app', '~/.local/share/flatpak/app']) add(`${root}/${id}`);
    for (const prefix of LINUXBREW_PREFIXES) {
      for (const name of s.packages?.brew ?? []) add(`${prefix}/Cellar/${name}`);
      for (const name of s.packages?.brewCask ?? []) add(`${prefix}/Caskroom/${name}`);
    }
  }
  return targets;
}

/** One CTE row source per path: users' home folders (one row each, duplicates merged) or a fixed path. */
function pathRows(expressions: readonly string[]): string {
  return uniqueSorted(expressions)
    .map((expr) => (expr.includes('u.directory') ? `SELECT ${expr} FROM users u` : `SELECT ${expr}`))
    .join('\n  UNION ');
}

function fileProbe(tool: ToolEntry, platform: Platform, targets: FileTargets): Probe | undefined {
  if (targets.exact.length === 0 && targets.like.length === 0) return undefined;
  // osquery's file table needs its path in the query: each wanted path (or LIKE pattern) is a
  // row of a CTE, and CROSS JOIN makes osquery look each one up, as with users.directory.
  const ctes: string[] = [];
  const selects: string[] = [];
  const id = sqlString(tool.id);
  if (targets.exact.length > 0) {
    ctes.push(`wanted(path) AS (\n  ${pathRows(targets.exact)}\n)`);
    selects.push(`SELECT ${id} AS tool, f.path, f.type, f.mtime\nFROM wanted w CROSS JOIN file f\nWHERE f.path = w.path`);
  }
  if (targets.like.length > 0) {
    ctes.push(`patterns(pattern) AS (\n  ${pathRows(targets.like)}\n)`);
    selects.push(`SELECT ${id} AS tool, f.path, f.type, f.mtime\nFROM patterns q CROSS JOIN file f\nWHERE f.path LIKE q.pattern`);
  }
  return {
    source: 'file',
    platform,
    sql: `WITH ${ctes.join(',\n')}\n${selects.join('\nUNION ALL\n')}`,
    what: "files and folders the tool leaves (in users' home folders, install and app folders)",
  };
}

// ---------------------------------------------------------------------------
// gaps
// ---------------------------------------------------------------------------

/** The signature kinds this file knows; any other (a kind added to the catalog later) is reported as not exported. */
const KNOWN_SIGNATURES = new Set([
  'executables',
  'processes',
  'packages',
  'installPaths',
  'vscodeExtensions',
  'jetbrainsPlugins',
  'vimPlugins',
  'zedSettings',
  'apps',
  'home',
  'repo',
  'env',
  'fileMarkers',
  'mcpConfigs',
  'commits',
  'skillFolders',
  'browserExtensions',
]);
const KNOWN_PACKAGES = new Set(['npm', 'pip', 'brew', 'brewCask', 'cargo', 'go', 'deb', 'rpm', 'snap', 'flatpak', 'winget', 'choco']);

/** A signature value in words: a string as is, an object by its first naming field. */
function valueWords(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of ['id', 'name', 'path', 'package', 'pattern']) if (typeof record[key] === 'string') return record[key] as string;
  }
  return JSON.stringify(value);
}

/** Signature kinds the export has no query for yet, so they are said, not silently dropped. */
function unknownSignatureGaps(tool: ToolEntry): Gap[] {
  const gaps: Gap[] = [];
  const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(valueWords) : value && typeof value === 'object' ? Object.values(value).flatMap(list) : [valueWords(value)]);
  for (const [kind, value] of Object.entries(tool.signatures as Record<string, unknown>)) {
    if (KNOWN_SIGNATURES.has(kind) || value === undefined) continue;
    const values = list(value);
    if (values.length > 0) gaps.push({ what: `${kind} signatures`, values: uniqueSorted(values), reason: 'aitool export has no query for this kind of signature yet' });
  }
  for (const [manager, names] of Object.entries((tool.signatures.packages ?? {}) as Record<string, unknown>)) {
    if (KNOWN_PACKAGES.has(manager) || !Array.isArray(names) || names.length === 0) continue;
    gaps.push({ what: `${manager} packages`, values: uniqueSorted(names.map(valueWords)), reason: 'aitool export has no query for this package manager yet' });
  }
  return gaps;
}

function gapsOf(tool: ToolEntry, untranslatable: readonly string[], unplaced: readonly string[], fleetd: boolean): Gap[] {
  const s = tool.signatures;
  const p = s.packages ?? {};
  const gaps: Gap[] = [];
  const gap = (what: string, values: readonly string[] | undefined, reason: string) => {
    if (values && values.length > 0) gaps.push({ what, values: uniqueSorted(values), reason });
  };
  gap('executables on PATH', s.executables?.map((e) => e.name), "osquery has no view of a user's PATH; running ones are caught by the process query");
  gap('command-line patterns', untranslatable, 'GLOB cannot express these regular expressions');
  gap('JetBrains plugins', s.jetbrainsPlugins, "osquery's jetbrains_plugins table has no plugin id column (only name, vendor and path)");
  gap('Vim/Neovim plugins', s.vimPlugins, 'no osquery table lists Vim or Neovim plugins');
  gap('Zed settings', s.zedSettings, "osquery does not read keys inside Zed's settings.json");
  gap('MCP server configurations', s.mcpConfigs?.map((c) => c.path), "osquery's tables do not parse MCP configuration files");
  gap('repository files', s.repo, 'osquery does not know where repositories are checked out');
  gap('agent skills folders', s.skillFolders, "osquery's tables do not read SKILL.md files, and repository folders are unknown to it");
  gap(
    BROWSERS_OSQUERY_MISSES,
    [...(s.browserExtensions?.chromium ?? []), ...(s.browserExtensions?.firefox ?? [])],
    `${OSQUERY_BROWSERS}: the same extension in Arc, Comet, Dia, Edge on Linux or another Chromium or Gecko browser is not seen`,
  );
  gap('environment markers', s.env?.map((e) => e.name), "they are set only inside the tool's sessions, where aitool reads them; osquery finds the tool's process instead");
  gap('profile and git config lines', s.fileMarkers?.map((m) => `${m.path} =~ /${m.pattern}/`), "osquery's stock tables do not read lines of a file");
  gap('commit trailers', s.commits?.map((c) => c.pattern), 'commit messages are not on the host');
  gap('cargo packages', p.cargo, 'no osquery table lists cargo installs');
  gap('go packages', p.go, 'no osquery table lists go installs');
  gap('winget packages', p.winget, 'no osquery table lists winget installs');
  gap('paths with no fixed place', unplaced, 'osquery can only look at a path it is given, and these match anywhere');
  gaps.push(...unknownSignatureGaps(tool));
  if (!fleetd) return gaps;
  // fleetd's ai_tools reaches some of these kinds: its own account of what remains replaces osquery's.
  const withFleetd = fleetdGaps(tool, unambiguousNames(tool), PLATFORMS);
  const at = gaps.findIndex((g) => withFleetd.covered.has(g.what));
  const rest = gaps.filter((g) => !withFleetd.covered.has(g.what));
  rest.splice(at === -1 ? 0 : at, 0, ...withFleetd.gaps);
  return rest;
}

// ---------------------------------------------------------------------------

export interface ProbeOptions {
  /** The hosts run fleetd, so its ai_tools table may be queried too. */
  fleetd?: boolean;
}

/** Every probe for a tool on every platform, and what osquery (with fleetd's table, when asked) cannot check. */
export function probesFor(tool: ToolEntry, options: ProbeOptions = {}): ToolProbes {
  const fleetd = options.fleetd === true;
  const argGlobs: string[] = [];
  const untranslatable: string[] = [];
  for (const source of tool.signatures.processes?.args ?? []) {
    const glob = regexToGlob(source);
    if (glob === undefined) untranslatable.push(source);
    else argGlobs.push(glob);
  }
  const probes: Probe[] = [];
  const unplaced = new Set<string>();
  for (const platform of PLATFORMS) {
    const targets = fileTargets(tool, platform);
    for (const pattern of targets.unplaced) unplaced.add(pattern);
    probes.push(
      ...[
        processProbe(tool, platform, argGlobs),
        ...packageProbes(tool, platform),
        extensionProbe(tool, platform),
        ...browserExtensionProbes(tool, platform),
        appProbe(tool, platform),
        fileProbe(tool, platform, targets),
        fleetd ? aiToolsProbe(tool, platform, unambiguousNames(tool), proofPatterns(tool)) : undefined,
      ].filter((probe): probe is Probe => probe !== undefined),
    );
  }
  return { probes, gaps: gapsOf(tool, untranslatable, [...unplaced], fleetd) };
}
