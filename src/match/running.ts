/**
 * Matching what is running or on PATH: processes and executables. A match is
 * `confirmed` when a path proves it (the file lives in the tool's npm or pip
 * package, or in its own installer's folder) or the command line carries the
 * tool's own flags or files; `name-only` when only a name matches. Names that
 * unrelated programs share (`q`, `amp`, `cn`) never count alone. Pure.
 */
import type { Detection, Evidence, ExecutableObservation, PackageRef, ProcessObservation } from '../types.js';
import type { CompiledTool, PathProof } from './compile.js';

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

export function matchProcess(observation: ProcessObservation, tool: CompiledTool): Detection | undefined {
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
      evidence: { ...base, installMethod: 'unknown', matched: `executable name ${name}` },
    };
  }
  return undefined;
}

