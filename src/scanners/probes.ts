/**
 * Probes: what the catalog asks the scanners to look for, as plain sets of
 * names and patterns, so that scanners stay free of tool knowledge.
 */
import type { OperatingSystem, ToolEntry } from '../catalog/schema.js';
import type { Probes } from './types.js';

/** PEP 503: `Aider_Chat` and `aider.chat` are the same distribution as `aider-chat`. */
export function normalizePipName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** Probes that ask for nothing; tests and callers fill in what they need. */
export function emptyProbes(overrides: Partial<Probes> = {}): Probes {
  const none = new Set<string>();
  return {
    executableNames: none,
    homePaths: [],
    packages: { npm: none, pip: none, brew: none, brewCask: none, cargo: none, go: none, deb: none, rpm: none, snap: none, flatpak: none },
    installPaths: [],
    vscodeExtensions: none,
    jetbrainsPlugins: none,
    vimPlugins: none,
    zedSettings: none,
    apps: { bundleNames: none, bundleIds: none, desktopFiles: none, paths: [], displayNames: none },
    fileMarkers: [],
    mcpConfigs: [],
    envNames: none,
    openFilePaths: [],
    repoPatterns: [],
    sdkPackages: { npm: none, pip: none, go: none },
    skillFolders: [],
    browserExtensions: { chromium: none, firefox: none },
    ...overrides,
  };
}

const forOs = <T extends { os?: readonly OperatingSystem[] | undefined }>(items: readonly T[] | undefined, os: OperatingSystem): T[] =>
  (items ?? []).filter((item) => !item.os || item.os.includes(os));

/** What probesFor collects, before it becomes Probes: sets and maps, so that later tools add to them in order. */
export type ProbeState = ReturnType<typeof newProbeState>;

function newProbeState() {
  const set = () => new Set<string>();
  return {
    executableNames: set(),
    homePaths: set(),
    packages: { npm: set(), pip: set(), brew: set(), brewCask: set(), cargo: set(), go: set(), deb: set(), rpm: set(), snap: set(), flatpak: set() },
    installPaths: set(),
    vscodeExtensions: set(),
    jetbrainsPlugins: set(),
    vimPlugins: set(),
    zedSettings: set(),
    apps: { bundleNames: set(), bundleIds: set(), desktopFiles: set(), paths: set(), displayNames: set() },
    fileMarkers: new Map<string, { path: string; pattern: string }>(),
    mcpConfigs: new Map<string, Probes['mcpConfigs'][number]>(),
    envNames: set(),
    openFilePaths: set(),
    repoPatterns: set(),
    sdkPackages: { npm: set(), pip: set(), go: set() },
    skillFolders: set(),
    browserExtensions: { chromium: set(), firefox: set() },
  };
}

/** Adds what the tools ask for on this OS to `probes`, in order. */
export function addToProbeState(probes: ProbeState, tools: readonly ToolEntry[], os: OperatingSystem): ProbeState {
  const addAll = (target: Set<string>, values: readonly string[] | undefined, normalize: (v: string) => string = (v) => v) => {
    for (const value of values ?? []) target.add(normalize(value));
  };
  const lower = (v: string) => v.toLowerCase();
  for (const { signatures: s } of tools) {
    addAll(probes.executableNames, s.executables?.map((e) => e.name), lower);
    addAll(probes.homePaths, forOs(s.home, os).map((h) => h.path));
    const p = s.packages ?? {};
    addAll(probes.packages.npm, p.npm);
    addAll(probes.packages.pip, p.pip, normalizePipName);
    addAll(probes.packages.brew, p.brew);
    addAll(probes.packages.brewCask, p.brewCask);
    addAll(probes.packages.cargo, p.cargo);
    addAll(probes.packages.go, p.go);
    addAll(probes.packages.deb, p.deb);
    addAll(probes.packages.rpm, p.rpm);
    addAll(probes.packages.snap, p.snap);
    addAll(probes.packages.flatpak, p.flatpak);
    addAll(probes.installPaths, s.installPaths);
    addAll(probes.vscodeExtensions, s.vscodeExtensions, lower);
    addAll(probes.jetbrainsPlugins, s.jetbrainsPlugins);
    addAll(probes.vimPlugins, s.vimPlugins, lower);
    addAll(probes.zedSettings, s.zedSettings);
    const apps = s.apps ?? {};
    if (os === 'macos') {
      addAll(probes.apps.bundleNames, apps.macos?.bundleNames);
      addAll(probes.apps.bundleIds, apps.macos?.bundleIds);
    }
    if (os === 'linux') {
      addAll(probes.apps.desktopFiles, apps.linux?.desktopFiles);
      addAll(probes.apps.paths, apps.linux?.paths);
    }
    if (os === 'windows') {
      addAll(probes.apps.paths, apps.windows?.paths);
      addAll(probes.apps.displayNames, apps.windows?.displayNames);
    }
    for (const marker of s.fileMarkers ?? []) probes.fileMarkers.set(`${marker.path}\0${marker.pattern}`, marker);
    for (const config of forOs(s.mcpConfigs, os)) probes.mcpConfigs.set(config.path, config);
    addAll(probes.envNames, s.env?.map((e) => e.name));
    addAll(probes.openFilePaths, s.processes?.openFiles);
    addAll(probes.repoPatterns, s.repo);
    addAll(probes.sdkPackages.npm, s.sdkPackages?.npm);
    addAll(probes.sdkPackages.pip, s.sdkPackages?.pip, normalizePipName);
    addAll(probes.sdkPackages.go, s.sdkPackages?.go);
    addAll(probes.skillFolders, s.skillFolders);
    addAll(probes.browserExtensions.chromium, s.browserExtensions?.chromium, lower);
    addAll(probes.browserExtensions.firefox, s.browserExtensions?.firefox, lower);
  }
  return probes;
}

/** Everything the catalog's entries ask for on this OS; `start`: what earlier entries asked for (a restored ProbeState). */
export function probesFor(tools: readonly ToolEntry[], os: OperatingSystem, start: ProbeState = newProbeState()): Probes {
  const probes = addToProbeState(start, tools, os);
  return {
    ...probes,
    homePaths: [...probes.homePaths],
    installPaths: [...probes.installPaths],
    apps: { ...probes.apps, paths: [...probes.apps.paths] },
    fileMarkers: [...probes.fileMarkers.values()],
    mcpConfigs: [...probes.mcpConfigs.values()],
    openFilePaths: [...probes.openFilePaths],
    repoPatterns: [...probes.repoPatterns],
    skillFolders: [...probes.skillFolders],
  };
}

/** The state after `tools`, as JSON-safe data (sets as arrays, maps as entry lists): for the build. */
export function probeStateData(tools: readonly ToolEntry[], os: OperatingSystem): unknown {
  const plain = (value: unknown): unknown => {
    if (value instanceof Set) return { set: [...value] };
    if (value instanceof Map) return { map: [...value] };
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, inner]) => [name, plain(inner)]));
  };
  return plain(addToProbeState(newProbeState(), tools, os));
}

/** A state from probeStateData's output, shaped as a fresh one (anything else is refused). */
export function restoreProbeState(data: unknown): ProbeState {
  const restore = (shape: unknown, value: unknown, where: string): unknown => {
    const record = value as Record<string, unknown> | null;
    if (typeof record !== 'object' || record === null) throw new Error(`probe state: ${where} is not an object`);
    if (shape instanceof Set) {
      if (!Array.isArray(record.set) || !record.set.every((item) => typeof item === 'string')) throw new Error(`probe state: ${where} is not a set of strings`);
      return new Set(record.set as string[]);
    }
    if (shape instanceof Map) {
      if (!Array.isArray(record.map)) throw new Error(`probe state: ${where} is not a map`);
      return new Map(record.map as Array<[string, unknown]>);
    }
    const out: Record<string, unknown> = {};
    for (const [name, inner] of Object.entries(shape as Record<string, unknown>)) out[name] = restore(inner, record[name], `${where}.${name}`);
    return out;
  };
  return restore(newProbeState(), data, 'probes') as ProbeState;
}
