/**
 * `aitool export <osquery|fleet> [--fleetd] [--policy f] [--output file]`: the
 * effective policy (every layer and preset, exactly as `aitool check` loads
 * it) written as the fleet's own checks. The export goes to stdout or,
 * atomically, to --output; policy warnings and the signatures osquery cannot
 * check go to stderr, one line each.
 */
import path from 'node:path';
import { UserError } from '../errors.js';
import type { CommandIo, CommandResult } from '../commands/check.js';

import type { OperatingSystem, ToolEntry } from '../catalog/schema.js';
import type { ResolvedPolicy } from '../policy/types.js';
import type { FoundBinary, NativeExport, NativeExporter, NativeExportInput, ScanOptions } from './native/types.js';

/**
 * The vendors' own controls (./native/): each target one module, loaded only
 * when asked for.
 */
const NATIVE_TARGETS: Record<string, () => Promise<NativeTarget>> = {
  'claude-code': () => import('./native/claude-code.js'),
  vscode: () => import('./native/vscode.js'),
  copilot: () => import('./native/copilot.js'),
  'gemini-cli': () => import('./native/gemini-cli.js'),
  santa: () => import('./native/santa.js'),
  jamf: () => import('./native/jamf.js'),
};

/** A target that rules on files found on this machine (santa) also says how to find them. */
interface NativeTarget {
  exportNative: NativeExporter;
  foundBinaries?: (options: ScanOptions) => Promise<FoundBinary[]>;
}

/** The vendors' own controls, in the order `export all` and `apply` list them. */
export const NATIVE_TARGET_NAMES: readonly string[] = Object.keys(NATIVE_TARGETS);

/** One native target's files for a policy (what `aitool export <target>` writes), for `aitool apply`. */
export async function nativeExportOf(target: string, input: NativeExportInput): Promise<NativeExport> {
  if (!Object.hasOwn(NATIVE_TARGETS, target)) throw new UserError(`unknown native target '${target}'`);
  const { exportNative } = await NATIVE_TARGETS[target]!();
  return exportNative(input);
}

export const FLEET_TARGETS = ['osquery', 'fleet'] as const;
/** Every target at once, into a folder, with an index (./all.ts). */
export const ALL_TARGET = 'all';
export const EXPORT_TARGETS: readonly string[] = [...FLEET_TARGETS, ...Object.keys(NATIVE_TARGETS), ALL_TARGET];
export type ExportTarget = (typeof FLEET_TARGETS)[number];

export interface ExportCommandOptions {
  policy?: string;
  output?: string;
  /** The hosts run Fleet's agent: also query its ai_tools table. */
  fleetd?: boolean;
  /** Native targets: the OS the files are for (default: this one). */
  os?: string;
}

const OPERATING_SYSTEMS: readonly OperatingSystem[] = ['linux', 'macos', 'windows'];

function isTarget(value: string): value is ExportTarget {
  return (FLEET_TARGETS as readonly string[]).includes(value);
}

export async function exportCommand(target: string, options: ExportCommandOptions, io: CommandIo): Promise<CommandResult> {
  if (Object.hasOwn(NATIVE_TARGETS, target)) return nativeExportCommand(target, options, io);
  if (target === ALL_TARGET) return (await import('./all.js')).exportAllCommand(options, io);
  if (!isTarget(target)) throw new UserError(`export: unknown target '${target}'; expected one of ${EXPORT_TARGETS.join(', ')}`);
  const context = await exportContext(options, io);
  const fleet = await fleetExport(target, context, options);
  const stderr = [...warningLines(context.policy), ...fleet.notes].map((line) => `aitool: ${line}\n`).join('');

  if (options.output) {
    const { writeFileAtomic } = await import('../output.js');
    // A query pack carries no command lines; whoever deploys it may need to read it.
    await writeFileAtomic(path.resolve(io.cwd, options.output), fleet.text, 0o644);
    return { stdout: '', stderr, exitCode: 0 };
  }
  return { stdout: fleet.text, stderr, exitCode: 0 };
}

/** What every target is built from: the effective policy, exactly as `aitool check` loads it, for one OS. */
export interface ExportContext {
  policy: ResolvedPolicy;
  catalog: readonly ToolEntry[];
  os: OperatingSystem;
  scan: ScanOptions;
}

export async function exportContext(options: ExportCommandOptions, io: CommandIo): Promise<ExportContext> {
  const [{ policyFor }, { createHost }, { CATALOG }] = await Promise.all([
    import('../run.js'),
    import('../host.js'),
    import('../catalog/index.js'),
  ]);
  const host = createHost({ env: io.env });
  const os = (options.os ?? host.os) as OperatingSystem;
  if (!OPERATING_SYSTEMS.includes(os)) throw new UserError(`export: --os must be one of ${OPERATING_SYSTEMS.join(', ')}, got '${options.os}'`);
  const scan: ScanOptions = { cwd: io.cwd, env: io.env, ...(options.policy ? { policyFile: options.policy } : {}) };
  const policy = await policyFor(scan, host);
  return { policy, catalog: CATALOG, os, scan };
}

export function warningLines(policy: ResolvedPolicy): string[] {
  return policy.warnings.map((w) => `warning: ${[w.file, w.key, w.message].filter(Boolean).join(': ')}`);
}

/** An osquery pack or Fleet policies, and what they cannot check, one line each. */
export async function fleetExport(target: ExportTarget, context: ExportContext, options: ExportCommandOptions): Promise<{ text: string; notes: string[] }> {
  const { planExport, gapLines } = await import('./plan.js');
  const plan = planExport(context.policy, context.catalog, { fleetd: options.fleetd === true });
  const text = target === 'osquery' ? (await import('./osquery.js')).formatPack(plan) : (await import('./fleet.js')).formatFleet(plan);
  const notes = [...(plan.tools.length === 0 ? ['export: the policy blocks and warns about no tool; the export is empty'] : []), ...gapLines(plan)];
  return { text, notes };
}

/** One vendor's control files for the context's policy and OS (santa also hashes the binaries this machine's scan finds). */
export async function nativeExport(target: string, context: ExportContext): Promise<NativeExport> {
  const { foundBinaries } = await NATIVE_TARGETS[target]!();
  const binaries = foundBinaries ? await foundBinaries(context.scan) : undefined;
  return nativeExportOf(target, { policy: context.policy, catalog: context.catalog, os: context.os, ...(binaries ? { binaries } : {}) });
}

/**
 * A native target: one file goes to stdout or --output; several need --output
 * naming a folder, one file each. What the control cannot express goes to stderr.
 */
async function nativeExportCommand(target: string, options: ExportCommandOptions, io: CommandIo): Promise<CommandResult> {
  const context = await exportContext(options, io);
  const result = await nativeExport(target, context);
  const stderr = [
    ...warningLines(context.policy),
    ...result.files.map((file) => `${target}: ${file.name} goes to ${file.installPath}`),
    ...result.cannotExpress.map((line) => `${target} cannot express: ${line}`),
  ]
    .map((line) => `aitool: ${line}\n`)
    .join('');
  const { writeFileAtomic } = await import('../output.js');
  if (result.files.length === 1 && !options.output) return { stdout: result.files[0]!.content, stderr, exitCode: 0 };
  if (!options.output) throw new UserError(`export ${target}: writes ${result.files.length} files; name a folder with --output`);
  const target_ = path.resolve(io.cwd, options.output);
  if (result.files.length === 1) {
    await writeFileAtomic(target_, result.files[0]!.content, 0o644);
  } else {
    const { mkdir } = await import('node:fs/promises');
    await mkdir(target_, { recursive: true });
    for (const file of result.files) await writeFileAtomic(path.join(target_, file.name), file.content, 0o644);
  }
  return { stdout: '', stderr, exitCode: 0 };
}
