/**
 * `aitool apply [--dry-run] [--undo] [--targets a,b] [--policy f] [--root dir] [--os os]`:
 * writes the vendors' own machine-wide settings files (what `aitool export
 * <target>` produces) where the tools read them, for onboarding and MDM
 * scripts run as root.
 *
 * Everything is planned first (every file read, parsed, merged and its path
 * checked), then written: a file apply cannot understand stops the run before
 * any target is touched. Merges never loosen what is there (./merge.ts); the
 * first change to a path keeps its original for `--undo` (./state.ts); the
 * paths are checked for planted links and folders others can write
 * (./locations.ts).
 *
 * Policy source: apply runs as root in a folder nobody vouches for, and what
 * it writes binds every user of the machine. So it reads the managed
 * (organisation) policy and `--policy` only: never the project layer (the
 * folder it runs in), nor a user layer (under sudo, HOME and XDG_CONFIG_HOME
 * may still be the invoking user's), nor AITOOL_POLICY from the environment.
 */
import type { OperatingSystem } from '../catalog/schema.js';
import type { CommandIo, CommandResult } from '../commands/check.js';
import { EXIT_FINDINGS, EXIT_OK, UserError } from '../errors.js';
import type { NativeFile } from '../export/native/types.js';
import type { ResolvedPolicy } from '../policy/types.js';
import { unifiedDiff } from './diff.js';
import { Locations, readExisting, type ExistingFile } from './locations.js';
import { deepEqual, mergeSettings, ShapeError, STRICTNESS_TABLES } from './merge.js';
import { ApplyState, sha256, STATE_MODE, type Manifest, type ManifestEntry } from './state.js';

export interface ApplyCommandOptions {
  dryRun?: boolean;
  undo?: boolean;
  /** Comma-separated target names. */
  targets?: string;
  policy?: string;
  root?: string;
  os?: string;
}

const OPERATING_SYSTEMS: readonly OperatingSystem[] = ['linux', 'macos', 'windows'];
const FILE_MODE = 0o644;
const FOLDER_MODE = 0o755;

/** The targets whose control is a plain settings file at a path, on the OSes where it is. */
const FILE_TARGETS: Readonly<Record<string, readonly OperatingSystem[]>> = {
  'claude-code': OPERATING_SYSTEMS,
  copilot: OPERATING_SYSTEMS,
  'gemini-cli': OPERATING_SYSTEMS,
  vscode: ['linux'],
};

/** How the other targets reach a machine: one line each, not an error. */
function deployedElsewhere(target: string, os: OperatingSystem): string {
  switch (target) {
    case 'vscode':
      return os === 'macos'
        ? 'vscode: macOS reads it from a configuration profile; push `aitool export vscode --os macos` through the MDM'
        : 'vscode: Windows reads it from the registry (HKLM\\Software\\Policies\\Microsoft\\VSCode); import `aitool export vscode --os windows` with `reg import` or push it through Group Policy or the MDM';
    case 'santa':
      return 'santa: Santa takes rules from a configuration profile or santactl (macOS); push `aitool export santa --output <dir>` through the MDM or run its santactl script';
    case 'jamf':
      return 'jamf: Restricted Software lives on the Jamf Pro server; upload `aitool export jamf --output <dir>` through its API';
    default:
      return `${target}: not a file apply can write on ${os}; use \`aitool export ${target}\``;
  }
}

interface FilePlan {
  target: string;
  file: NativeFile;
  real: string;
  missingFolders: string[];
  current: ExistingFile | undefined;
  /** The bytes to write, or undefined: nothing to change. */
  next: string | undefined;
  /** Why nothing changes. */
  status: 'write' | 'unchanged' | 'empty' | 'remove';
  /** What the merge used as the file's existing settings. */
  base: Buffer | undefined;
  notes: string[];
}

export async function applyCommand(options: ApplyCommandOptions, io: CommandIo): Promise<CommandResult> {
  const [{ NATIVE_TARGET_NAMES }, { createHost }] = await Promise.all([import('../export/command.js'), import('../host.js')]);
  const host = createHost({ env: io.env });
  const os = (options.os ?? host.os) as OperatingSystem;
  if (!OPERATING_SYSTEMS.includes(os)) throw new UserError(`apply: --os must be one of ${OPERATING_SYSTEMS.join(', ')}, got '${options.os}'`);
  if (options.root === undefined && os !== host.os) throw new UserError(`apply: --os ${os} writes another OS's paths; stage them with --root <dir>`);
  const targets = await selectedTargets(options.targets, NATIVE_TARGET_NAMES);
  if (options.root === undefined) requirePrivilege(host.os);

  const locations = await Locations.create(os, options.root, io.cwd);
  const state = new ApplyState(locations, locations.stateFolder(io.env));
  try {
    return options.undo ? await undo(locations, state, options.dryRun === true) : await apply(options, io, host.os, os, targets, locations, state);
  } catch (error) {
    // Windows has no euid to look at first: a refused write is the sign.
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof UserError && /\((EPERM|EACCES)\)/.test(error.message)) throw new UserError(`${error.message}; run aitool apply as ${host.os === 'windows' ? 'an administrator' : 'root'}`);
    if (code === 'EPERM' || code === 'EACCES') throw new UserError(`apply: ${code}: run aitool apply as ${host.os === 'windows' ? 'an administrator' : 'root'}`);
    throw error;
  }
}

async function selectedTargets(list: string | undefined, known: readonly string[]): Promise<string[]> {
  if (list === undefined) return [...known];
  const names = list.split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) throw new UserError('apply: --targets names no target');
  const { didYouMean } = await import('../policy/suggest.js');
  for (const name of names) {
    if (!known.includes(name)) throw new UserError(`apply: unknown target '${name}'${didYouMean(name, known)}; expected one of ${known.join(', ')}`);
  }
  return known.filter((name) => names.includes(name));
}

function requirePrivilege(hostOs: OperatingSystem): void {
  if (hostOs === 'windows' || typeof process.geteuid !== 'function') return;
  if (process.geteuid() !== 0) {
    throw new UserError('apply: writes machine-wide settings files and must run as root (sudo aitool apply), or stage them into a folder with --root <dir>');
  }
}

/** The managed policy and --policy only (see the top of this file). */
async function applyPolicy(options: ApplyCommandOptions, io: CommandIo, hostOs: OperatingSystem): Promise<ResolvedPolicy> {
  const [{ loadPolicy }, { CATALOG }, { createHost }] = await Promise.all([
    import('../policy/load.js'),
    import('../catalog/index.js'),
    import('../host.js'),
  ]);
  const env: Record<string, string | undefined> = { ...io.env, AITOOL_NO_CACHE: '1' };
  delete env.AITOOL_POLICY;
  return loadPolicy({
    cwd: io.cwd,
    env,
    os: hostOs,
    home: createHost({ env: io.env }).home,
    project: false,
    user: false,
    catalog: CATALOG,
    ...(options.policy ? { policyFile: options.policy } : {}),
  });
}

async function apply(
  options: ApplyCommandOptions,
  io: CommandIo,
  hostOs: OperatingSystem,
  os: OperatingSystem,
  targets: readonly string[],
  locations: Locations,
  state: ApplyState,
): Promise<CommandResult> {
  const policy = await applyPolicy(options, io, hostOs);
  const [{ nativeExportOf }, { CATALOG }] = await Promise.all([import('../export/command.js'), import('../catalog/index.js')]);
  const stdout: string[] = [];
  const stderr: string[] = policy.warnings.map((w) => `warning: ${[w.file, w.key, w.message].filter(Boolean).join(': ')}`);
  if (policy.files.length === 0) stderr.push('note: no managed policy and no --policy: applying the built-in default policy');

  const manifest = await state.readManifest();
  if (manifest && manifest.os !== os) throw new UserError(`apply: ${state.folder} records an apply for ${manifest.os}, not ${os}`);
  const plans: FilePlan[] = [];
  for (const target of targets) {
    if (!FILE_TARGETS[target]?.includes(os)) {
      stdout.push(`skipped ${deployedElsewhere(target, os)}`);
      continue;
    }
    const exported = await nativeExportOf(target, { policy, catalog: CATALOG, os });
    for (const file of exported.files) plans.push(await planFile(target, file, locations, state, manifest));
    // A file an earlier apply wrote that this policy no longer needs (managed-mcp.json once MCP is allowed again).
    for (const entry of manifest?.entries ?? []) {
      if (entry.target !== target || exported.files.some((file) => file.installPath === entry.path)) continue;
      const name = entry.path.split(os === 'windows' ? '\\' : '/').pop()!;
      plans.push(await planFile(target, { name, installPath: entry.path, content: '{}' }, locations, state, manifest));
    }
  }
  for (const plan of plans) stderr.push(...plan.notes.map((note) => `note: ${plan.file.installPath}: ${note}`));

  const writes = plans.filter((plan) => plan.status === 'write' || plan.status === 'remove');
  for (const plan of plans) {
    const where = `${plan.file.installPath} (${plan.target})`;
    if (plan.status === 'empty') stdout.push(`skipped ${where}: the policy sets nothing there`);
    else if (plan.status === 'unchanged') stdout.push(`unchanged ${where}`);
    else if (plan.status === 'remove') {
      stdout.push(`${options.dryRun ? 'would remove' : 'removed'} ${where}: the policy sets nothing there and there was no file before aitool`);
      if (options.dryRun) stdout.push(unifiedDiff(plan.current!.bytes.toString('utf8'), '', plan.file.installPath, plan.file.installPath).trimEnd());
    }
    else if (options.dryRun) stdout.push(`would write ${where}`, unifiedDiff(plan.current?.bytes.toString('utf8') ?? '', plan.next!, plan.file.installPath, plan.file.installPath).trimEnd());
    else stdout.push(`wrote ${where}`);
  }
  if (writes.length === 0) stdout.push('nothing to change: every file already holds this policy');
  if (!options.dryRun && writes.length > 0) await writePlans(writes, locations, state, manifest, os);
  return result(stdout, stderr, EXIT_OK);
}

function result(stdout: string[], stderr: string[], exitCode: number): CommandResult {
  const lines = (list: string[], prefix: string) => list.map((line) => `${prefix}${line}\n`).join('');
  return { stdout: lines(stdout, ''), stderr: lines(stderr, 'aitool: '), exitCode };
}

function parseJson(bytes: Buffer, logical: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new UserError(`apply: ${logical} is not valid JSON; nothing was written (fix or remove it, aitool never overwrites what it cannot read)`);
  }
}

async function planFile(target: string, file: NativeFile, locations: Locations, state: ApplyState, manifest: Manifest | undefined): Promise<FilePlan> {
  const logical = file.installPath;
  const table = STRICTNESS_TABLES[target]?.[file.name];
  if (table === undefined) throw new Error(`apply: no strictness table for ${target}'s ${file.name}`);
  const missingFolders = await locations.check(logical);
  const real = locations.real(logical);
  const current = await readExisting(real, logical);
  const entry = manifest?.entries.find((candidate) => candidate.path === logical);
  const currentSha = current === undefined ? undefined : sha256(current.bytes);
  // Still what aitool wrote: merge onto what was there before, not onto aitool's own output.
  const base =
    entry !== undefined && currentSha === entry.writtenSha256
      ? entry.baseSha256 === undefined
        ? undefined
        : await state.readBackup(logical, 'base', entry.baseSha256)
      : current?.bytes;
  const ours = JSON.parse(file.content) as Record<string, unknown>;
  const plan: FilePlan = { target, file, real, missingFolders, current, next: undefined, status: 'unchanged', base, notes: [] };
  if (base === undefined && Object.keys(ours).length === 0) {
    // Nothing was there before aitool and the policy now sets nothing: the file aitool made goes away.
    return { ...plan, status: current === undefined ? 'empty' : 'remove' };
  }
  // The policy no longer sets anything here: what was there before aitool comes back as it was.
  if (base !== undefined && Object.keys(ours).length === 0 && entry !== undefined && base !== current?.bytes) {
    return { ...plan, status: 'write', next: base.toString('utf8') };
  }

  const baseValue = base === undefined ? undefined : parseJson(base, logical);
  let merged;
  try {
    merged = mergeSettings(table, baseValue, ours);
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    throw new UserError(`apply: ${logical}: ${error.message}; nothing was written (aitool never overwrites what it cannot read)`);
  }
  plan.notes = merged.notes;
  const currentValue = current === undefined ? undefined : base === current.bytes ? baseValue : parseJson(current.bytes, logical);
  if (current !== undefined && deepEqual(merged.merged, currentValue)) return plan;
  return { ...plan, status: 'write', next: `${JSON.stringify(merged.merged, null, 2)}\n` };
}

/** Backups and the manifest first, then the files: an interrupted run can still be undone. */
async function writePlans(plans: readonly FilePlan[], locations: Locations, state: ApplyState, previous: Manifest | undefined, os: OperatingSystem): Promise<void> {
  const manifest: Manifest = previous ?? { format: 1, os, entries: [], createdFolders: [] };
  const stateMissing = await locations.check(`${state.folder}${os === 'windows' ? '\\' : '/'}manifest.json`);
  await createFolders(locations, manifest, stateMissing.slice(0, -1), FOLDER_MODE);
  await createFolders(locations, manifest, stateMissing.slice(-1), STATE_MODE);

  for (const plan of plans) {
    const logical = plan.file.installPath;
    let entry = manifest.entries.find((candidate) => candidate.path === logical);
    if (plan.status === 'remove') {
      // Back to no file, as before aitool: nothing left to undo for this path.
      if (entry && !entry.existed) manifest.entries.splice(manifest.entries.indexOf(entry), 1);
      else if (entry) entry.writtenSha256 = '';
      continue;
    }
    if (entry === undefined) {
      entry = { path: logical, target: plan.target, existed: plan.current !== undefined, writtenSha256: '' };
      if (plan.current) {
        entry.mode = plan.current.mode;
        entry.originalSha256 = sha256(plan.current.bytes);
        await state.writeBackup(logical, 'original', plan.current.bytes);
      }
      manifest.entries.push(entry);
    }
    entry.writtenSha256 = sha256(plan.next!);
    if (plan.base === undefined) delete entry.baseSha256;
    else {
      entry.baseSha256 = sha256(plan.base);
      await state.writeBackup(logical, 'base', plan.base);
    }
  }
  // The folders the files need are recorded before they exist, so undo finds them whatever happens next.
  const folders = plans.filter((plan) => plan.status === 'write').flatMap((plan) => plan.missingFolders).filter((folder, index, all) => all.indexOf(folder) === index);
  for (const folder of folders) {
    const logical = locations.logical(folder);
    if (!manifest.createdFolders.includes(logical)) manifest.createdFolders.push(logical);
  }
  await state.writeManifest(manifest);

  const { writeFileAtomic } = await import('../output.js');
  const { unlink } = await import('node:fs/promises');
  for (const plan of plans) {
    if (plan.status === 'remove') {
      await unlink(plan.real);
      continue;
    }
    // Checked again right before the write; another file may have created a shared folder meanwhile.
    await locations.createFolders(await locations.check(plan.file.installPath), FOLDER_MODE);
    await writeFileAtomic(plan.real, plan.next!, FILE_MODE);
  }
}

async function createFolders(locations: Locations, manifest: Manifest, missing: readonly string[], mode: number): Promise<void> {
  for (const folder of missing) {
    const logical = locations.logical(folder);
    if (!manifest.createdFolders.includes(logical)) manifest.createdFolders.push(logical);
  }
  await locations.createFolders(missing, mode);
}

/**
 * Puts back every file apply changed: the original bytes and mode, or no file
 * where there was none (only when it still holds what aitool wrote). Then the
 * folders apply created, when empty, and the state itself.
 */
async function undo(locations: Locations, state: ApplyState, dryRun: boolean): Promise<CommandResult> {
  const manifest = await state.readManifest();
  if (manifest === undefined) return result([`nothing to undo: aitool apply has not changed ${locations.root === undefined ? 'this machine' : locations.root}`], [], EXIT_OK);
  if (manifest.os !== locations.os) throw new UserError(`apply: ${state.folder} records an apply for ${manifest.os}, not ${locations.os}`);
  const stdout: string[] = [];
  let exitCode = EXIT_OK;

  // Checked and read first: a planted link stops the undo before it changes anything.
  const steps: { entry: ManifestEntry; real: string; current: ExistingFile | undefined; original: Buffer | undefined }[] = [];
  for (const entry of manifest.entries) {
    await locations.check(entry.path);
    const real = locations.real(entry.path);
    const original = entry.existed ? await state.readBackup(entry.path, 'original', entry.originalSha256!) : undefined;
    steps.push({ entry, real, current: await readExisting(real, entry.path), original });
  }

  const { writeFileAtomic } = await import('../output.js');
  const { unlink, rmdir } = await import('node:fs/promises');
  for (const { entry, real, current, original } of steps) {
    if (original !== undefined) {
      if (current !== undefined && current.bytes.equals(original) && current.mode === entry.mode) {
        stdout.push(`unchanged ${entry.path} (already as before aitool)`);
        continue;
      }
      if (dryRun) stdout.push(`would restore ${entry.path}`, unifiedDiff(current?.bytes.toString('utf8') ?? '', original.toString('utf8'), entry.path, entry.path).trimEnd());
      else {
        await writeFileAtomic(real, original, entry.mode ?? FILE_MODE);
        stdout.push(`restored ${entry.path}`);
      }
    } else if (current === undefined) {
      stdout.push(`gone ${entry.path} (already removed)`);
    } else if (sha256(current.bytes) === entry.writtenSha256) {
      if (!dryRun) await unlink(real);
      stdout.push(`${dryRun ? 'would remove' : 'removed'} ${entry.path}`);
    } else {
      stdout.push(`left ${entry.path}: changed since aitool wrote it, not removed`);
      exitCode = EXIT_FINDINGS;
    }
  }
  if (dryRun) return result(stdout, [], exitCode);

  await state.remove(manifest);
  // Children were recorded after their parents.
  for (const logical of [...manifest.createdFolders].reverse()) {
    const real = locations.real(logical);
    const removed = await rmdir(real).then(
      () => true,
      () => false,
    );
    if (removed && logical !== state.folder) stdout.push(`removed folder ${logical}`);
  }
  return result(stdout, [], exitCode);
}
