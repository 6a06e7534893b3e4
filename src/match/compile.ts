/**
 * The catalog (built-in plus a policy's custom tools) prepared for one host:
 * path patterns compiled for its OS and home, names lower-cased, and an index
 * from each exact key (a package, an extension id, an app bundle, a config
 * file) to the tools that claim it. Built once per run; pure.
 */
import type { OperatingSystem, ToolEntry } from '../catalog/schema.js';
import { UserError } from '../errors.js';
import { compileUserPattern, type TextPattern, UnsupportedPatternError } from '../regex.js';
import { compilePathPattern, type CompiledPathPattern, type PatternEnvironment } from '../patterns.js';
import { PathIndex, type PathIndexData } from './path-index.js';
import { normalizePipName, probesFor, probeStateData, restoreProbeState } from '../scanners/probes.js';
import type { Probes } from '../scanners/types.js';
import type { InstallMethod, PackageManager } from '../types.js';

export interface PathProof {
  pattern: CompiledPathPattern;
  method: InstallMethod;
  /** Words for the evidence (`npm package @openai/codex`). */
  label: string;
  /** For package proofs: the package name, to pick its version from the observation's packages. */
  packageName?: string;
}

/**
 * Where a tool is defined: the built-in catalog, the managed policy, or a
 * policy layer below it (user, project, --policy). It decides which engine
 * runs the tool's patterns and whether a confirmed match of it may stand in
 * for another tool's name-only guess (see ./index.ts).
 */
export type ToolSource = 'catalog' | 'managed' | 'lower';

export interface CompiledTool {
  entry: ToolEntry;
  source: ToolSource;
  proofs: PathProof[];
  processNames: Set<string>;
  ambiguousProcessNames: Set<string>;
  executableNames: Map<string, { ambiguous: boolean }>;
  args: TextPattern[];
  /** Desktop-app install paths for this OS (Linux and Windows). */
  appPaths: CompiledPathPattern[];
  /** Environment markers: a variable, the value it must have, whether it is weak, and whose environment it marks (the tool's children, or the tool itself). */
  env: Array<{ name: string; value?: TextPattern; weak: boolean; marks: 'spawned' | 'self' }>;
  /** Command lines of the tool's children that vouch for their parent. */
  childArgs: TextPattern[];
  /** Folders whose open files prove the tool. */
  openFiles: CompiledPathPattern[];
  /** Commit lines and authors the tool writes (case-insensitive, per line). */
  commits: Array<{ regex: TextPattern; source: string; in: 'message' | 'author' | 'committer' }>;
}

export interface CompiledCatalog {
  tools: CompiledTool[];
  byId: Map<string, CompiledTool>;
  /** Exact keys (see `key`) → the tools that claim them. */
  index: Map<string, CompiledTool[]>;
  probes: Probes;
  /** The candidate lookups of the first `count` tools, made at build time (./candidates.ts adds the rest). */
  lookup?: { data: PrecompiledLookup; count: number };
}

/**
 * What ./candidates.ts looks tools up by, for the built-in catalog on one OS,
 * made at build time: names, marker names, the command-line patterns that
 * share one expression, and what each path pattern cannot match without
 * (RequiredText, without the anchor's segments, which depend on the home
 * folder and the environment). Positions are the tools' places in the
 * catalog. JSON-safe.
 */
export interface PrecompiledLookup {
  names: Array<[string, number[]]>;
  env: Array<[string, number[]]>;
  args: PrecompiledGate;
  childArgs: PrecompiledGate;
  proofs: PathIndexData<number>;
  openFiles: PathIndexData<number>;
  appPaths: PathIndexData<number>;
}

/** Command-line patterns across tools: the sources of the combinable ones (one expression), and which tools are behind it or outside it. */
export interface PrecompiledGate {
  sources: string[];
  gated: number[];
  ungated: number[];
}

/** Package managers that install from the same registry share one namespace of names. */
const REGISTRY: Record<PackageManager, string> = {
  npm: 'npm', pnpm: 'npm', yarn: 'npm', bun: 'npm', npx: 'npm',
  pip: 'pip', pipx: 'pip', uv: 'pip',
  brew: 'brew', 'brew-cask': 'brew-cask', cargo: 'cargo', go: 'go', deb: 'deb', rpm: 'rpm', native: 'native',
};

/** Index keys, one builder per kind of thing a scanner reports. */
export const key = {
  trace: (pattern: string) => `trace\0${pattern}`,
  /** `name` as the manager reports it; pip names are normalised, go modules are matched by their binary name. */
  package: (manager: PackageManager, name: string) => {
    const registry = REGISTRY[manager];
    const normalized = registry === 'pip' ? normalizePipName(name) : registry === 'go' ? name.split('/').at(-1)! : name;
    return `package\0${registry}\0${normalized}`;
  },
  snap: (name: string) => `snap\0${name}`,
  flatpak: (id: string) => `flatpak\0${id}`,
  extension: (family: string, id: string) => `extension\0${family}\0${id.toLowerCase()}`,
  bundleName: (name: string) => `bundle\0${name.toLowerCase()}`,
  bundleId: (id: string) => `bundle-id\0${id.toLowerCase()}`,
  desktopFile: (name: string) => `desktop\0${name.toLowerCase()}`,
  displayName: (name: string) => `display\0${name.toLowerCase()}`,
  mcpConfig: (path: string) => `mcp\0${path}`,
  marker: (marker: string) => `marker\0${marker}`,
  repo: (pattern: string) => `repo\0${pattern}`,
  /** An agent SDK package: pip names normalised, Go module paths without a `/vN` major-version suffix. */
  sdk: (ecosystem: 'npm' | 'pip' | 'go', name: string) =>
    `sdk\0${ecosystem}\0${ecosystem === 'pip' ? normalizePipName(name) : ecosystem === 'go' ? name.replace(/\/v\d+$/, '') : name}`,
  skillFolder: (pattern: string) => `skills\0${pattern}`,
  /** Chromium ids are lower-case letters; Firefox ids are compared case-insensitively too. */
  browserExtension: (family: string, id: string) => `browser\0${family}\0${id.toLowerCase()}`,
};

/** The words a config-change observation carries for the marker that found it. */
export function markerLabel(marker: { path: string; pattern: string }): string {
  return `${marker.path} =~ /${marker.pattern}/`;
}

function packageProofs(entry: ToolEntry, where: PatternEnvironment): PathProof[] {
  const proofs: PathProof[] = [];
  const add = (pattern: string, method: InstallMethod, label: string, packageName?: string) => {
    const compiled = compilePathPattern(pattern, where);
    if (compiled) proofs.push({ pattern: compiled, method, label, ...(packageName ? { packageName } : {}) });
  };
  const { packages, processes, installPaths } = entry.signatures;
  for (const name of packages?.npm ?? []) add(`node_modules/${name}/**`, 'npm', `npm package ${name}`, name);
  for (const name of packages?.pip ?? []) {
    // pipx and uv keep one virtual environment per tool, named after the package.
    add(`venvs/${name}/**`, 'pipx', `pip package ${name}`);
    add(`uv/tools/${name}/**`, 'uv', `pip package ${name}`);
  }
  for (const pattern of installPaths ?? []) add(pattern, 'native', `install folder ${pattern}`);
  for (const pattern of processes?.paths ?? []) add(pattern, 'native', `path ${pattern}`);
  for (const pattern of processes?.sdkPaths ?? []) add(pattern, 'sdk', `SDK or adapter path ${pattern}`);
  return proofs;
}

/** Every index key a tool claims on this OS, each once. */
function keysOf(entry: ToolEntry, os: OperatingSystem): string[] {
  const s = entry.signatures;
  const p = s.packages ?? {};
  const keys: string[] = [];
  const each = (values: readonly string[] | undefined, make: (value: string) => string) => {
    for (const value of values ?? []) keys.push(make(value));
  };
  for (const home of s.home ?? []) if (!home.os || home.os.includes(os)) keys.push(key.trace(home.path));
  each(p.npm, (n) => key.package('npm', n));
  each(p.pip, (n) => key.package('pip', n));
  each(p.brew, (n) => key.package('brew', n));
  each(p.brewCask, (n) => key.package('brew-cask', n));
  each(p.cargo, (n) => key.package('cargo', n));
  each(p.go, (n) => key.package('go', n));
  each(p.deb, (n) => key.package('deb', n));
  each(p.rpm, (n) => key.package('rpm', n));
  each(s.installPaths, (pattern) => key.package('native', pattern));
  each(p.snap, key.snap);
  each(p.flatpak, key.flatpak);
  each(s.vscodeExtensions, (id) => key.extension('vscode', id));
  each(s.jetbrainsPlugins, (id) => key.extension('jetbrains', id));
  each(s.vimPlugins, (id) => key.extension('vim', id));
  each(s.zedSettings, (id) => key.extension('zed', `settings:${id}`));
  each(s.apps?.macos?.bundleNames, key.bundleName);
  each(s.apps?.macos?.bundleIds, key.bundleId);
  each(s.apps?.linux?.desktopFiles, key.desktopFile);
  each(s.apps?.windows?.displayNames, key.displayName);
  for (const config of s.mcpConfigs ?? []) if (!config.os || config.os.includes(os)) keys.push(key.mcpConfig(config.path));
  each(s.fileMarkers?.map(markerLabel), key.marker);
  each(s.repo, key.repo);
  each(s.sdkPackages?.npm, (n) => key.sdk('npm', n));
  each(s.sdkPackages?.pip, (n) => key.sdk('pip', n));
  each(s.sdkPackages?.go, (n) => key.sdk('go', n));
  each(s.skillFolders, key.skillFolder);
  each(s.browserExtensions?.chromium, (id) => key.browserExtension('chromium', id));
  each(s.browserExtensions?.firefox, (id) => key.browserExtension('firefox', id));
  return [...new Set(keys)];
}

/**
 * What of the catalog's compile depends only on the OS (each entry's index
 * keys, the scanners' probes), worked out at build time for the built-in
 * catalog (scripts/build.mjs, src/match/precompiled.ts): at start, a check
 * then only reads it back. JSON-safe.
 */
export interface PrecompiledCatalog {
  os: OperatingSystem;
  ids: string[];
  keys: string[][];
  probes: unknown;
  lookup: PrecompiledLookup;
}

export function precompileCatalog(entries: readonly ToolEntry[], os: OperatingSystem): PrecompiledCatalog {
  return { os, ids: entries.map((entry) => entry.id), keys: entries.map((entry) => keysOf(entry, os)), probes: probeStateData(entries, os), lookup: precompileLookup(entries, os) };
}

/** A home folder no path has: the anchors' segments are left out of what is precompiled anyway. */
const NO_HOME = '/\0home';

function precompileLookup(entries: readonly ToolEntry[], os: OperatingSystem): PrecompiledLookup {
  const tools = entries.map((entry) => new LazyTool(entry, 'catalog', { os, home: NO_HOME, env: {} }));
  const byName = (names: (tool: CompiledTool) => Iterable<string>): Array<[string, number[]]> => {
    const map = new Map<string, number[]>();
    tools.forEach((tool, position) => {
      for (const name of names(tool)) {
        const list = map.get(name) ?? [];
        if (list.at(-1) !== position) list.push(position);
        map.set(name, list);
      }
    });
    return [...map];
  };
  // Filed by what each pattern needs outside its anchor (whose segments depend on the home folder and environment).
  const required = (patterns: (tool: CompiledTool) => readonly CompiledPathPattern[]): PathIndexData<number> =>
    new PathIndex(tools.flatMap((tool, position) => patterns(tool).map(({ required: r }) => ({ pattern: { required: { ...r, anchorSegments: [] } }, owner: position })))).data();
  return {
    names: byName((tool) => [...tool.processNames, ...tool.executableNames.keys()]),
    env: byName((tool) => tool.env.map((marker) => marker.name)),
    args: gateOf(tools, (tool) => tool.args),
    childArgs: gateOf(tools, (tool) => tool.childArgs),
    proofs: required((tool) => tool.proofs.map((proof) => proof.pattern)),
    openFiles: required((tool) => tool.openFiles),
    appPaths: required((tool) => tool.appPaths),
  };
}

/**
 * Backreferences and named groups change meaning or clash once patterns share
 * one expression; a pattern with either (or what looks like it) is tried alone.
 */
const combinable = (source: string) => !/\\[1-9k]|\(\?<[^=!]/.test(source);

/**
 * One kind of command-line pattern across tools (positions counted from
 * `first`): the built-in tools' patterns that can share one expression, and
 * the tools tried on every command line: those with a policy's patterns (they
 * stay on the linear-time engine, src/regex.ts, never folded into a V8
 * expression) or with patterns that cannot be combined.
 */
export function gateOf(tools: readonly CompiledTool[], patternsOf: (tool: CompiledTool) => readonly TextPattern[], first = 0): PrecompiledGate {
  const gate: PrecompiledGate = { sources: [], gated: [], ungated: [] };
  tools.forEach((tool, index) => {
    const patterns = patternsOf(tool);
    if (patterns.length === 0) return;
    if (tool.source === 'catalog' && patterns.every((pattern) => pattern instanceof RegExp && pattern.flags === '' && combinable(pattern.source))) {
      gate.sources.push(...patterns.map((pattern) => `(?:${pattern.source})`));
      gate.gated.push(first + index);
    } else {
      gate.ungated.push(first + index);
    }
  });
  return gate;
}

/** `precompiled` when it was made for these first entries (built-in, same ids, same order) on this OS. */
function usable(precompiled: PrecompiledCatalog | undefined, entries: readonly ToolEntry[], os: OperatingSystem, sourceOf: (entry: ToolEntry) => ToolSource): PrecompiledCatalog | undefined {
  if (precompiled === undefined || precompiled.os !== os || precompiled.ids.length > entries.length || precompiled.keys.length !== precompiled.ids.length || precompiled.lookup === undefined) return undefined;
  return precompiled.ids.every((id, i) => entries[i]!.id === id && sourceOf(entries[i]!) === 'catalog') ? precompiled : undefined;
}

const lower = (names: readonly string[] | undefined) => new Set((names ?? []).map((n) => n.toLowerCase()));

/**
 * A tool's regular expression: the catalog's own run on V8's default engine,
 * a policy's in linear time (src/regex.ts). Validation refuses what the
 * linear engine cannot run, so this throws only for a policy that skipped it.
 */
function patternOf(entry: ToolEntry, source: ToolSource, pattern: string, flags: '' | 'i'): TextPattern {
  if (source === 'catalog') return new RegExp(pattern, flags);
  try {
    return compileUserPattern(pattern, flags);
  } catch (error) {
    const problem = error instanceof UnsupportedPatternError ? error.message : `invalid pattern: ${(error as Error).message}`;
    throw new UserError(`customTools.${entry.id}: /${pattern}/: ${problem}`);
  }
}

interface ToolNames {
  processNames: Set<string>;
  ambiguousProcessNames: Set<string>;
  executableNames: Map<string, { ambiguous: boolean }>;
}

/**
 * A tool as the matchers use it, each part compiled the first time it is
 * asked for: with the candidate lookups (./candidates.ts) most tools are
 * never tried, and their path patterns and expressions never needed.
 */
class LazyTool implements CompiledTool {
  #proofs?: PathProof[];
  #names?: ToolNames;
  #args?: TextPattern[];
  #appPaths?: CompiledPathPattern[];
  #env?: CompiledTool['env'];
  #childArgs?: TextPattern[];
  #openFiles?: CompiledPathPattern[];
  #commits?: CompiledTool['commits'];

  constructor(
    readonly entry: ToolEntry,
    readonly source: ToolSource,
    private readonly where: PatternEnvironment,
  ) {}

  get proofs(): PathProof[] {
    return (this.#proofs ??= packageProofs(this.entry, this.where));
  }

  get processNames(): Set<string> {
    return this.names().processNames;
  }

  get ambiguousProcessNames(): Set<string> {
    return this.names().ambiguousProcessNames;
  }

  get executableNames(): Map<string, { ambiguous: boolean }> {
    return this.names().executableNames;
  }

  get args(): TextPattern[] {
    return (this.#args ??= (this.entry.signatures.processes?.args ?? []).map((pattern) => patternOf(this.entry, this.source, pattern, '')));
  }

  /** Desktop-app install paths for this OS (Linux and Windows). */
  get appPaths(): CompiledPathPattern[] {
    const { apps } = this.entry.signatures;
    const patterns = this.where.os === 'linux' ? apps?.linux?.paths : this.where.os === 'windows' ? apps?.windows?.paths : undefined;
    return (this.#appPaths ??= (patterns ?? []).flatMap((pattern) => compilePathPattern(pattern, this.where) ?? []));
  }

  get env(): CompiledTool['env'] {
    return (this.#env ??= (this.entry.signatures.env ?? []).map((e) => ({
      name: e.name,
      ...(e.value === undefined ? {} : { value: patternOf(this.entry, this.source, e.value, '') }),
      weak: e.strength === 'weak',
      marks: e.marks ?? 'spawned',
    })));
  }

  get childArgs(): TextPattern[] {
    return (this.#childArgs ??= (this.entry.signatures.processes?.childArgs ?? []).map((pattern) => patternOf(this.entry, this.source, pattern, '')));
  }

  get openFiles(): CompiledPathPattern[] {
    return (this.#openFiles ??= (this.entry.signatures.processes?.openFiles ?? []).flatMap((pattern) => compilePathPattern(pattern, this.where) ?? []));
  }

  get commits(): CompiledTool['commits'] {
    return (this.#commits ??= (this.entry.signatures.commits ?? []).map((c) => ({ regex: patternOf(this.entry, this.source, c.pattern, 'i'), source: c.pattern, in: c.in ?? 'message' })));
  }

  /** Every part at once (a policy's tool: its errors are said before the scan). */
  compileAll(): void {
    for (const part of [this.proofs, this.processNames, this.args, this.appPaths, this.env, this.childArgs, this.openFiles, this.commits]) void part;
  }

  private names(): ToolNames {
    if (this.#names) return this.#names;
    const { executables, processes } = this.entry.signatures;
    const names = {
      processNames: lower(processes?.names),
      ambiguousProcessNames: lower(processes?.ambiguousNames),
      executableNames: new Map((executables ?? []).map((e) => [e.name.toLowerCase(), { ambiguous: e.ambiguous === true }] as const)),
    };
    // An ambiguous executable name is ambiguous as a process name too.
    for (const [name, { ambiguous }] of names.executableNames) {
      if (ambiguous) names.ambiguousProcessNames.add(name);
    }
    return (this.#names = names);
  }
}

/**
 * Prepares the catalog (built-in plus the policy's custom tools) for one
 * host. `sourceOf` says where each entry is defined; without it every entry
 * is taken as built-in, which only tests of the matcher should rely on.
 */
export function compileCatalog(
  entries: readonly ToolEntry[],
  where: PatternEnvironment,
  sourceOf: (entry: ToolEntry) => ToolSource = () => 'catalog',
  precompiled?: PrecompiledCatalog,
): CompiledCatalog {
  const pre = usable(precompiled, entries, where.os, sourceOf);
  const tools: CompiledTool[] = [];
  const index = new Map<string, CompiledTool[]>();
  for (const [position, entry] of entries.entries()) {
    const source = sourceOf(entry);
    const tool = new LazyTool(entry, source, where);
    // A policy's tools are compiled at once: a pattern the linear engine cannot run is an error of the policy, said
    // before anything is scanned, whether or not the tool is ever a candidate.
    if (source !== 'catalog') tool.compileAll();
    for (const k of pre && position < pre.ids.length ? pre.keys[position]! : keysOf(entry, where.os)) {
      const list = index.get(k) ?? [];
      list.push(tool);
      index.set(k, list);
    }
    tools.push(tool);
  }
  const probes = pre ? probesFor(entries.slice(pre.ids.length), where.os, restoreProbeState(pre.probes)) : probesFor(entries, where.os);
  return { tools, byId: new Map(tools.map((t) => [t.entry.id, t])), index, probes, ...(pre ? { lookup: { data: pre.lookup, count: pre.ids.length } } : {}) };
}
