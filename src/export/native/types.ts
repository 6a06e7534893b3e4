/**
 * Exports into the vendors' own controls (issue 11): the effective policy
 * written as the machine-wide settings file a tool itself obeys. Each target
 * is one module in this folder exporting `exportNative`, registered in
 * ../command.ts. Pure: no I/O; the command writes what it returns.
 */
import type { OperatingSystem, ToolEntry } from '../../catalog/schema.js';
import type { ResolvedPolicy } from '../../policy/types.js';

export interface NativeExportInput {
  policy: ResolvedPolicy;
  catalog: readonly ToolEntry[];
  /** The OS the files are for (`--os`, else the one aitool runs on): paths and formats differ. */
  os: OperatingSystem;
  /** Native binaries of catalog tools this machine's scan found (targets that block by hash, e.g. santa). */
  binaries?: readonly FoundBinary[];
}

/** A file a scan found for a tool, hashed without running it. */
export interface FoundBinary {
  tool: string;
  path: string;
  version?: string;
  sha256: string;
}

/** Options a target's scan needs: the check's working folder, environment and --policy. */
export interface ScanOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  policyFile?: string;
}

export interface NativeFile {
  /** The file's name as written into --output (a folder when there are several files). */
  name: string;
  /** Where an administrator (or `aitool apply`) puts it on that OS. */
  installPath: string;
  content: string;
}

export interface NativeExport {
  files: NativeFile[];
  /** One line each: what the native control cannot express of this policy (per tool where it applies). */
  cannotExpress: string[];
}

export type NativeExporter = (input: NativeExportInput) => NativeExport;
