/**
 * The tools an observation could match, found through lookups instead of by
 * trying every tool: names, environment variable names and path literals in
 * maps, the catalog's command-line patterns in one combined expression. Each
 * answer is a superset of the tools that match, in catalog order; the
 * per-tool matchers (./running.ts, ./commit.ts) still decide, so indexed
 * matching finds exactly what trying every tool finds
 * (test/match/indexed.test.ts compares the two). Built at the first match of
 * a compiled catalog: the built-in tools' lookups come from the build (see
 * PrecompiledLookup in ./compile.ts), and one pass over the policy's custom
 * tools adds theirs. Pure.
 */
import type { CompiledPathPattern } from '../patterns.js';
import { gateOf, type CompiledCatalog, type CompiledTool, type PrecompiledGate } from './compile.js';
import { PathIndex } from './path-index.js';

export interface CandidateLookup {
  /** Lower-cased process or executable name → tools that go by it (ambiguous names too). */
  names: Map<string, number[]>;
  /** The tools' install, package and SDK paths. */
  proofs: PathIndex<number>;
  /** Folders whose open files prove a tool. */
  openFiles: PathIndex<number>;
  /** Desktop-app install paths. */
  appPaths: PathIndex<number>;
  /** Environment variable name → tools with a marker of that name. */
  env: Map<string, number[]>;
  /** Command-line patterns, of the process itself and of its children. */
  args: GatedPatterns;
  childArgs: GatedPatterns;
}

/**
 * One kind of command-line pattern across the tools. `gate`: the built-in
 * tools' patterns as one expression; when it finds nothing, none of the
 * `gated` tools' patterns matches. `ungated`: tools tried on every command
 * line, those with a policy's patterns (they stay on the linear-time engine,
 * src/regex.ts, never folded into a V8 expression) or patterns that cannot be
 * combined.
 */
interface GatedPatterns {
  gate: RegExp | undefined;
  gated: number[];
  ungated: number[];
}

const built = new WeakMap<CompiledCatalog, CandidateLookup>();

export function candidateLookup(catalog: CompiledCatalog): CandidateLookup {
  let lookup = built.get(catalog);
  if (!lookup) {
    lookup = buildLookup(catalog.tools, catalog.lookup);
    built.set(catalog, lookup);
  }
  return lookup;
}

function gatedPatterns(gate: PrecompiledGate): GatedPatterns {
  return { gate: gate.sources.length > 0 ? new RegExp(gate.sources.join('|')) : undefined, gated: gate.gated, ungated: gate.ungated };
}

/** Two gates in one: the first tools' and the rest's. */
function joinGates(first: PrecompiledGate, rest: PrecompiledGate): PrecompiledGate {
  return { sources: [...first.sources, ...rest.sources], gated: [...first.gated, ...rest.gated], ungated: [...first.ungated, ...rest.ungated] };
}

/**
 * The lookups over every tool. The first `pre.count` tools' come from the
 * build (the built-in catalog's, so their path patterns and expressions are
 * not compiled here); the rest (a policy's custom tools) are compiled and
 * added after them, so every list stays in catalog order.
 */
function buildLookup(tools: readonly CompiledTool[], pre?: CompiledCatalog['lookup']): CandidateLookup {
  const first = pre?.count ?? 0;
  // The build's lists are shared, not copied: one is copied only if a custom tool is added to it.
  const names = new Map<string, number[]>(pre?.data.names);
  const env = new Map<string, number[]>(pre?.data.env);
  const shared = new Set<number[]>([...names.values(), ...env.values()]);
  const push = (map: Map<string, number[]>, key: string, index: number): void => {
    let list = map.get(key);
    if (list && shared.has(list)) map.set(key, (list = [...list]));
    if (!list) map.set(key, [index]);
    else if (list.at(-1) !== index) list.push(index);
  };
  const proofs: Array<{ pattern: CompiledPathPattern; owner: number }> = [];
  const openFiles: typeof proofs = [];
  const appPaths: typeof proofs = [];
  const rest = tools.slice(first);
  rest.forEach((tool, offset) => {
    const index = first + offset;
    for (const name of tool.processNames) push(names, name, index);
    for (const name of tool.executableNames.keys()) push(names, name, index);
    for (const marker of tool.env) push(env, marker.name, index);
    for (const proof of tool.proofs) proofs.push({ pattern: proof.pattern, owner: index });
    for (const pattern of tool.openFiles) openFiles.push({ pattern, owner: index });
    for (const pattern of tool.appPaths) appPaths.push({ pattern, owner: index });
  });
  const none: PrecompiledGate = { sources: [], gated: [], ungated: [] };
  return {
    names,
    proofs: new PathIndex(proofs, pre?.data.proofs),
    openFiles: new PathIndex(openFiles, pre?.data.openFiles),
    appPaths: new PathIndex(appPaths, pre?.data.appPaths),
    env,
    args: gatedPatterns(joinGates(pre?.data.args ?? none, gateOf(rest, (tool) => tool.args, first))),
    childArgs: gatedPatterns(joinGates(pre?.data.childArgs ?? none, gateOf(rest, (tool) => tool.childArgs, first))),
  };
}

/** Adds the tools whose patterns could match one of these texts. */
function collectGated(patterns: GatedPatterns, texts: readonly string[], into: Set<number>): void {
  if (patterns.gate && texts.some((text) => patterns.gate!.test(text))) addAll(into, patterns.gated);
  addAll(into, patterns.ungated);
}

const addAll = (into: Set<number>, indexes: readonly number[] | undefined) => {
  if (indexes) for (const index of indexes) into.add(index);
};

/** The set's tools in catalog order, the order trying every tool reports them in. */
export function inCatalogOrder(tools: readonly CompiledTool[], indexes: Set<number>): CompiledTool[] {
  return [...indexes].sort((a, b) => a - b).map((index) => tools[index]!);
}

export interface ProcessFacts {
  names: readonly string[];
  paths: ReadonlyArray<string | undefined>;
  environment?: ReadonlyArray<{ name: string }> | undefined;
  children?: ReadonlyArray<{ cmd: string; variables: ReadonlyArray<{ name: string }> }> | undefined;
  openFiles?: readonly string[] | undefined;
  commandLine: string;
}

/** Every tool a process (or an ancestor) could match by any of matchProcess's proofs. */
export function processCandidates(catalog: CompiledCatalog, facts: ProcessFacts): CompiledTool[] {
  const lookup = candidateLookup(catalog);
  const found = new Set<number>();
  for (const name of facts.names) addAll(found, lookup.names.get(name));
  for (const path of facts.paths) if (path) lookup.proofs.collect(path, found);
  for (const variable of facts.environment ?? []) addAll(found, lookup.env.get(variable.name));
  if (facts.children && facts.children.length > 0) {
    for (const child of facts.children) for (const variable of child.variables) addAll(found, lookup.env.get(variable.name));
    collectGated(lookup.childArgs, facts.children.map((child) => child.cmd), found);
  }
  for (const file of facts.openFiles ?? []) lookup.openFiles.collect(file, found);
  collectGated(lookup.args, [facts.commandLine], found);
  return inCatalogOrder(catalog.tools, found);
}

/** Every tool an executable could match: by its name, or by a path proof of its real path or package folders. */
export function executableCandidates(catalog: CompiledCatalog, name: string, paths: readonly string[]): CompiledTool[] {
  const lookup = candidateLookup(catalog);
  const found = new Set<number>();
  addAll(found, lookup.names.get(name));
  for (const path of paths) lookup.proofs.collect(path, found);
  return inCatalogOrder(catalog.tools, found);
}

/** Every tool with a marker named like this variable. */
export function envCandidates(catalog: CompiledCatalog, name: string): CompiledTool[] {
  return (candidateLookup(catalog).env.get(name) ?? []).map((index) => catalog.tools[index]!);
}

/** Every tool whose desktop-app install paths one of these paths could match. */
export function appPathCandidates(catalog: CompiledCatalog, paths: readonly string[]): CompiledTool[] {
  const found = new Set<number>();
  for (const path of paths) candidateLookup(catalog).appPaths.collect(path, found);
  return inCatalogOrder(catalog.tools, found);
}
