/**
 * Observations × catalog → detections. Pure: no I/O, so every rule here is
 * covered by table tests (test/match.test.ts).
 *
 * A detection is `confirmed` when a path proves it (the file lives in the
 * tool's npm or pip package, or in its own installer's folder) or the command
 * line carries the tool's own flags or files; `name-only` when only a name matches.
 * Names that unrelated programs share (`q`, `amp`, `cn`) never count alone.
 */
import type { ToolEntry } from './catalog/schema.js';
import { compilePathPattern, type CompiledPathPattern, type PatternEnvironment } from './patterns.js';
import { probesFor } from './scanners/probes.js';
import type { Probes } from './scanners/types.js';
import type {
  Detection,
  Evidence,
  ExecutableObservation,
  InstallMethod,
  Observation,
  PackageRef,
  ProcessObservation,
  TraceObservation,
} from './types.js';

interface PathProof {
  pattern: CompiledPathPattern;
  method: InstallMethod;
  /** Words for the evidence (`npm package @openai/codex`). */
  label: string;
  /** For package proofs: the package name, to pick its version from the observation's packages. */
  packageName?: string;
}

export interface CompiledTool {
  entry: ToolEntry;
  proofs: PathProof[];
  processNames: Set<string>;
  ambiguousProcessNames: Set<string>;
  executableNames: Map<string, { ambiguous: boolean }>;
  args: RegExp[];
}

export interface CompiledCatalog {
  tools: CompiledTool[];
  byId: Map<string, CompiledTool>;
  /** Home pattern → tools that keep it. */
  tracePatterns: Map<string, CompiledTool[]>;
  probes: Probes;
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
    add(`venvs/${name}/**`, 'pip', `pip package ${name}`);
    add(`uv/tools/${name}/**`, 'pip', `pip package ${name}`);
  }
  for (const pattern of installPaths ?? []) add(pattern, 'native', `install folder ${pattern}`);
  for (const pattern of processes?.paths ?? []) add(pattern, 'native', `path ${pattern}`);
  return proofs;
}

const lower = (names: readonly string[] | undefined) => new Set((names ?? []).map((n) => n.toLowerCase()));

/** Prepares the catalog (built-in plus the policy's custom tools) for one host. */
export function compileCatalog(entries: readonly ToolEntry[], where: PatternEnvironment): CompiledCatalog {
  const tools: CompiledTool[] = [];
  const tracePatterns = new Map<string, CompiledTool[]>();
  for (const entry of entries) {
    const { executables, processes, home } = entry.signatures;
    const tool: CompiledTool = {
      entry,
      proofs: packageProofs(entry, where),
      processNames: lower(processes?.names),
      ambiguousProcessNames: lower(processes?.ambiguousNames),
      executableNames: new Map(
        (executables ?? []).map((e) => [e.name.toLowerCase(), { ambiguous: e.ambiguous === true }] as const),
      ),
      args: (processes?.args ?? []).map((source) => new RegExp(source)),
    };
    // An ambiguous executable name is ambiguous as a process name too.
    for (const [name, { ambiguous }] of tool.executableNames) {
      if (ambiguous) tool.ambiguousProcessNames.add(name);
    }
    for (const signature of home ?? []) {
      if (signature.os && !signature.os.includes(where.os)) continue;
      const list = tracePatterns.get(signature.path) ?? [];
      list.push(tool);
      tracePatterns.set(signature.path, list);
    }
    tools.push(tool);
  }
  return {
    tools,
    byId: new Map(tools.map((t) => [t.entry.id, t])),
    tracePatterns,
    probes: probesFor(entries, where.os),
  };
}

function basename(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(slash + 1);
}

/** `claude.exe` → `claude`: Windows binaries and npm's hardlinked native binaries carry the extension. */
function bareName(name: string): string {
  return name.toLowerCase().replace(/\.(exe|cmd|bat|ps1)$/, '');
}

interface Proven {
  proof: PathProof;
  version?: string;
  path: string;
}

function provePath(tool: CompiledTool, paths: ReadonlyArray<string | undefined>): Proven | undefined {
  for (const path of paths) {
    if (!path) continue;
    for (const proof of tool.proofs) {
      const found = proof.pattern.match(path);
      if (found) return { proof, path, ...(found.version ? { version: found.version } : {}) };
    }
  }
  return undefined;
}

function versionOf(proven: Proven, packages: readonly PackageRef[]): string | undefined {
  if (proven.version) return proven.version;
  if (!proven.proof.packageName) return undefined;
  return packages.find((p) => p.name === proven.proof.packageName)?.version;
}

/** The evidence fields a path proof adds: package, version, install method. */
function provenEvidence(proven: Proven, packages: readonly PackageRef[]): Pick<Evidence, 'package' | 'version' | 'installMethod' | 'matched'> {
  const version = versionOf(proven, packages);
  return {
    ...(proven.proof.packageName ? { package: proven.proof.packageName } : {}),
    ...(version ? { version } : {}),
    installMethod: proven.proof.method,
    matched: proven.proof.label,
  };
}

/**
 * The names a process goes by: its kernel name, argv[0], its executable, and
 * for interpreters the script as typed (`node /usr/local/bin/gemini`: the PATH
 * name of a script CLI) or the module (`python -m aider`).
 */
function processNames(observation: ProcessObservation): string[] {
  const names = [
    observation.name,
    observation.argv[0] && basename(observation.argv[0]),
    observation.exe && basename(observation.exe),
    observation.scriptArg && basename(observation.scriptArg),
    observation.module?.split('.')[0],
  ];
  return [...new Set(names.filter((n): n is string => Boolean(n)).map(bareName))];
}

function matchProcess(observation: ProcessObservation, tool: CompiledTool): Detection | undefined {
  const base: Omit<Evidence, 'matched'> = {
    pid: observation.pid,
    ppid: observation.ppid,
    ...(observation.uid === undefined ? {} : { uid: observation.uid }),
    name: observation.name,
    cmd: observation.cmd,
    ...(observation.exe ? { exe: observation.exe } : {}),
    ...(observation.script ? { script: observation.script } : {}),
    ancestors: observation.ancestors,
  };
  const proven = provePath(tool, [observation.exe, observation.script]);
  if (proven) {
    return { tool: tool.entry.id, kind: 'process', confidence: 'confirmed', evidence: { ...base, ...provenEvidence(proven, observation.packages) } };
  }
  // Catalog command-line patterns are the tool's own flags and files (a
  // daemon's switches, the shell snapshot its agent sources), so they prove it
  // even in a process with another name, such as the shells an agent spawns.
  const cmd = observation.argv.length > 0 ? observation.argv.join(' ') : observation.cmd;
  const flag = tool.args.find((re) => re.test(cmd));
  if (flag) {
    return {
      tool: tool.entry.id,
      kind: 'process',
      confidence: 'confirmed',
      evidence: { ...base, matched: `command line matching /${flag.source}/` },
    };
  }
  const name = processNames(observation).find((n) => tool.processNames.has(n) || tool.executableNames.has(n));
  if (name && !tool.ambiguousProcessNames.has(name)) {
    return { tool: tool.entry.id, kind: 'process', confidence: 'name-only', evidence: { ...base, matched: `process name ${name}` } };
  }
  return undefined;
}

function matchExecutable(observation: ExecutableObservation, tool: CompiledTool): Detection | undefined {
  const name = bareName(observation.name);
  const signature = tool.executableNames.get(name);
  const base = { path: observation.path, ...(observation.realPath !== observation.path ? { realPath: observation.realPath } : {}) };
  const proven = provePath(tool, [observation.realPath, ...observation.packages.map((p) => `${p.dir}/`)]);
  if (proven) {
    return { tool: tool.entry.id, kind: 'executable', confidence: 'confirmed', evidence: { ...base, ...provenEvidence(proven, observation.packages) } };
  }
  if (signature && !signature.ambiguous) {
    return {
      tool: tool.entry.id,
      kind: 'executable',
      confidence: 'name-only',
      evidence: { ...base, installMethod: 'unknown', matched: `executable name ${name}` },
    };
  }
  return undefined;
}

function matchTrace(observation: TraceObservation, tools: readonly CompiledTool[]): Detection[] {
  return tools.map((tool) => ({
    tool: tool.entry.id,
    kind: 'trace' as const,
    confidence: 'confirmed' as const,
    evidence: { path: observation.path, matched: `${observation.isDirectory ? 'folder' : 'file'} ${observation.pattern}` },
  }));
}

/**
 * Matches every observation against every tool. One observation yields at
 * most one detection per tool; where some tool is confirmed, name-only
 * guesses at other tools are dropped (a proven Cline process named `.cline`
 * is not also a name-only something else).
 */
export function match(observations: readonly Observation[], catalog: CompiledCatalog): Detection[] {
  const detections: Detection[] = [];
  for (const observation of observations) {
    if (observation.kind === 'trace') {
      detections.push(...matchTrace(observation, catalog.tracePatterns.get(observation.pattern) ?? []));
      continue;
    }
    if (observation.kind !== 'process' && observation.kind !== 'executable') continue;
    const found: Detection[] = [];
    for (const tool of catalog.tools) {
      const detection =
        observation.kind === 'process' ? matchProcess(observation, tool) : matchExecutable(observation, tool);
      if (detection) found.push(detection);
    }
    const confirmed = found.filter((d) => d.confidence === 'confirmed');
    detections.push(...(confirmed.length > 0 ? confirmed : found));
  }
  return detections;
}
