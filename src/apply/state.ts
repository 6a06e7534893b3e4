/**
 * What `aitool apply` remembers between runs, in a folder only root can read
 * (0700): a manifest and, per file it changed, the original bytes (kept from
 * the first change on, so `--undo` always returns to the machine before
 * aitool) and the base it merges onto.
 *
 * The base: aitool's own earlier output is not a restriction someone else
 * set, so when the file still holds exactly what aitool wrote, the next apply
 * merges onto the base again (and a policy that was loosened can loosen
 * aitool's own entries). When someone changed the file since, that file is
 * the new base: its restrictions may be an administrator's.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { OperatingSystem } from '../catalog/schema.js';
import { UserError } from '../errors.js';
import { writeFileAtomic } from '../output.js';
import type { Locations } from './locations.js';

export const STATE_MODE = 0o700;
const MANIFEST = 'manifest.json';
const FORMAT = 1;

export interface ManifestEntry {
  /** The logical path on the target OS. */
  path: string;
  target: string;
  /** Whether the file existed before aitool's first change, its mode and hash then. */
  existed: boolean;
  mode?: number;
  originalSha256?: string;
  /** What apply last wrote there. */
  writtenSha256: string;
  /** What the next apply merges onto when the file still holds what aitool wrote (absent: no file). */
  baseSha256?: string;
}

export interface Manifest {
  format: number;
  os: OperatingSystem;
  entries: ManifestEntry[];
  /** Folders apply created (logical paths, topmost first): undo removes them when empty. */
  createdFolders: string[];
}

export const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** Backups are named by the hash of their logical path: one original and one base per path. */
const backupName = (logical: string, kind: 'original' | 'base') => `${kind}-${sha256(logical).slice(0, 32)}`;

export class ApplyState {
  constructor(
    private readonly locations: Locations,
    /** The logical state folder. */
    readonly folder: string,
  ) {}

  private realFile(name: string): string {
    return path.join(this.locations.real(this.folder), name);
  }

  async readManifest(): Promise<Manifest | undefined> {
    let text: string;
    try {
      text = await readFile(this.realFile(MANIFEST), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new UserError(`apply: cannot read ${this.folder}'s manifest (${(error as NodeJS.ErrnoException).code})`);
    }
    try {
      const manifest = JSON.parse(text) as Manifest;
      if (manifest.format !== FORMAT || !Array.isArray(manifest.entries) || !Array.isArray(manifest.createdFolders)) throw new Error('shape');
      return manifest;
    } catch {
      throw new UserError(`apply: ${this.folder}: the manifest cannot be read; move it away only if you no longer need --undo`);
    }
  }

  async readBackup(logical: string, kind: 'original' | 'base', expectedSha: string): Promise<Buffer> {
    const bytes = await readFile(this.realFile(backupName(logical, kind))).catch(() => undefined);
    if (bytes === undefined || sha256(bytes) !== expectedSha) throw new UserError(`apply: the ${kind} copy of ${logical} in ${this.folder} is missing or changed`);
    return bytes;
  }

  async writeBackup(logical: string, kind: 'original' | 'base', bytes: Uint8Array): Promise<void> {
    await writeFileAtomic(this.realFile(backupName(logical, kind)), bytes, 0o600);
  }

  async writeManifest(manifest: Manifest): Promise<void> {
    await writeFileAtomic(this.realFile(MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, 0o600);
  }

  /** Deletes the manifest and backups (only the names apply writes), then the folder when it is empty. */
  async remove(manifest: Manifest): Promise<void> {
    for (const entry of manifest.entries) {
      for (const kind of ['original', 'base'] as const) await unlink(this.realFile(backupName(entry.path, kind))).catch(() => undefined);
    }
    await unlink(this.realFile(MANIFEST)).catch(() => undefined);
    const real = this.locations.real(this.folder);
    if ((await readdir(real).catch(() => ['?'])).length === 0) await rmdir(real).catch(() => undefined);
  }
}
