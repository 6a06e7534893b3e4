/**
 * Where `aitool apply` writes, and the checks that keep a write as root from
 * being steered somewhere else.
 *
 * Paths are kept in two forms: the logical one (the vendor's path on the
 * target OS, `C:\Program Files\ClaudeCode\managed-settings.json`), which the
 * manifest records and the output shows, and the real one on this machine:
 * the same path, or under `--root` the path inside the staging tree
 * (`<root>/C/Program Files/ClaudeCode/…` for a Windows drive).
 *
 * Running as root, aitool must not follow a link someone planted, nor write
 * into a folder another user can change (they could swap a component for a
 * link between the check and the write). So every existing component of a
 * path, from the file system root (or the staging root) down, must be a real
 * folder, and without `--root`: owned by root and not writable by group
 * (unless the group is root's) or others.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { OperatingSystem } from '../catalog/schema.js';
import { UserError } from '../errors.js';

export class Locations {
  private constructor(
    readonly os: OperatingSystem,
    /** The staging tree's real path (links in the root itself resolved), or undefined: the live system. */
    readonly root: string | undefined,
  ) {}

  static async create(os: OperatingSystem, root: string | undefined, cwd: string): Promise<Locations> {
    if (root === undefined) return new Locations(os, undefined);
    const resolved = path.resolve(cwd, root);
    try {
      // The administrator named this folder; links above it (macOS's /var → /private/var) are theirs.
      const real = await realpath(resolved);
      if (!(await lstat(real)).isDirectory()) throw new UserError(`apply: --root ${resolved} is not a folder`);
      return new Locations(os, real);
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new UserError(`apply: --root ${resolved}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }

  /** The path on this machine for a logical path of the target OS. */
  real(logical: string): string {
    if (this.root === undefined) return logical;
    const parts = this.os === 'windows' ? logical.replace(/^([A-Za-z]):/, '$1').split('\\') : logical.split('/');
    return path.join(this.root, ...parts.filter((part) => part !== ''));
  }

  /** The logical path of a real one (the inverse of `real`). */
  logical(real: string): string {
    if (this.root === undefined) return real;
    const parts = path.relative(this.root, real).split(path.sep);
    if (this.os !== 'windows') return `/${parts.join('/')}`;
    const [drive, ...rest] = parts;
    return [`${drive}:`, ...rest].join('\\');
  }

  /** Where apply keeps its backups and manifest on the target OS. */
  stateFolder(env: Readonly<Record<string, string | undefined>>): string {
    switch (this.os) {
      case 'windows': {
        // Under --root the staging tree has no environment of its own: the default location.
        const programData = (this.root === undefined && (env.ProgramData || env.PROGRAMDATA)) || 'C:\\ProgramData';
        return path.win32.join(programData, 'aitool', 'apply');
      }
      case 'macos':
        return '/Library/Application Support/aitool/apply';
      default:
        return '/var/lib/aitool/apply';
    }
  }

  /** The real folders from the top (file system root or staging root, excluded) down to `real`, itself included. */
  private componentsOf(real: string): string[] {
    const top = this.root ?? path.parse(real).root;
    const relative = path.relative(top, real);
    const out: string[] = [];
    let current = top;
    for (const part of relative.split(path.sep).filter((p) => p !== '')) {
      current = path.join(current, part);
      out.push(current);
    }
    return out;
  }

  /**
   * Refuses (UserError) a path with a link or a folder others can write in
   * it, or a file there that is not a regular file. Returns the folders that
   * do not exist yet, topmost first.
   */
  async check(logical: string): Promise<string[]> {
    const real = this.real(logical);
    const components = this.componentsOf(real);
    const checkOwner = this.root === undefined && this.os !== 'windows' && process.platform !== 'win32';
    if (checkOwner) await this.checkOwner(this.root ?? path.parse(real).root, logical);
    const missing: string[] = [];
    for (const [index, component] of components.entries()) {
      const isFile = index === components.length - 1;
      let info;
      try {
        info = await lstat(component);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new UserError(`apply: ${component}: ${(error as NodeJS.ErrnoException).code}`);
        if (!isFile) missing.push(component);
        // Nothing below a missing folder exists either.
        for (const below of components.slice(index + 1, -1)) missing.push(below);
        return missing;
      }
      if (info.isSymbolicLink()) throw new UserError(`apply: refusing ${logical}: ${component} is a symbolic link`);
      if (isFile ? !info.isFile() : !info.isDirectory()) {
        throw new UserError(`apply: refusing ${logical}: ${component} is not a ${isFile ? 'regular file' : 'folder'}`);
      }
      if (checkOwner) await this.checkOwner(component, logical, info);
    }
    return missing;
  }

  private async checkOwner(component: string, logical: string, known?: { uid: number; gid: number; mode: number }): Promise<void> {
    const info = known ?? (await lstat(component));
    const othersWrite = (info.mode & 0o002) !== 0;
    const groupWrite = (info.mode & 0o020) !== 0 && info.gid !== 0;
    if (info.uid !== 0 || othersWrite || groupWrite) {
      throw new UserError(`apply: refusing ${logical}: ${component} can be changed by a user other than root (owner ${info.uid}, mode ${(info.mode & 0o7777).toString(8)})`);
    }
  }

  /** Creates the folders `check` found missing, each with exactly `mode`, never through a link. */
  async createFolders(folders: readonly string[], mode: number): Promise<void> {
    for (const folder of folders) {
      await mkdir(folder, { mode });
      const info = await lstat(folder);
      if (!info.isDirectory()) throw new UserError(`apply: ${folder} changed while it was being created`);
      const handle = await open(folder, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
      try {
        await handle.chmod(mode); // the umask may have taken bits off
      } finally {
        await handle.close();
      }
    }
  }
}

/** Files apply reads are small settings files; a cap keeps a mistaken path from being read whole. */
const MAX_FILE_BYTES = 1024 * 1024;

export interface ExistingFile {
  bytes: Buffer;
  mode: number;
}

/** The file at `real` (already checked to be a regular file or missing), or undefined. Never follows a link. */
export async function readExisting(real: string, logical: string): Promise<ExistingFile | undefined> {
  let handle;
  try {
    handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new UserError(`apply: cannot read ${logical} (${code})`);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new UserError(`apply: refusing ${logical}: not a regular file`);
    if (info.size > MAX_FILE_BYTES) throw new UserError(`apply: refusing ${logical}: larger than ${MAX_FILE_BYTES} bytes, not a settings file`);
    return { bytes: await handle.readFile(), mode: info.mode & 0o7777 };
  } finally {
    await handle.close();
  }
}
