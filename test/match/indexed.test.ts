// Indexed matching finds exactly what trying every tool finds: the same
// detections, the same evidence, in the same order, for the real catalog
// (plus custom tools of every layer) on every OS, over a large seeded set of
// observations made of the catalog's own names, paths, flags and markers,
// their case variants, and decoys. And an observation that resembles no tool
// is tried against no tool, however large the catalog grows.
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/catalog/index.js';
import type { OperatingSystem, ToolEntry } from '../../src/catalog/schema.js';
import { appPathCandidates, executableCandidates, processCandidates } from '../../src/match/candidates.js';
import { dropGuesses } from '../../src/match/guesses.js';
import { compileCatalog, match, type CompiledCatalog } from '../../src/match/index.js';
import { precompileCatalog, type PrecompiledCatalog } from '../../src/match/compile.js';
import { matchExecutable, matchProcess, processNames } from '../../src/match/running.js';
import type { Detection, EnvironmentVariable, Observation, PackageRef, ProcessChild, ProcessObservation } from '../../src/types.js';
import { grownCatalog } from '../bench/grown-catalog.mjs';

const HOME: Record<OperatingSystem, string> = { linux: '/home/ada', macos: '/Users/ada', windows: 'C:/Users/Ada' };

const entry = (id: string, signatures: ToolEntry['signatures']): ToolEntry => ({
  id, name: id, vendor: 'x', homepage: 'https://example.test', category: 'agent-cli', signatures,
});
// Custom tools from the layers (their patterns run on the linear engine), and a
// built-in-like tool whose pattern cannot share the combined expression (a backreference).
const CUSTOM: Array<[ToolEntry, 'managed' | 'lower' | 'catalog']> = [
  [entry('house-helper', { processes: { names: ['helper'], args: ['(^|/)claude( |$)'], paths: ['/opt/house/**'] }, env: [{ name: 'HOUSE_AGENT', value: '^1$' }] }), 'lower'],
  [entry('managed-bot', { executables: [{ name: 'mbot' }], processes: { args: ['--managed-bot\\b'], childArgs: ['mbot-child'] } }), 'managed'],
  [entry('echo-twice', { processes: { args: ['(echo)-\\1'] } }), 'catalog'],
  // A path with no literal at all: tried on every path.
  [entry('any-versioned', { processes: { openFiles: ['*/{version}'] } }), 'lower'],
  // Names, a marker, a path segment and a run the built-in tools have too: added to the lists the build made.
  [entry('house-claude', { processes: { names: ['claude'], paths: ['~/.local/share/claude/**', '/opt/*.AppImage'] }, env: [{ name: 'CLAUDECODE' }] }), 'lower'],
];
const TOOLS = [...CATALOG, ...CUSTOM.map(([tool]) => tool)];
const sourceOf = (tool: ToolEntry) => CUSTOM.find(([custom]) => custom === tool)?.[1] ?? 'catalog';

/** A seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const some = <T>(items: readonly T[], most: number): T[] => Array.from({ length: Math.floor(next() * (most + 1)) }, () => pick(items));
  return { chance: (p: number) => next() < p, pick, some };
}

/** A text a simple catalog expression matches (flags, markers); kept only where it does. */
function exampleOf(source: string): string {
  return source
    .replace(/^\^|\$$/g, '')
    .replace(/\\b/g, '')
    .replace(/\\s\*/g, ' ')
    .replace(/\\w\+/g, 'abc')
    .replace(/\.\*/g, ' x ')
    .replace(/\[\\\\\/\]/g, '/')
    .replace(/\[([^\]\\])[^\]]*\]/g, '$1')
    .replace(/\(\^\|\/\)/g, '/')
    .replace(/\(([^|)]*)\|[^)]*\)/g, '$1')
    .replace(/\\(.)/g, '$1');
}

/** A path a catalog path pattern matches on this OS, with a file below it half the time. */
function pathOf(pattern: string, os: OperatingSystem, chance: (p: number) => boolean): string {
  const home = HOME[os];
  let path = pattern
    .replace(/^~/, home)
    .replace(/^\$XDG_DATA_HOME/, `${home}/.local/share`)
    .replace(/^\$XDG_CONFIG_HOME/, `${home}/.config`)
    .replace(/^%LOCALAPPDATA%/, `${home}/AppData/Local`)
    .replace(/^%APPDATA%/, `${home}/AppData/Roaming`)
    .replace(/^%PROGRAMFILES%/, 'C:/Program Files')
    .replace(/\/\*\*$/, '')
    .replace(/\*\*/g, 'a/b')
    .replace(/\*/g, 'x1')
    .replace(/\{version\}/g, '1.2.3');
  if (!path.startsWith('/') && !/^[A-Za-z]:\//.test(path)) path = `${home}/proj/${path}`;
  return chance(0.5) ? `${path}/bin/tool` : path;
}

/** The same text in another case: one that only a Windows pattern (or a name) still matches. */
function caseVariant(text: string, chance: (p: number) => boolean): string {
  return chance(0.5) ? text.toUpperCase() : [...text].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('');
}

interface Pools {
  names: string[];
  paths: string[];
  commandLines: string[];
  variables: EnvironmentVariable[];
  openFiles: string[];
}

function pools(os: OperatingSystem, chance: (p: number) => boolean): Pools {
  const names = ['pi', 'q', 'amp', 'agent', 'kilo', 'droid', 'grok', 'goose', 'cn', 'node', 'python3', 'bash', 'sleep', 'code', 'helper', 'mbot'];
  const paths = ['/usr/bin/sleep', '/usr/local/bin/node', `${HOME[os]}/proj/node_modules/@anthropic-ai/claude-codex/cli.js`, '/opt/cursorx/bin/cursor', 'C:\\Program Files\\Other\\app.exe', '/opt/house/bin/h'];
  const commandLines = ['sleep 3600', 'bash -c ls', 'node server.js --port 3000', 'echo-echo', 'echo-x', 'run --managed-bot', 'claude --help', '/usr/bin/claude'];
  const variables: EnvironmentVariable[] = [
    { name: '_', value: '/usr/bin/env' }, { name: 'TERM', value: 'xterm' }, { name: 'HOUSE_AGENT', value: '1' }, { name: 'HOUSE_AGENT', value: '2' },
  ];
  const openFiles = [`${HOME[os]}/notes.txt`, '/tmp/x.log'];
  for (const tool of TOOLS) {
    const s = tool.signatures;
    for (const name of [...(s.processes?.names ?? []), ...(s.processes?.ambiguousNames ?? []), ...(s.executables ?? []).map((e) => e.name)]) {
      names.push(name, caseVariant(name, chance), `${name}.exe`, `${name}x`);
    }
    const toolPaths = [...(s.processes?.paths ?? []), ...(s.processes?.sdkPaths ?? []), ...(s.installPaths ?? []), ...(s.packages?.npm ?? []).map((n) => `node_modules/${n}`)];
    for (const pattern of [...toolPaths, ...(s.packages?.pip ?? []).flatMap((n) => [`venvs/${n}`, `uv/tools/${n}`])]) {
      const path = pathOf(pattern, os, chance);
      paths.push(path, caseVariant(path, chance), path.replace(/\//g, '\\'), `${path}-decoy`);
    }
    for (const pattern of [...(s.processes?.args ?? []), ...(s.processes?.childArgs ?? [])]) {
      const example = exampleOf(pattern);
      commandLines.push(`/usr/bin/bash -c ${example} && true`, caseVariant(example, chance), example.slice(1));
    }
    for (const marker of s.env ?? []) {
      const value = marker.value ? exampleOf(marker.value) : 'set';
      variables.push({ name: marker.name, value }, { name: marker.name, value: `${value}-not` }, { name: marker.name.toLowerCase(), value });
    }
    for (const pattern of s.processes?.openFiles ?? []) {
      const file = `${pathOf(pattern, os, () => false)}/s1.jsonl`;
      openFiles.push(file, caseVariant(file, chance));
    }
  }
  return { names, paths, commandLines, variables, openFiles };
}

function observations(os: OperatingSystem, count: number): Observation[] {
  const { chance, pick, some } = random(os.length * 7919);
  const p = pools(os, chance);
  const packages = (): PackageRef[] => some(p.paths, 2).map((dir) => ({ name: pick(['@openai/codex', 'left-pad', '@anthropic-ai/claude-code']), dir, ...(chance(0.5) ? { version: '1.0.0' } : {}) }));
  const child = (pid: number): ProcessChild => ({ pid, name: pick(p.names), cmd: pick(p.commandLines), variables: some(p.variables, 2) });
  const process = (pid: number): ProcessObservation => {
    const argv = chance(0.2) ? [] : [pick([...p.names, ...p.paths]), ...(chance(0.5) ? [pick(p.commandLines)] : [])];
    return {
      kind: 'process', pid, ppid: 1, name: pick(p.names), cmd: pick(p.commandLines), argv,
      ...(chance(0.6) ? { exe: pick(p.paths) } : {}),
      ...(chance(0.3) ? { script: pick(p.paths), scriptArg: pick([...p.paths, ...p.names]) } : {}),
      ...(chance(0.1) ? { module: `${pick(p.names)}.main` } : {}),
      ...(chance(0.2) ? { launchedAs: pick(p.paths) } : {}),
      packages: packages(),
      ancestors: [],
      ...(chance(0.5) ? { environment: some(p.variables, 4) } : {}),
      ...(chance(0.3) ? { children: Array.from({ length: 1 + (pid % 3) }, (_, i) => child(pid * 10 + i)) } : {}),
      ...(chance(0.2) ? { openFiles: some(p.openFiles, 2) } : {}),
    };
  };
  const list: Observation[] = [];
  for (let pid = 2; list.length < count; pid++) {
    const kind = pick(['process', 'process', 'process', 'ancestor', 'executable', 'env', 'app'] as const);
    if (kind === 'process') list.push(process(pid));
    else if (kind === 'ancestor') list.push({ ...process(pid), kind: 'ancestor', depth: 1 + (pid % 4) });
    else if (kind === 'env') list.push({ kind: 'env', ...pick(p.variables) });
    else if (kind === 'app') list.push({ kind: 'app', source: 'desktop-file', name: `${pick(p.names)}.desktop`, path: pick(p.paths), ...(chance(0.5) ? { exec: pick(p.paths) } : {}) });
    else {
      const realPath = pick(p.paths);
      list.push({ kind: 'executable', name: pick(p.names), path: chance(0.5) ? realPath : `/usr/local/bin/${pick(p.names)}`, realPath, packages: packages(), shadowed: false });
    }
  }
  return list;
}

/** What matching did before the index: every tool tried on every observation of these kinds. */
function exhaustive(observation: Observation, catalog: CompiledCatalog): Detection[] | undefined {
  switch (observation.kind) {
    case 'process':
      return dropGuesses(catalog.tools.flatMap((tool) => matchProcess(observation, tool) ?? []), catalog);
    case 'executable':
      return dropGuesses(catalog.tools.flatMap((tool) => matchExecutable(observation, tool) ?? []), catalog);
    case 'ancestor':
      return dropGuesses(
        catalog.tools.flatMap((tool) => {
          const detection = matchProcess({ ...observation, kind: 'process' }, tool);
          return detection ? [{ ...detection, kind: 'session' as const, evidence: { ...detection.evidence, depth: observation.depth } }] : [];
        }),
        catalog,
      );
    default:
      return undefined;
  }
}

/** For env and app observations, the tools that every-tool matching picked (the evidence is built the same way for each). */
function exhaustiveTools(observation: Observation, catalog: CompiledCatalog): string[] {
  if (observation.kind === 'env') {
    return catalog.tools
      .filter((tool) => tool.env.some((m) => m.name === observation.name && (m.value === undefined || m.value.test(observation.value)) && !m.weak))
      .map((tool) => tool.entry.id);
  }
  if (observation.kind === 'app') {
    const paths = [observation.path, observation.exec].filter((p): p is string => Boolean(p));
    const byFile = catalog.index.get(`desktop\0${observation.name.toLowerCase()}`);
    if (byFile?.length) return byFile.map((tool) => tool.entry.id);
    return catalog.tools.filter((tool) => tool.appPaths.some((pattern) => paths.some((path) => pattern.match(path)))).map((tool) => tool.entry.id);
  }
  return [];
}

describe('indexed matching finds what trying every tool finds', () => {
  it.each(['linux', 'macos', 'windows'] as const)('on %s: every detection, its evidence and its order', (os) => {
    const catalog = compileCatalog(TOOLS, { os, home: HOME[os], env: {} }, sourceOf);
    const list = observations(os, 6000);
    const proofs = new Set<string>();
    let detections = 0;
    for (const observation of list) {
      const indexed = match([observation], catalog);
      const reference = exhaustive(observation, catalog);
      if (reference) expect(indexed, JSON.stringify(observation)).toEqual(reference);
      else expect(indexed.map((d) => d.tool), JSON.stringify(observation)).toEqual(exhaustiveTools(observation, catalog));
      for (const detection of indexed) proofs.add(`${detection.kind}:${detection.confidence}:${detection.evidence.proof ?? ''}`);
      detections += indexed.length;
    }
    // The set exercises every route a tool can be matched by, not only names.
    for (const route of ['process:confirmed:path', 'process:confirmed:package', 'process:confirmed:environment', 'process:confirmed:child', 'process:confirmed:open-file', 'process:confirmed:command-line', 'process:name-only:name', 'executable:confirmed:package', 'executable:name-only:name', 'session:confirmed:command-line', 'session:confirmed:environment', 'app:confirmed:']) {
      expect(proofs, route).toContain(route);
    }
    expect(detections).toBeGreaterThan(2000);
  });

  // The built-in catalog's lookups made at build time (names, markers, the combined expressions, what each path
  // pattern needs), with custom tools added at start, under another home folder and XDG folders than the build's.
  it.each(['linux', 'macos', 'windows'] as const)('on %s, with the lookups the build makes: the same', (os) => {
    const precompiled = JSON.parse(JSON.stringify(precompileCatalog(CATALOG, os))) as PrecompiledCatalog;
    const where = { os, home: HOME[os], env: { XDG_CONFIG_HOME: `${HOME[os]}/conf`, APPDATA: `${HOME[os]}/Roaming` } };
    const untouched = JSON.stringify(precompiled);
    const catalog = compileCatalog(TOOLS, where, sourceOf, precompiled);
    expect(catalog.lookup?.count).toBe(CATALOG.length);
    let detections = 0;
    for (const observation of observations(os, 3000)) {
      const indexed = match([observation], catalog);
      const reference = exhaustive(observation, catalog);
      if (reference) expect(indexed, JSON.stringify(observation)).toEqual(reference);
      else expect(indexed.map((d) => d.tool), JSON.stringify(observation)).toEqual(exhaustiveTools(observation, catalog));
      detections += indexed.length;
    }
    expect(detections).toBeGreaterThan(1000);
    // Adding the custom tools copied the build's lists: the data itself is as it was parsed.
    expect(JSON.stringify(precompiled)).toBe(untouched);
  });

  it('the whole list at once gives the same as one observation at a time', () => {
    const catalog = compileCatalog(TOOLS, { os: 'linux', home: HOME.linux, env: {} }, sourceOf);
    const list = observations('linux', 2000);
    expect(match(list, catalog)).toEqual(list.flatMap((observation) => match([observation], catalog)));
  });
});

describe('an observation is tried only against the tools it could match', () => {
  const grown = compileCatalog(grownCatalog(CATALOG, 500), { os: 'linux', home: HOME.linux, env: {} });
  const sleeping: ProcessObservation = {
    kind: 'process', pid: 7, ppid: 1, name: 'sleep', cmd: 'sleep 3600', argv: ['sleep', '3600'], exe: '/usr/bin/sleep', packages: [], ancestors: [],
    environment: [{ name: '_', value: '/usr/bin/sleep' }, { name: 'TERM', value: 'xterm' }],
  };
  const candidatesOf = (observation: ProcessObservation) =>
    processCandidates(grown, { names: processNames(observation), paths: [observation.exe, observation.script, observation.launchedAs], environment: observation.environment, commandLine: observation.argv.join(' ') }).map((t) => t.entry.id);

  it('a process like no tool, among 500 tools: none', () => {
    expect(grown.tools.length).toBe(500);
    expect(candidatesOf(sleeping)).toEqual([]);
  });

  it('a tool-like process: only the tools that share its name, path or flag', () => {
    const claude = { ...sleeping, name: 'claude', argv: ['claude'], exe: `${HOME.linux}/.local/share/claude/versions/2.0.1` };
    expect(candidatesOf(claude)).toEqual(['claude-code']);
    const codexShell = { ...sleeping, name: 'bash', argv: ['bash', '-c', `source ${HOME.linux}/.codex/shell_snapshots/x.sh`], exe: '/usr/bin/bash' };
    // The combined expression says only "some built-in flag matches"; then the tools with flags are tried (the synthetic ones match nothing).
    expect(candidatesOf(codexShell)).toContain('codex');
    expect(match([codexShell], grown).map((d) => d.tool)).toEqual(['codex']);
  });

  it('an executable and an installed app like no tool: none', () => {
    expect(executableCandidates(grown, 'sleep', ['/usr/bin/sleep'])).toEqual([]);
    expect(appPathCandidates(grown, ['/usr/share/applications/gimp.desktop', '/usr/bin/gimp'])).toEqual([]);
  });
});
