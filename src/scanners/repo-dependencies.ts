/**
 * The repo scanner's reading of manifests and lockfiles for agent SDKs, and
 * of SDKs installed in the project's `node_modules`.
 *
 * Contents come from git's index (`git cat-file`), not the work tree: a hook
 * must judge what is staged (`git add -p` stages part of a file), and what
 * git stores cannot be a FIFO, a device, or a symlink followed out of the
 * repository (a symlink is stored as the text of its target, which parses as
 * nothing). Sizes are asked first (`--batch-check`) so a huge lockfile is
 * skipped with a note instead of read; the rest come in one `--batch` call.
 *
 * In a pre-commit hook a modified manifest counts only for what it adds: an
 * SDK already declared at HEAD is not this commit's doing (like an artifact
 * committed long ago and left alone).
 */
import { join } from 'node:path';
import { runGit } from '../git/run.js';
import type { RepositoryFiles } from '../git/files.js';
import type { Host } from '../host.js';
import type { DependencyObservation, ScanNote, SdkInstallObservation } from '../types.js';
import { manifestFormat, parseManifest, type ManifestFormat, type WantedPackages } from './dependencies.js';
import { normalizePipName } from './probes.js';

/** Larger than any real lockfile we have seen (a big monorepo's package-lock.json is 10-30 MB). */
export const MANIFEST_MAX_BYTES = 32 * 1024 * 1024;
/** All manifests of one scan together. */
const TOTAL_MAX_BYTES = 96 * 1024 * 1024;
/** Manifests read per scan: a repository with more is a vendored tree; the first ones (git's order) are read. */
const MAX_MANIFESTS = 500;
/** Project folders whose node_modules are looked into for installed SDKs. */
const MAX_PROJECTS = 200;
const PACKAGE_MANIFEST_MAX_BYTES = 256 * 1024;

interface BlobRef {
  /** `:path` (the index) or `HEAD:path`. */
  spec: string;
  oid?: string;
  size?: number;
}

/** Sizes, then contents, of index or HEAD blobs; undefined for those missing or too large. */
async function readBlobs(root: string, specs: string[], signal: AbortSignal, note: (n: Omit<ScanNote, 'scanner'>) => void): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (specs.length === 0) return out;
  const check = await runGit(root, ['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)'], { input: `${specs.join('\n')}\n`, signal });
  if (check.exitCode !== 0) return out;
  const refs: BlobRef[] = [];
  const answers = check.stdout.split('\n');
  let total = 0;
  specs.forEach((spec, i) => {
    const [oid, type, size] = (answers[i] ?? '').split(' ');
    if (type !== 'blob' || !oid || size === undefined) return;
    const bytes = Number(size);
    if (bytes > MANIFEST_MAX_BYTES || total + bytes > TOTAL_MAX_BYTES) {
      if (!spec.startsWith('HEAD:')) note({ path: join(root, spec.slice(1)), message: `not read for agent SDKs: ${bytes} bytes, more than the ${MANIFEST_MAX_BYTES} read per file` });
      return;
    }
    total += bytes;
    refs.push({ spec, oid, size: bytes });
  });
  if (refs.length === 0) return out;
  const batch = await runGit(root, ['cat-file', '--batch'], {
    input: `${refs.map((r) => r.oid).join('\n')}\n`,
    encoding: 'latin1',
    maxBuffer: total + refs.length * 128 + 1024,
    signal,
  });
  if (batch.exitCode !== 0) return out;
  // `<oid> blob <size>\n<bytes>\n` per object, in the order asked; latin1 keeps one character per byte.
  let at = 0;
  for (const ref of refs) {
    const headerEnd = batch.stdout.indexOf('\n', at);
    if (headerEnd === -1) break;
    const size = Number(batch.stdout.slice(at, headerEnd).split(' ')[2]);
    const body = batch.stdout.slice(headerEnd + 1, headerEnd + 1 + size);
    out.set(ref.spec, Buffer.from(body, 'latin1').toString('utf8'));
    at = headerEnd + 1 + size + 1;
  }
  return out;
}

const declarationKey = (ecosystem: string, name: string) => `${ecosystem}\0${ecosystem === 'pip' ? normalizePipName(name) : name}`;

/** Declarations of the wanted SDKs in the repository's manifests (staged ones in a hook). */
export async function scanDependencies(
  repository: RepositoryFiles,
  wanted: WantedPackages,
  signal: AbortSignal,
  note: (n: Omit<ScanNote, 'scanner'>) => void,
): Promise<DependencyObservation[]> {
  const { root } = repository;
  const manifests: Array<{ file: string; status: DependencyObservation['status']; format: ManifestFormat }> = [];
  for (const { file, status } of repository.files) {
    if (file.includes('\n')) continue;
    if (file === 'bun.lockb' || file.endsWith('/bun.lockb')) {
      note({ path: join(root, file), message: 'bun.lockb is binary and not read for agent SDKs (bun >= 1.2 writes the text bun.lock: `bun install --save-text-lockfile`)' });
      continue;
    }
    const format = manifestFormat(file);
    if (format && manifests.length < MAX_MANIFESTS) manifests.push({ file, status, format });
  }
  if (manifests.length === 0) return [];
  const specs = manifests.map((m) => `:${m.file}`);
  // A hook judges what the commit adds: what HEAD already declares in a changed file is left out.
  for (const m of manifests) if (m.status === 'modified') specs.push(`HEAD:${m.file}`);
  const blobs = await readBlobs(root, specs, signal, note);
  const found: DependencyObservation[] = [];
  for (const { file, status, format } of manifests) {
    const text = blobs.get(`:${file}`);
    if (text === undefined) continue;
    const before = status === 'modified' ? blobs.get(`HEAD:${file}`) : undefined;
    const old = new Set((before === undefined ? [] : parseManifest(format, before, wanted)).map((d) => declarationKey(d.ecosystem, d.name)));
    for (const d of parseManifest(format, text, wanted)) {
      if (old.has(declarationKey(d.ecosystem, d.name))) continue;
      found.push({ kind: 'dependency', root, file, status, line: d.line, ecosystem: d.ecosystem, name: d.name, ...(d.spec ? { spec: d.spec } : {}), field: d.field, ...(d.alias ? { alias: d.alias } : {}) });
    }
  }
  return found;
}

/**
 * SDKs installed in `node_modules` next to each tracked package.json: a copy of
 * the agent on disk, ready to run, whether or not a manifest still names it.
 * `node_modules` is untracked, so these come from the work tree, through the
 * host's bounded reads (never a FIFO; a symlinked package folder, as pnpm
 * makes, is followed only to read its package.json).
 */
export async function scanSdkInstalls(host: Host, repository: RepositoryFiles, npmNames: ReadonlySet<string>, signal: AbortSignal): Promise<SdkInstallObservation[]> {
  if (npmNames.size === 0) return [];
  const projects = new Set<string>();
  for (const { file } of repository.files) {
    if (projects.size >= MAX_PROJECTS) break;
    if ((file === 'package.json' || file.endsWith('/package.json')) && manifestFormat(file) === 'package.json') {
      projects.add(file === 'package.json' ? repository.root : join(repository.root, file.slice(0, -'/package.json'.length)));
    }
  }
  const found: SdkInstallObservation[] = [];
  for (const project of projects) {
    if (signal.aborted) break;
    const modules = join(project, 'node_modules');
    if ((await host.lstat(modules))?.type !== 'directory') continue;
    for (const name of npmNames) {
      const path = join(modules, ...name.split('/'));
      const info = await host.lstat(path);
      if (info?.type !== 'directory' && info?.type !== 'symlink') continue;
      const text = await host.readTextFile(join(path, 'package.json'), PACKAGE_MANIFEST_MAX_BYTES);
      if (text === undefined) continue;
      let version: string | undefined;
      try {
        const manifest = JSON.parse(text) as { version?: unknown };
        if (typeof manifest.version === 'string') version = manifest.version;
      } catch {
        // Still installed; its version unknown.
      }
      found.push({ kind: 'sdk-install', name, path, project, ...(version ? { version } : {}) });
    }
  }
  return found;
}
