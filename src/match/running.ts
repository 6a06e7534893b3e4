/**
 * Matching what is running or on PATH: processes and executables. A match is
 * `confirmed` when something the process cannot shed by renaming itself
 * proves it, strongest first: a path (the file lives in the tool's npm or pip
 * package, its own installer's folder, or an SDK that embeds it), the
 * environment its launcher gave it, a child carrying the markers the tool
 * sets in the shells it spawns, a file it holds open where only the tool
 * writes, or its command line carrying the tool's own flags or files;
 * `name-only` when only a name matches. Names that unrelated programs share
 * (`q`, `amp`, `pi`) never count alone. Every detection names its proof in
 * `evidence.proof`. Pure.
 */
import { redactValue } from '../redact.js';
import type { Detection, EnvironmentVariable, Evidence, ExecutableObservation, PackageRef, ProcessChild, ProcessObservation } from '../types.js';
import { executableCandidates, processCandidates } from './candidates.js';
import type { CompiledCatalog, CompiledTool, PathProof } from './compile.js';

function basename(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(slash + 1);
}

/** `claude.exe` → `claude`: Windows binaries and npm's hardlinked native binaries carry the extension. */
export function bareName(name: string): string {
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

/** The folder whose `node_modules` holds the file: an SDK's project. */
function projectOf(path: string): string | undefined {
  const at = path.indexOf('/node_modules/');
  return at > 0 ? path.slice(0, at) : undefined;
}

/** The evidence fields a path proof adds: package, version, install method, what proved it. */
function provenEvidence(proven: Proven, packages: readonly PackageRef[]): Pick<Evidence, 'proof' | 'package' | 'version' | 'installMethod' | 'project' | 'matched'> {
  const version = versionOf(proven, packages);
  const project = proven.proof.method === 'sdk' ? projectOf(proven.path) : undefined;
  return {
    proof: proven.proof.packageName ? 'package' : 'path',
    ...(proven.proof.packageName ? { package: proven.proof.packageName } : {}),
    ...(version ? { version } : {}),
    installMethod: proven.proof.method,
    ...(project ? { project } : {}),
    matched: proven.proof.label,
  };
}

type Marker = CompiledTool['env'][number];

const markerMatches = (marker: Marker, variable: EnvironmentVariable): boolean =>
  marker.name === variable.name && (marker.value === undefined || marker.value.test(variable.value));

const markerWords = (marker: Marker): string => `${marker.name}${marker.value ? ` =~ /${marker.value.source}/` : ''}`;

/** A variable the tool's launcher set for this very process (`CLAUDE_AGENT_SDK_VERSION`). */
function launcherMarker(tool: CompiledTool, environment: readonly EnvironmentVariable[]): { marker: Marker; variable: EnvironmentVariable } | undefined {
  for (const marker of tool.env) {
    if (marker.weak || marker.marks !== 'self') continue;
    const variable = environment.find((v) => markerMatches(marker, v));
    if (variable) return { marker, variable };
  }
  return undefined;
}

interface Vouch {
  child: ProcessChild;
  variable?: EnvironmentVariable;
  matched: string;
}

/**
 * A child that vouches for its parent: it carries a marker the tool sets in
 * what it spawns (and the parent does not: the scanner keeps only those), or
 * its command line sources the tool's shell snapshot. A value that is the
 * tool's launcher marker (`CLAUDE_CODE_ENTRYPOINT=sdk-ts`) says the child is
 * the tool, not that its parent is, and does not vouch.
 */
function vouchingChild(tool: CompiledTool, children: readonly ProcessChild[]): Vouch | undefined {
  const spawned = tool.env.filter((m) => !m.weak && m.marks === 'spawned');
  const launcher = tool.env.filter((m) => m.marks === 'self');
  for (const child of children) {
    for (const variable of child.variables) {
      if (launcher.some((m) => markerMatches(m, variable))) continue;
      const marker = spawned.find((m) => markerMatches(m, variable));
      if (marker) return { child, variable, matched: `child pid ${child.pid} carries ${markerWords(marker)}` };
    }
  }
  for (const child of children) {
    const pattern = tool.childArgs.find((re) => re.test(child.cmd));
    if (pattern) return { child, matched: `child pid ${child.pid} command line matching /${pattern.source}/` };
  }
  return undefined;
}

function heldOpen(tool: CompiledTool, openFiles: readonly string[]): { file: string; source: string } | undefined {
  for (const file of openFiles) {
    const pattern = tool.openFiles.find((p) => p.match(file));
    if (pattern) return { file, source: pattern.source };
  }
  return undefined;
}

const redacted = (variable: EnvironmentVariable) => ({ name: variable.name, value: redactValue(variable.name, variable.value) });

/**
 * The names a process goes by: its kernel name, argv[0], its executable, and
 * for interpreters the script as typed (`node /usr/local/bin/gemini`: the PATH
 * name of a script CLI) or the module (`python -m aider`).
 */
export function processNames(observation: ProcessObservation): string[] {
  const names = [
    observation.name,
    observation.argv[0] && basename(observation.argv[0]),
    observation.exe && basename(observation.exe),
    observation.scriptArg && basename(observation.scriptArg),
    observation.module?.split('.')[0],
  ];
  return [...new Set(names.filter((n): n is string => Boolean(n)).map(bareName))];
}

/** The command line the tool's patterns are tried on. */
export function commandLineOf(observation: ProcessObservation): string {
  return observation.argv.length > 0 ? observation.argv.join(' ') : observation.cmd;
}

/** `names`: the observation's processNames, when the caller has them already (one list for every tool). */
export function matchProcess(observation: ProcessObservation, tool: CompiledTool, names: readonly string[] = processNames(observation)): Detection | undefined {
  const base: Omit<Evidence, 'matched'> = {
    pid: observation.pid,
    ppid: observation.ppid,
    ...(observation.uid === undefined ? {} : { uid: observation.uid }),
    ...(observation.startTime === undefined ? {} : { startTime: observation.startTime }),
    name: observation.name,
    cmd: observation.cmd,
    ...(observation.exe ? { exe: observation.exe } : {}),
    ...(observation.script ? { script: observation.script } : {}),
    ancestors: observation.ancestors,
  };
  const confirmed = (evidence: Partial<Evidence> & Pick<Evidence, 'matched'>): Detection => ({
    tool: tool.entry.id,
    kind: 'process',
    confidence: 'confirmed',
    evidence: { ...base, ...evidence },
  });
  const proven = provePath(tool, [observation.exe, observation.script]);
  if (proven) return confirmed(provenEvidence(proven, observation.packages));
  // `_`: the path a shell executed, for a Node CLI whose title hides its script.
  const launched = observation.launchedAs !== undefined ? provePath(tool, [observation.launchedAs]) : undefined;
  const underscore = observation.environment?.find((v) => v.name === '_');
  if (launched && underscore) {
    const { proof: _path, matched, ...rest } = provenEvidence(launched, observation.packages);
    return confirmed({ ...rest, proof: 'environment', variable: redacted(underscore), launchedAs: launched.path, matched: `environment _ leads to ${matched}` });
  }
  const launcher = observation.environment ? launcherMarker(tool, observation.environment) : undefined;
  if (launcher) {
    return confirmed({ proof: 'environment', variable: redacted(launcher.variable), matched: `environment ${markerWords(launcher.marker)}` });
  }
  const vouch = observation.children ? vouchingChild(tool, observation.children) : undefined;
  if (vouch) {
    const child = { pid: vouch.child.pid, name: vouch.child.name, ...(vouch.variable ? { variable: redacted(vouch.variable) } : {}) };
    return confirmed({ proof: 'child', child, matched: vouch.matched });
  }
  const open = observation.openFiles ? heldOpen(tool, observation.openFiles) : undefined;
  if (open) return confirmed({ proof: 'open-file', openFile: open.file, matched: `open file under ${open.source}` });
  // Catalog command-line patterns are the tool's own flags and files (a
  // daemon's switches, the shell snapshot its agent sources), so they prove it
  // even in a process with another name, such as the shells an agent spawns.
  const cmd = commandLineOf(observation);
  const flag = tool.args.find((re) => re.test(cmd));
  if (flag) {
    return {
      tool: tool.entry.id,
      kind: 'process',
      confidence: 'confirmed',
      evidence: { ...base, proof: 'command-line', matched: `command line matching /${flag.source}/` },
    };
  }
  const name = names.find((n) => tool.processNames.has(n) || tool.executableNames.has(n));
  if (name && !tool.ambiguousProcessNames.has(name)) {
    return { tool: tool.entry.id, kind: 'process', confidence: 'name-only', evidence: { ...base, proof: 'name', matched: `process name ${name}` } };
  }
  return undefined;
}

export function matchExecutable(observation: ExecutableObservation, tool: CompiledTool): Detection | undefined {
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
      evidence: { ...base, proof: 'name', installMethod: 'unknown', matched: `executable name ${name}` },
    };
  }
  return undefined;
}


/** A process's detections, one per tool that matches, in catalog order; only the candidates are tried. */
export function matchProcessAgainst(observation: ProcessObservation, catalog: CompiledCatalog): Detection[] {
  const names = processNames(observation);
  const candidates = processCandidates(catalog, {
    names,
    paths: [observation.exe, observation.script, observation.launchedAs],
    environment: observation.environment,
    children: observation.children,
    openFiles: observation.openFiles,
    commandLine: commandLineOf(observation),
  });
  return candidates.flatMap((tool) => matchProcess(observation, tool, names) ?? []);
}

/** An executable's detections, one per tool that matches, in catalog order; only the candidates are tried. */
export function matchExecutableAgainst(observation: ExecutableObservation, catalog: CompiledCatalog): Detection[] {
  const paths = [observation.realPath, ...observation.packages.map((p) => `${p.dir}/`)];
  const candidates = executableCandidates(catalog, bareName(observation.name), paths);
  return candidates.flatMap((tool) => matchExecutable(observation, tool) ?? []);
}
