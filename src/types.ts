/**
 * The data that flows through the pipeline (see src/run.ts):
 * observations (scanners) → detections (match) → findings (decide) → report.
 * Everything here is plain data so it can be asserted in table tests and
 * serialised as the JSON contract.
 */
import type { OperatingSystem, ToolCategory } from './catalog/schema.js';

/** The policy's verdict for a tool. Ordered: allow < warn < block. */
export type Action = 'allow' | 'warn' | 'block';
export const ACTIONS: readonly Action[] = ['allow', 'warn', 'block'];

/** Where a finding was seen. Later issues add more kinds (package, extension, app, repo, session, commit). */
export type FindingKind = 'process' | 'executable' | 'trace';

/**
 * How sure the match is.
 * - `confirmed`: a package, install path or bundled-binary path proves it.
 * - `name-only`: only the name matches; a program of the same name would look the same.
 */
export type Confidence = 'confirmed' | 'name-only';

/** The scanners `aitool check` runs in this release. */
export type ScannerName = 'processes' | 'path' | 'traces';
export const SCANNER_NAMES: readonly ScannerName[] = ['processes', 'path', 'traces'];

/**
 * An npm package folder that a file on disk lives in. `name` comes from the
 * folder path (`node_modules/@openai/codex`), not from package.json, because
 * platform packages are npm aliases whose manifest names the parent package.
 */
export interface PackageRef {
  name: string;
  /** From the folder's package.json, when readable. */
  version?: string;
  /** The package folder. */
  dir: string;
}

/** One ancestor of a process, from its parent up to pid 1. */
export interface ProcessAncestor {
  pid: number;
  name: string;
  cmd: string;
}

/** A running process, as read from the process table. Knows nothing of tools. */
export interface ProcessObservation {
  kind: 'process';
  pid: number;
  ppid: number;
  /** Owner; absent where the platform does not say. */
  uid?: number;
  /** The kernel's process name (comm on Linux), which `process.title` can change. */
  name: string;
  /** Full command line as one string. */
  cmd: string;
  /** argv, split exactly where the platform allows (/proc/<pid>/cmdline on Linux). */
  argv: string[];
  /** Resolved executable (/proc/<pid>/exe on Linux). */
  exe?: string;
  /** For interpreters (node, bun, deno, python): the script argument as written (`/usr/local/bin/gemini`). */
  scriptArg?: string;
  /** The same script resolved with realpath (`/usr/local/lib/node_modules/@google/gemini-cli/dist/index.js`). */
  script?: string;
  /** For `python -m <module>`: the module run (console scripts are also run this way, `python -m aider`). */
  module?: string;
  /** npm packages that `exe` or `script` lives in, outermost first (a platform package nests inside its parent). */
  packages: PackageRef[];
  startTime?: string;
  /** Parent, grandparent, ... up to pid 1. */
  ancestors: ProcessAncestor[];
}

/** A file on PATH whose name is one of the catalog's executable names. */
export interface ExecutableObservation {
  kind: 'executable';
  /** Name as listed in the PATH folder, Windows extension removed. */
  name: string;
  /** Where it was found on PATH. */
  path: string;
  /** After following symlinks. */
  realPath: string;
  /** npm packages the real path lives in, outermost first. */
  packages: PackageRef[];
  /** PATH entries earlier than this one that hold the same name shadow it. */
  shadowed: boolean;
  /** A symlink that loops or points nowhere: `realPath` is then `path` and the file cannot run. */
  broken?: boolean;
  /** What a Windows npm shim (`claude.cmd`, `claude.ps1`) runs, read from the shim: the `node_modules` file `packages` come from. */
  target?: string;
}

/** A file or folder in the home directory that a catalog entry names. */
export interface TraceObservation {
  kind: 'trace';
  path: string;
  /** The catalog pattern that produced this path (so the matcher can map it back). */
  pattern: string;
  isDirectory: boolean;
  /** The path itself is a symlink (not followed: `isDirectory` is then false). */
  isSymlink?: boolean;
  modified?: string;
}

export type Observation = ProcessObservation | ExecutableObservation | TraceObservation;

/** What a scanner could not do. It never stops the other scanners. */
export interface Skipped {
  scanner: string;
  reason: string;
}

/** A note about something passed over inside a scanner that still finished (an unreadable folder, a symlink loop). */
export interface ScanNote {
  scanner: string;
  path?: string;
  message: string;
}

/** Evidence shown to the person and in JSON. Fields depend on the kind. */
export interface Evidence {
  pid?: number;
  ppid?: number;
  uid?: number;
  name?: string;
  cmd?: string;
  exe?: string;
  script?: string;
  path?: string;
  realPath?: string;
  package?: string;
  version?: string;
  installMethod?: InstallMethod;
  ancestors?: ProcessAncestor[];
  /** Which signature matched, in words (`npm package @openai/codex`, `process name claude`). */
  matched: string;
}

export type InstallMethod = 'npm' | 'native' | 'pip' | 'brew' | 'app' | 'unknown';

/** A catalog tool seen in an observation. */
export interface Detection {
  tool: string;
  kind: FindingKind;
  confidence: Confidence;
  evidence: Evidence;
}

/** An approved tool to use instead, and how to get it. */
export interface Alternative {
  id: string;
  name: string;
  url?: string;
  install?: string;
  note?: string;
}

/** A detection with the policy's verdict and what the person should do. */
export interface Finding extends Detection {
  toolName: string;
  category: ToolCategory;
  action: Action;
  reason?: string;
  message?: string;
  alternatives: Alternative[];
  /** How to remove or stop the thing found, in one line. */
  remediation?: string;
}

/** The host the scan reads: one seam so other OS layouts can be tested from fixture roots. */
export interface HostInfo {
  os: OperatingSystem;
  home: string;
}
