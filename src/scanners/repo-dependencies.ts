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
 * committed long ago and left alone). A commit range check (pre-receive, CI)
 * holds each commit to the same rule against its first parent, reading both
 * versions from the object store by `<commit>:<path>` and `<commit>^:<path>`.
 */
import { join } from 'node:path';
import { runGit } from '../git/run.js';
import type { CommittedFile, CommittedFiles, RepositoryFiles } from '../git/files.js';
import type { Host } from '../host.js';
import type { DependencyObservation, ScanNote, SdkInstallObservation } from '../types.js';
import { manifestFormat, parseManifest, type Declaration, type ManifestFormat, type WantedPackages } from './dependencies.js';
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
  /** `:path` (the index), `HEAD:path`, `<commit>:path` or `<commit>^:path`. */
  spec: string;
  oid?: string;
  size?: number;
}

/** A blob git has but that is not read: too large (`file`), or the check's byte budget is spent (`budget`, with its whole group). */
type SkipBlob = (spec: string, message: string, reason: 'file' | 'budget') => void;

/**
 * Sizes, then contents, of the blobs `groups` name: a file's version and the
 * one it is compared with form a group, read together or not at all, so a
 * spent byte budget never leaves a file read without its earlier version
 * (every SDK in it would look new). A spec missing from the answer is not in
 * git (no such file there); one mapped to undefined exists but was not read
 * (`skipped` said why).
 */
async function readBlobs(
  cwd: string,
  groups: string[][],
  options: { signal?: AbortSignal; env?: Readonly<Record<string, string | undefined>>; skipped: SkipBlob },
): Promise<Map<string, string | undefined>> {
  const out = new Map<string, string | undefined>();
  const specs = groups.flat();
  if (specs.length === 0) return out;
  const git = { ...(options.signal ? { signal: options.signal } : {}), ...(options.env ? { env: { ...options.env } } : {}) };
  const check = await runGit(cwd, ['cat-file', '--batch-check=%(objectname) %(objecttype) %(objectsize)'], { input: `${specs.join('\n')}\n`, ...git });
  if (check.exitCode !== 0) return out;
  const answers = check.stdout.split('\n');
  const found = new Map<string, BlobRef>();
  specs.forEach((spec, i) => {
    const [oid, type, size] = (answers[i] ?? '').split(' ');
    if (type === 'blob' && oid && size !== undefined) found.set(spec, { spec, oid, size: Number(size) });
  });
  // One read per object: in a range, a commit's parent version is often the previous commit's own.
  const reading = new Map<string, BlobRef[]>();
  let total = 0;
  for (const group of groups) {
    const wanted: BlobRef[] = [];
    for (const spec of group) {
      const ref = found.get(spec);
      if (!ref) continue;
      if (ref.size! > MANIFEST_MAX_BYTES) {
        out.set(spec, undefined);
        options.skipped(spec, `not read for agent SDKs: ${ref.size} bytes, more than the ${MANIFEST_MAX_BYTES} read per file`, 'file');
      } else wanted.push(ref);
    }
    const bytes = wanted.reduce((sum, ref) => sum + (reading.has(ref.oid!) ? 0 : ref.size!), 0);
    if (total + bytes > TOTAL_MAX_BYTES) {
      for (const ref of wanted) {
        out.set(ref.spec, undefined);
        options.skipped(ref.spec, `not read for agent SDKs: ${ref.size} bytes, past the ${TOTAL_MAX_BYTES} read per check`, 'budget');
      }
      continue;
    }
    total += bytes;
    for (const ref of wanted) reading.set(ref.oid!, [...(reading.get(ref.oid!) ?? []), ref]);
  }
  if (reading.size === 0) return out;
  const oids = [...reading.keys()];
  const batch = await runGit(cwd, ['cat-file', '--batch'], {
    input: `${oids.join('\n')}\n`,
    encoding: 'latin1',
    maxBuffer: total + oids.length * 128 + 1024,
    ...git,
  });
  if (batch.exitCode !== 0) return out;
  // `<oid> blob <size>\n<bytes>\n` per object, in the order asked; latin1 keeps one character per byte.
  let at = 0;
  for (const oid of oids) {
    const headerEnd = batch.stdout.indexOf('\n', at);
    if (headerEnd === -1) break;
    const size = Number(batch.stdout.slice(at, headerEnd).split(' ')[2]);
    const text = Buffer.from(batch.stdout.slice(headerEnd + 1, headerEnd + 1 + size), 'latin1').toString('utf8');
    for (const ref of reading.get(oid)!) out.set(ref.spec, text);
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
  // A hook judges what the commit adds: what HEAD already declares in a changed file is left out.
  const groups = manifests.map((m) => [`:${m.file}`, ...(m.status === 'modified' ? [`HEAD:${m.file}`] : [])]);
  const blobs = await readBlobs(root, groups, {
    signal,
    // What HEAD had is only compared with: the staged version is the one a skip leaves unchecked.
    skipped: (spec, message) => {
      if (!spec.startsWith('HEAD:')) note({ path: join(root, spec.slice(1)), message });
    },
  });
  const found: DependencyObservation[] = [];
  for (const { file, status, format } of manifests) {
    const text = blobs.get(`:${file}`);
    if (text === undefined) continue;
    const before = status === 'modified' ? blobs.get(`HEAD:${file}`) : undefined;
    for (const d of addedDeclarations(format, text, before, wanted)) found.push(observation(root, file, status, d));
  }
  return found;
}

/** The wanted SDKs `text` declares that `before` (the same file earlier, if any) does not. */
function addedDeclarations(format: ManifestFormat, text: string, before: string | undefined, wanted: WantedPackages): Declaration[] {
  const old = new Set((before === undefined ? [] : parseManifest(format, before, wanted)).map((d) => declarationKey(d.ecosystem, d.name)));
  return parseManifest(format, text, wanted).filter((d) => !old.has(declarationKey(d.ecosystem, d.name)));
}

function observation(root: string, file: string, status: DependencyObservation['status'], d: Declaration): DependencyObservation {
  return { kind: 'dependency', root, file, status, line: d.line, ecosystem: d.ecosystem, name: d.name, ...(d.spec ? { spec: d.spec } : {}), field: d.field, ...(d.alias ? { alias: d.alias } : {}) };
}

/**
 * The SDKs each commit of a range adds to the manifests it adds or changes,
 * compared with its first parent: what the pre-commit check would have
 * refused had the commit been made with the hook. The commit's version and
 * its parent's are read from git's object store (`<commit>:<path>`,
 * `<commit>^:path`), with the same caps as the repository scan; `env` is
 * given to git (a pre-receive hook's quarantine holds the pushed objects).
 * A parent version too large to read is compared as empty (fails closed,
 * with a note), as the pre-commit check does with HEAD's.
 */
export async function dependenciesAddedByCommits(
  committed: CommittedFiles,
  wanted: WantedPackages,
  options: { env?: Readonly<Record<string, string | undefined>>; signal?: AbortSignal },
): Promise<{ found: DependencyObservation[]; notes: Array<Omit<ScanNote, 'scanner'>> }> {
  const { root, cwd } = committed;
  const notes: Array<Omit<ScanNote, 'scanner'>> = [];
  const manifests: Array<CommittedFile & { format: ManifestFormat }> = [];
  let leftOut = 0;
  for (const file of committed.files) {
    if (file.file.includes('\n')) continue;
    const format = manifestFormat(file.file);
    if (!format) continue;
    if (manifests.length < MAX_MANIFESTS) manifests.push({ ...file, format });
    else leftOut++;
  }
  if (leftOut > 0) notes.push({ message: `${leftOut} more manifest or lockfile changes in the range were not read for agent SDKs (${MAX_MANIFESTS} are read per check)` });
  if (manifests.length === 0) return { found: [], notes };
  const at = (m: CommittedFile) => `${m.commit}:${m.file}`;
  const parentOf = (m: CommittedFile) => `${m.commit}^:${m.file}`;
  const groups = manifests.map((m) => [at(m), ...(m.status === 'modified' ? [parentOf(m)] : [])]);
  const described = new Map<string, { path: string; parent: boolean; where: string }>();
  for (const m of manifests) {
    const sha = m.commit.slice(0, 12);
    described.set(at(m), { path: join(root, m.file), parent: false, where: `in commit ${sha}` });
    described.set(parentOf(m), { path: join(root, m.file), parent: true, where: `before commit ${sha} (so every SDK that commit's version declares counts as added)` });
  }
  const blobs = await readBlobs(cwd, groups, {
    ...options,
    skipped: (spec, message, reason) => {
      const d = described.get(spec);
      // A group over the budget is left out whole: the note on the commit's own version says so.
      if (d && !(reason === 'budget' && d.parent)) notes.push({ path: d.path, message: `${d.where}: ${message}` });
    },
  });
  const found: DependencyObservation[] = [];
  for (const m of manifests) {
    const text = blobs.get(at(m));
    if (text === undefined) continue;
    // A parent version too large to read counts as declaring nothing: the check fails closed, and the note says so.
    const before = m.status === 'modified' ? blobs.get(parentOf(m)) : undefined;
    for (const d of addedDeclarations(m.format, text, before, wanted)) found.push({ ...observation(root, m.file, m.status, d), commit: m.commit });
  }
  return { found, notes };
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
