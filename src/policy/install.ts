/**
 * `aitool policy install --managed <file> [--dry-run] [--root <dir>]`: puts
 * an organisation's policy where the managed layer reads it (./locate.ts:
 * /etc/aitool, /Library/Application Support/aitool, %ProgramData%\aitool),
 * for MDM and configuration-management scripts run as root.
 *
 * The bytes are read once, checked as the managed layer will read them, and
 * those same bytes are written: atomically (a temp file created exclusively
 * beside the target, fsync, rename), 0644 and root-owned, in 0755 folders.
 * The path is checked the way `aitool apply` checks its own (../apply/
 * locations.ts): no link anywhere on it, no folder a user other than root can
 * change, since either would let that user steer a write made as root.
 *
 * Backups: every managed file there before (policy.yaml, .yml or .json) is
 * copied beside it, `policy.yaml.aitool-backup-<UTC time>`, root-owned 0644,
 * and the output says how to put it back. Beside rather than in a state
 * folder: the loader only reads the three policy names, so a backup there is
 * never read by mistake, it stays in the folder an administrator looks in,
 * and restoring is one `mv` within one file system (an atomic rename, with
 * the mode the loader needs already set).
 *
 * One managed file only: the loader takes the first of policy.yaml,
 * policy.yml, policy.json and ignores the others, so installing policy.json
 * beside an old policy.yaml would have no effect at all. The installed file
 * replaces every other managed name (each backed up first).
 */
import { constants } from 'node:fs';
import { lchown, lstat, open, realpath, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { OperatingSystem } from '../catalog/schema.js';
import type { CommandIo, CommandResult } from '../commands/check.js';
import { EXIT_OK, PolicyError, UserError } from '../errors.js';

export interface PolicyInstallOptions {
  managed: string;
  dryRun?: boolean;
  root?: string;
}

const FILE_MODE = 0o644;
const FOLDER_MODE = 0o755;
/** The loader's cap (./load.ts): a larger file would install and then fail on every machine. */
const MAX_POLICY_BYTES = 1024 * 1024;
const DATA_NAME = /\.(json|ya?ml)$/i;

interface ExistingManaged {
  logical: string;
  real: string;
  bytes: Buffer;
  mode: number;
  uid: number;
}

export async function policyInstallCommand(options: PolicyInstallOptions, io: CommandIo): Promise<CommandResult> {
  const [{ createHost }, { CATALOG }] = await Promise.all([import('../host.js'), import('../catalog/index.js')]);
  const host = createHost({ env: io.env });
  const os = host.os;
  if (options.root === undefined) requirePrivilege(os);

  const source = path.resolve(io.cwd, options.managed);
  if (!DATA_NAME.test(source)) throw new PolicyError(source, undefined, 'the managed policy must be a .json, .yaml or .yml file');
  const bytes = await readSource(source);
  const text = bytes.toString('utf8');
  if (text.trim() === '') throw new PolicyError(source, undefined, 'is empty: a managed policy that sets nothing would replace the organisation policy with the built-in default');

  const { validateManagedPolicyText } = await import('./load.js');
  const checked = await validateManagedPolicyText(source, text, { cwd: io.cwd, env: io.env, os, home: host.home, catalog: CATALOG });

  const { managedPolicyCandidates } = await import('./locate.js');
  const candidates = managedPolicyCandidates({ env: options.root === undefined ? io.env : {}, os });
  const ext = path.extname(source).toLowerCase();
  const targetLogical = candidates.find((candidate) => candidate.toLowerCase().endsWith(ext))!;
  const join = os === 'windows' ? path.win32 : path.posix;
  const folderLogical = join.dirname(targetLogical);

  const { Locations } = await import('../apply/locations.js');
  const locations = await asInstallError(() => Locations.create(os, options.root, io.cwd));
  const targetReal = locations.real(targetLogical);
  await checkRelativeExtends(source, checked.extends, path.dirname(targetReal));
  // The folders down to where the temp file is created: that name never exists, so only the folders are judged here.
  const missingFolders = await asInstallError(() => locations.check(join.join(folderLogical, '.aitool-install-check')));
  const existing: ExistingManaged[] = [];
  for (const logical of candidates) {
    const found = await readManaged(logical, locations.real(logical));
    if (found) existing.push(found);
  }

  const stdout: string[] = [];
  const stderr = checked.warnings.map((w) => `warning: ${[w.file, w.key, w.message].filter(Boolean).join(': ')}`);
  const current = existing.find((file) => file.logical === targetLogical);
  const others = existing.filter((file) => file.logical !== targetLogical);
  const privileged = options.root === undefined && typeof process.geteuid === 'function' && process.geteuid() === 0;
  const unchanged = current !== undefined && current.bytes.equals(bytes) && others.length === 0 && current.mode === FILE_MODE && (!privileged || current.uid === 0);
  if (unchanged) return result([`unchanged ${targetReal}: it already holds ${source}`], stderr);

  if (options.dryRun) {
    const { unifiedDiff } = await import('../apply/diff.js');
    // The diff is against the file the loader reads today (the first name found).
    const before = existing[0];
    stdout.push(`would install ${source} as ${targetReal} (mode 644${options.root === undefined ? ', owner root' : ''})`);
    const diff = unifiedDiff(before?.bytes.toString('utf8') ?? '', text, before?.real ?? targetReal, targetReal).trimEnd();
    if (diff !== '') stdout.push(diff);
    for (const file of existing) stdout.push(`would back up ${file.real}${file === current ? '' : ' and remove it (the loader would read only one managed file)'}`);
    for (const folder of missingFolders) stdout.push(`would create folder ${folder} (mode 755)`);
    return result(stdout, stderr);
  }

  const { createExclusive, writeFileAtomic } = await import('../output.js');
  await asInstallError(() => locations.createFolders(missingFolders, FOLDER_MODE));
  for (const folder of missingFolders) {
    if (privileged) await lchown(folder, 0, 0);
    stdout.push(`created folder ${folder} (mode 755)`);
  }
  const stamp = new Date().toISOString().replace(/[-:]/g, '');
  const backups: { of: ExistingManaged; real: string }[] = [];
  for (const file of existing) {
    const backup = `${file.real}.aitool-backup-${stamp}`;
    await writeOrExplain(backup, () => createExclusive(backup, file.bytes, FILE_MODE));
    if (privileged) await lchown(backup, 0, 0);
    backups.push({ of: file, real: backup });
  }
  await writeOrExplain(targetReal, () => writeFileAtomic(targetReal, bytes, FILE_MODE));
  // Created by root, the file's group is still the process's: the managed file is root's alone.
  if (privileged) await lchown(targetReal, 0, 0);
  for (const file of others) await unlink(file.real);
  await syncFolder(path.dirname(targetReal));

  stdout.push(`installed ${source} as ${targetReal} (mode 644${privileged ? ', owner root' : ''})`);
  for (const { of, real } of backups) {
    stdout.push(`backed up ${of.real} to ${real}${of === current ? '' : ' and removed it (the loader reads only one managed file)'}`);
  }
  const restore = restoreCommand(os, backups, targetReal, current);
  if (restore) stdout.push(backups.length === 0 ? `there was no managed policy before; to go back to none: ${restore}` : `to restore the previous policy: ${restore}`);
  if (others.length === 0 && current !== undefined && current.mode !== FILE_MODE) stdout.push(`note: the file it replaced had mode ${current.mode.toString(8)}`);
  if (os === 'windows') {
    stdout.push(
      `note: on Windows the file's mode means little; ${folderLogical} inherits ProgramData's ACL, where Users may create files: run icacls "${folderLogical}" /inheritance:r /grant:r "SYSTEM:(OI)(CI)F" "Administrators:(OI)(CI)F" "Users:(OI)(CI)RX"`,
    );
  }
  return result(stdout, stderr);
}

function requirePrivilege(os: OperatingSystem): void {
  // Windows has no euid to look at: a refused write says it (writeOrExplain).
  if (os === 'windows' || typeof process.geteuid !== 'function') return;
  if (process.geteuid() !== 0) {
    throw new UserError('policy install: writes the machine\'s managed policy and must run as root (sudo aitool policy install --managed <file>), or stage it into a folder with --root <dir>');
  }
}

/** The locations module speaks as `apply`; these refusals are the installer's. */
async function asInstallError<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof UserError) throw new UserError(error.message.replace(/^apply: /, 'policy install: ').replace(/[\\/]\.aitool-install-check\b/, ''));
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EPERM' || code === 'EACCES') throw new UserError(`policy install: ${code}: run it as root or an administrator`);
    throw error;
  }
}

async function writeOrExplain(file: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (/\((E[A-Z]+)\)$/.exec((error as Error).message)?.[1] ?? '');
    if (code === 'EPERM' || code === 'EACCES') throw new UserError(`policy install: ${file}: cannot write (${code}); run it as root or an administrator`);
    if (code === 'EEXIST') throw new UserError(`policy install: ${file} already exists; run it again in a second`);
    if (error instanceof UserError) throw new UserError(`policy install: ${error.message}`);
    throw new UserError(`policy install: ${file}: cannot write (${code || String(error)})`);
  }
}

/**
 * The file to install, read once through one descriptor: a regular file (a
 * FIFO would block, a device never ends) no larger than the loader accepts.
 * A link is followed: the administrator named it.
 */
async function readSource(file: string): Promise<Buffer> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PolicyError(file, undefined, code === 'ENOENT' ? 'cannot read: no such file' : `cannot read: ${code}`);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new PolicyError(file, undefined, 'cannot read: is a folder, not a file');
    if (!info.isFile()) throw new PolicyError(file, undefined, 'cannot read: not a regular file');
    if (info.size > MAX_POLICY_BYTES) throw new PolicyError(file, undefined, `cannot read: larger than ${MAX_POLICY_BYTES / 1024} KiB`);
    const buffer = Buffer.alloc(MAX_POLICY_BYTES + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > MAX_POLICY_BYTES) throw new PolicyError(file, undefined, `cannot read: larger than ${MAX_POLICY_BYTES / 1024} KiB`);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * A relative `extends` resolves from the folder of the file that names it:
 * once installed, from the managed folder. It must name the same file from
 * there as from where it was checked, or the installed policy would read
 * something else (or nothing) on every machine.
 */
async function checkRelativeExtends(source: string, specs: readonly string[], installedFolder: string): Promise<void> {
  for (const [index, spec] of specs.entries()) {
    if (!/^\.\.?(?:[\\/]|$)/.test(spec)) continue;
    const here = await realpath(path.resolve(path.dirname(source), spec)).catch(() => undefined);
    const there = await realpath(path.resolve(installedFolder, spec)).catch(() => undefined);
    if (here === undefined || here !== there) {
      const key = specs.length > 1 ? `extends[${index}]` : 'extends';
      throw new PolicyError(source, key, `'${spec}' is relative: installed in ${installedFolder} it would not name the same file; use an absolute path or an aitool: preset`);
    }
  }
}

/** A managed file at `real`, or undefined; a link or anything but a regular file there is refused. */
async function readManaged(logical: string, real: string): Promise<ExistingManaged | undefined> {
  const info = await lstat(real).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new UserError(`policy install: ${logical}: ${error.code}`);
  });
  if (info === undefined) return undefined;
  if (info.isSymbolicLink()) throw new UserError(`policy install: refusing ${logical}: it is a symbolic link`);
  if (!info.isFile()) throw new UserError(`policy install: refusing ${logical}: not a regular file`);
  const { readExisting } = await import('../apply/locations.js');
  const existing = await asInstallError(() => readExisting(real, logical));
  if (existing === undefined) return undefined;
  return { logical, real, bytes: existing.bytes, mode: existing.mode, uid: info.uid };
}

function restoreCommand(os: OperatingSystem, backups: readonly { of: ExistingManaged; real: string }[], installed: string, replaced: ExistingManaged | undefined): string | undefined {
  const quote = (file: string): string => (os === 'windows' ? `"${file}"` : `'${file.replace(/'/g, `'\\''`)}'`);
  const move = (from: string, to: string): string => (os === 'windows' ? `move /Y ${quote(from)} ${quote(to)}` : `mv ${quote(from)} ${quote(to)}`);
  const remove = (file: string): string => (os === 'windows' ? `del ${quote(file)}` : `rm ${quote(file)}`);
  const steps = backups.map(({ of, real }) => move(real, of.real));
  // No file of this name before: it goes, whatever else comes back.
  if (replaced === undefined) steps.push(remove(installed));
  return steps.join(' && ');
}

/** The rename is durable only once the folder's entry is on disk. Windows cannot open a folder for this. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function result(stdout: string[], stderr: string[]): CommandResult {
  const lines = (list: string[], prefix: string) => list.map((line) => `${prefix}${line}\n`).join('');
  return { stdout: lines(stdout, ''), stderr: lines(stderr, 'aitool: '), exitCode: EXIT_OK };
}

/** Admin groups: root's, and macOS's `admin` (gid 80), whose members are administrators anyway. */
function isAdminGroup(gid: number, os: OperatingSystem): boolean {
  return gid === 0 || (os === 'macos' && gid === 80);
}

export interface ManagedFileAccess {
  file: string;
  uid: number;
  gid: number;
  mode: number;
  /** Why a user other than an administrator could change the policy (the file, or a folder above it); empty when none can. */
  problems: string[];
}

/**
 * Who may change a managed policy file: its owner and mode, and for it and
 * every folder above it, whether a non-administrator could write it (and so
 * change or replace the policy). A folder with the sticky bit (/tmp) lets
 * others add names but not replace one owned by root, so it is not a problem
 * for the root-owned entry below it. Windows keeps this in ACLs, not checked.
 */
export async function managedFileAccess(file: string, os: OperatingSystem): Promise<ManagedFileAccess | undefined> {
  const real = await realpath(file).catch(() => undefined);
  if (real === undefined) return undefined;
  const info = await stat(real);
  const access: ManagedFileAccess = { file, uid: info.uid, gid: info.gid, mode: info.mode & 0o7777, problems: [] };
  if (os === 'windows' || process.platform === 'win32') return access;
  const problems = new Set(await chainProblems(real, os));
  // Reached through a link: whoever can change the link's folders can point it elsewhere.
  if (real !== path.resolve(file)) for (const problem of await chainProblems(path.resolve(file), os)) problems.add(problem);
  access.problems = [...problems];
  return access;
}

/** The problems of `target` (not followed if a link) and of every folder above it. */
async function chainProblems(target: string, os: OperatingSystem): Promise<string[]> {
  const chain: string[] = [];
  for (let current = target; ; current = path.dirname(current)) {
    chain.unshift(current);
    if (path.dirname(current) === current) break;
  }
  const problems: string[] = [];
  for (const [index, component] of chain.entries()) {
    const below = chain[index + 1];
    const belowUid = below === undefined ? 0 : (await lstat(below)).uid;
    problems.push(...(await writersOf(component, os, belowUid)));
  }
  return problems;
}

/** Why a non-administrator could change `target`; `childUid` is the owner of the entry below it (for the sticky bit). */
async function writersOf(target: string, os: OperatingSystem, childUid: number): Promise<string[]> {
  const info = await lstat(target);
  // A link cannot be rewritten, only replaced: that is its folder's business.
  if (info.isSymbolicLink()) return [];
  const mode = info.mode & 0o7777;
  const what = `${target} (owner uid ${info.uid}, group ${info.gid}, mode ${mode.toString(8)})`;
  const problems: string[] = [];
  if (info.uid !== 0) problems.push(`${what}: owned by a user other than root`);
  const sticky = info.isDirectory() && (mode & 0o1000) !== 0 && childUid === 0;
  if (!sticky) {
    if ((mode & 0o002) !== 0) problems.push(`${what}: every user can write it`);
    else if ((mode & 0o020) !== 0 && !isAdminGroup(info.gid, os)) problems.push(`${what}: group ${info.gid} can write it`);
  }
  return problems;
}

/** The lines `aitool policy show` adds about the managed files it read. */
export async function formatManagedAccess(files: readonly string[], os: OperatingSystem): Promise<{ lines: string[]; warnings: string[] }> {
  const lines: string[] = [];
  const warnings: string[] = [];
  for (const file of files) {
    const access = await managedFileAccess(file, os);
    if (!access) continue;
    const owner = access.uid === 0 ? 'root (uid 0)' : `uid ${access.uid}`;
    lines.push(`  ${file}  owner ${owner}, group ${access.gid}, mode ${access.mode.toString(8).padStart(4, '0')}`);
    if (os === 'windows') lines.push('    (Windows: access is set by the folder\'s ACL; check it with icacls)');
    for (const problem of access.problems) warnings.push(`${file}: a non-administrator could change the managed policy: ${problem}`);
  }
  return { lines, warnings };
}
