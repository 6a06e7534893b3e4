/**
 * Finds, reads and merges the policy layers (lowest first):
 *
 * 1. built-in default (no file): default warn, every scanner on;
 * 2. managed: AITOOL_MANAGED_POLICY, else /etc/aitool, /Library/Application
 *    Support/aitool or %ProgramData%\aitool. Data only (YAML/JSON read here,
 *    never through cosmiconfig, never code), read before any repository file
 *    so nothing in a repository can move or change it;
 * 3. user: $XDG_CONFIG_HOME/aitool/config.* or %APPDATA%\aitool\config.*;
 * 4. project: cosmiconfig('aitool') from cwd up to the repository root;
 * 5. cli: --policy, else AITOOL_POLICY.
 *
 * Everything below the managed layer is untrusted (the repository writes the
 * project layer; whoever runs aitool writes the rest): a policy written as
 * code never runs in this process (see ./code-sandbox.ts, and it does not run
 * at all where a managed policy exists), every file read is a bounded regular
 * file with a policy's name, and the merge (./merge.ts) decides what a lower
 * layer may change.
 *
 * Speed matters (the pre-commit hook runs this on every commit): zod, yaml,
 * the schema and cosmiconfig are imported only when a file needs them, so a
 * machine with no policy pays for a few stats and folder listings.
 */
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OperatingSystem, ToolEntry } from '../catalog/schema.js';
import { embeddedPreset, standaloneExecutable } from '../embedded.js';
import { PolicyError } from '../errors.js';
import { PolicyCache, stampOf, type FileStamp } from './cache.js';
import { findManagedPolicy, findUserPolicy, projectScope, statOrUndefined, type ProjectScope } from './locate.js';
import { builtInPolicy, mergePolicies, type LoadedPolicyFile } from './merge.js';
import { dataFormatOf, oneLine, parseData } from './parse.js';
import { checkReferences } from './references.js';
import { didYouMean } from './suggest.js';
import type { LayerName, PolicyWarning, ResolvedPolicy } from './types.js';

export interface LoadPolicyOptions {
  /** Where the project search starts; relative paths (--policy, extends) resolve from here. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  os: OperatingSystem;
  home: string;
  /** --policy: a file loaded as the top layer. */
  policyFile?: string;
  /** false: no project layer (a server-side check of pushed content must not take that content's policy). */
  project?: boolean;
  /** false: no user layer (`aitool apply` writes machine-wide files; one user's policy must not shape them). */
  user?: boolean;
  catalog: readonly ToolEntry[];
}

export const PRESETS = ['recommended', 'strict'] as const;
export const PRESET_PREFIX = 'aitool:';

/** src/policy and dist/policy both sit two levels below the package root. */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function presetFile(name: string): string {
  return path.join(PACKAGE_ROOT, 'policies', `${name}.yaml`);
}

/** Policy files are small; a cap keeps a mistaken path (a log, a disk image) from being read whole. */
const MAX_POLICY_BYTES = 1024 * 1024;

export async function loadPolicy(options: LoadPolicyOptions): Promise<ResolvedPolicy> {
  const managed = await findManagedPolicy(options);
  const user = options.user === false ? undefined : await findUserPolicy(options);
  const scope = options.project === false ? noProject(options.cwd) : await projectScope(options.cwd, options.home);
  const cliFile = options.policyFile ?? (options.env.AITOOL_POLICY || undefined);
  const cli = cliFile === undefined ? undefined : path.resolve(options.cwd, cliFile);
  if (!managed && !user && !scope.mayHavePolicy && !cli) return builtInPolicy();

  // Custom tools in a policy are part of its result; the built-in catalog is part of aitool's version.
  const cache = PolicyCache.for(options, { cwd: path.resolve(options.cwd), managed, user, cli, project: options.project !== false, candidates: scope.candidates, stopDir: scope.stopDir });
  const cached = await cache?.read();
  if (cached) return cached;

  // Stamped before the load, so an edit made while it runs (a slow load, a
  // managed file tightened meanwhile) shows as a change when the entry is written.
  const found = [...scope.candidates, ...[managed, user, cli].filter((f): f is string => f !== undefined)];
  const before = cache ? await Promise.all(found.map(stampOf)) : [];
  const reader = new PolicyReader(options, managed, scope);
  const policy = await loadLayers(reader, options, { managed, user, cli });
  if (cache && !reader.ranCode) await cache.write(policy, [...before, ...reader.stamps]);
  return policy;
}

function noProject(cwd: string): ProjectScope {
  return { dirs: [], stopDir: path.resolve(cwd), mayHavePolicy: false, candidates: [] };
}

async function loadLayers(
  reader: PolicyReader,
  options: LoadPolicyOptions,
  found: { managed: string | undefined; user: string | undefined; cli: string | undefined },
): Promise<ResolvedPolicy> {
  const files: LoadedPolicyFile[] = [];
  const layersRead = new Set<string>();

  // Once per file: the same file found by two layers (a project search that
  // reaches the user config, --policy naming the repository file) counts once,
  // at the lower layer.
  const addLayer = async (layer: LayerName, file: string, dataOnly: boolean, preloaded?: { config: unknown }): Promise<void> => {
    const identity = await realpathOr(file);
    if (layersRead.has(identity)) return;
    layersRead.add(identity);
    files.push(...(await reader.readLayer(layer, file, dataOnly, preloaded)));
  };

  if (found.managed) await addLayer('managed', found.managed, true);
  if (found.user) await addLayer('user', found.user, false);
  const project = await reader.searchProject();
  if (project) await addLayer('project', project.filepath, false, project);
  if (found.cli) await addLayer('cli', found.cli, false);

  if (files.length === 0) return builtInPolicy();
  checkReferences(files, options.catalog);
  return mergePolicies(files, options.catalog);
}

/**
 * Checks one file (with everything it extends) the way it would be used, over
 * the managed policy of this machine. Throws PolicyError; returns the soft
 * problems (rules the managed floor would ignore).
 */
export async function validatePolicyFile(file: string, options: Omit<LoadPolicyOptions, 'policyFile'>): Promise<PolicyWarning[]> {
  const target = path.resolve(options.cwd, file);
  const files: LoadedPolicyFile[] = [];
  const managed = await findManagedPolicy(options);
  const reader = new PolicyReader(options, managed);
  const isManaged = managed !== undefined && (await realpathOr(managed)) === (await realpathOr(target));
  if (managed && !isManaged) files.push(...(await reader.readLayer('managed', managed, true)));
  files.push(...(await reader.readLayer(isManaged ? 'managed' : 'cli', target, isManaged)));
  checkReferences(files, options.catalog);
  return mergePolicies(files, options.catalog).warnings;
}

/**
 * Checks `text`, the bytes `aitool policy install --managed` is about to
 * install, exactly as the managed layer will read them: data only, `extends`
 * only to presets and data files (resolved from `file`'s folder), tool ids
 * against the catalog. The text is passed in rather than read here, so what
 * is checked is what gets written. Throws PolicyError; returns the soft
 * problems and the file's own `extends` (the installer checks the relative
 * ones still name the same files from the managed folder).
 */
export async function validateManagedPolicyText(
  file: string,
  text: string,
  options: Omit<LoadPolicyOptions, 'policyFile'>,
): Promise<{ warnings: PolicyWarning[]; extends: string[] }> {
  const format = CODE_EXTENSION.test(file) ? undefined : dataFormatOf(file);
  if (format === undefined) throw new PolicyError(file, undefined, 'the managed policy must be a .json, .yaml or .yml file');
  const config = noImport(file, await parseData(file, text, format));
  const files = await new PolicyReader(options, file).readLayer('managed', file, true, { config });
  checkReferences(files, options.catalog);
  const own = files[files.length - 1]?.policy.extends;
  return { warnings: mergePolicies(files, options.catalog).warnings, extends: own === undefined ? [] : Array.isArray(own) ? own : [own] };
}

/** A file to read: a preset shipped with aitool, or a file on disk. */
interface Source {
  /** What messages and origins show: `aitool:recommended` or the path. */
  display: string;
  /** The file on disk. */
  path: string;
  /** Identity for cycle detection (realpath, or the preset name). */
  id: string;
}

type Validator = typeof import('./validate.js');
type CosmiconfigModule = typeof import('cosmiconfig');
type Explorer = ReturnType<CosmiconfigModule['cosmiconfig']>;

/** Names a policy file may have (checked on the file a symlink leads to, too). */
const POLICY_NAME = /(?:\.(?:json|ya?ml|[cm]?js|ts)|^\.?aitoolrc)$/i;
const CODE_EXTENSION = /\.(?:[cm]?js|ts)$/i;
/** Pseudo-file systems: never policies, and reading them can leak secrets (/proc/self/environ) or block. */
const SPECIAL_ROOTS = ['/proc/', '/sys/', '/dev/'];

class PolicyReader {
  #validator: Validator | undefined;
  #cosmiconfig: CosmiconfigModule | undefined;
  readonly #knownIds: string[];
  /** Every file read, as it was when read (presets aside): the cache's proof that nothing changed. */
  readonly stamps: FileStamp[] = [];
  /** Whether a policy written as code was evaluated (such a result is never cached). */
  ranCode = false;

  constructor(
    private readonly options: Omit<LoadPolicyOptions, 'policyFile'>,
    /** The managed policy file, when the machine has one: code below it is refused. */
    private readonly managed: string | undefined,
    private readonly scope?: ProjectScope,
  ) {
    this.#knownIds = options.catalog.map((entry) => entry.id);
  }

  /** A layer's file with everything it extends, lowest first. */
  async readLayer(layer: LayerName, file: string, dataOnly: boolean, preloaded?: { config: unknown }): Promise<LoadedPolicyFile[]> {
    const source: Source = { display: file, path: file, id: await realpathOr(file) };
    return this.#readChain(source, layer, dataOnly, [], preloaded);
  }

  /**
   * The project layer: cosmiconfig's search from cwd up to the repository
   * root (the folder holding .git), else up to home. cosmiconfig is loaded
   * only when a folder on the way holds something it could find, and every
   * file it could pick is checked first (a FIFO would block its read, a
   * symlink could lead it to a secret, a huge file would be read whole).
   */
  async searchProject(): Promise<{ filepath: string; config: unknown } | undefined> {
    const scope = this.scope ?? (await projectScope(this.options.cwd, this.options.home));
    if (!scope.mayHavePolicy) return undefined;
    for (const candidate of scope.candidates) await checkPolicyFile(candidate, candidate);
    // 'global' is the strategy that honours stopDir ('project' stops at the
    // first package.json, which in a monorepo is the package, not the repo).
    // It also looks in env-paths' global config folder last; that folder is
    // the user layer's business, so the loaders skip files outside `scope.dirs`.
    const allowed = new Set<string>();
    for (const dir of scope.dirs) {
      allowed.add(path.resolve(dir));
      allowed.add(path.resolve(dir, '.config'));
    }
    const explorer = await this.#explorer({ searchStrategy: 'global', stopDir: scope.stopDir }, allowed);
    const result = await cosmiconfigCall(this.options.cwd, () => explorer.search(this.options.cwd));
    if (!result) return undefined;
    return { filepath: result.filepath, config: result.isEmpty ? undefined : result.config };
  }

  async #readChain(source: Source, layer: LayerName, dataOnly: boolean, stack: Source[], preloaded?: { config: unknown }): Promise<LoadedPolicyFile[]> {
    const raw = preloaded ? preloaded.config : await this.#readRaw(source, dataOnly);
    const validator = await this.#validate();
    const policy = validator.validatePolicyData(source.display, raw, this.#knownIds);
    const chain = [...stack, source];
    const out: LoadedPolicyFile[] = [];
    const specs = policy.extends === undefined ? [] : Array.isArray(policy.extends) ? policy.extends : [policy.extends];
    for (const [index, spec] of specs.entries()) {
      const key = Array.isArray(policy.extends) ? `extends[${index}]` : 'extends';
      const target = await this.#resolveExtends(spec, source, dataOnly, key);
      const loopStart = chain.findIndex((entry) => entry.id === target.id);
      if (loopStart !== -1) {
        throw new PolicyError(source.display, key, `extends cycle: ${cycleNames([...chain.slice(loopStart), target]).join(' → ')}`);
      }
      out.push(...(await this.#readChain(target, layer, dataOnly, chain)));
    }
    out.push({ layer, file: source.display, policy });
    return out;
  }

  async #resolveExtends(spec: string, from: Source, dataOnly: boolean, key: string): Promise<Source> {
    if (spec.startsWith(PRESET_PREFIX)) {
      const name = spec.slice(PRESET_PREFIX.length);
      if (!(PRESETS as readonly string[]).includes(name)) {
        const names = PRESETS.map((preset) => PRESET_PREFIX + preset);
        throw new PolicyError(from.display, key, `unknown preset '${spec}'${didYouMean(spec, names)}; presets: ${names.join(', ')}`);
      }
      return { display: spec, path: presetFile(name), id: spec };
    }

    const baseDir = path.dirname(from.path);
    const onlyData = `the managed policy may only extend aitool: presets and .json, .yaml or .yml files, got '${spec}'`;
    if (isPathSpecifier(spec)) {
      const file = path.resolve(baseDir, spec);
      if (dataOnly && !/\.(json|ya?ml)$/i.test(file)) throw new PolicyError(from.display, key, onlyData);
      if (!POLICY_NAME.test(path.basename(file))) {
        throw new PolicyError(from.display, key, `'${spec}' is not a policy file: extends names .yaml, .yml or .json files (or .js where code is allowed)`);
      }
      if (!(await statOrUndefined(file))) throw new PolicyError(from.display, key, `cannot find '${spec}' (looked for ${file})`);
      await checkPolicyFile(from.display, file, key);
      return { display: file, path: file, id: await realpathOr(file) };
    }

    if (dataOnly) throw new PolicyError(from.display, key, onlyData);
    // An npm package (its "main" or "exports" names the policy file) or a
    // file inside one (`@acme/aitool-policy/strict.yaml`), resolved the way
    // Node would from the extending file. Resolving reads package.json files
    // only; what it finds is read like any other file below.
    let file: string;
    try {
      file = createRequire(path.join(baseDir, 'noop.js')).resolve(spec);
    } catch {
      throw new PolicyError(from.display, key, `cannot find package '${spec}' from ${baseDir}`);
    }
    await checkPolicyFile(from.display, file, key);
    // The package's manifest decided which file this is: an edit to its
    // "main" or "exports" must be a change to the cache too.
    const manifest = await packageManifestOf(file);
    if (manifest) this.stamps.push(await stampOf(manifest));
    return { display: file, path: file, id: await realpathOr(file) };
  }

  async #readRaw(source: Source, dataOnly: boolean): Promise<unknown> {
    if (source.display.startsWith(PRESET_PREFIX)) {
      const text = embeddedPreset(source.display.slice(PRESET_PREFIX.length)) ?? (await readPolicyText(source.display, source.path));
      return parseData(source.display, text, 'yaml');
    }
    if (CODE_EXTENSION.test(source.path)) {
      if (dataOnly) throw new PolicyError(source.display, undefined, 'the managed policy must be a .json, .yaml or .yml file');
      await checkPolicyFile(source.display, source.path);
      return this.#runCode(source.display, source.path);
    }
    const { text, stamp } = await readPolicyFile(source.display, source.path);
    this.stamps.push(stamp);
    if (path.basename(source.path) === 'package.json') {
      const data = await parseData(source.display, text, 'json');
      const config = packageProperty(data);
      if (config === undefined) throw new PolicyError(source.display, undefined, 'has no "aitool" key');
      return noImport(source.display, config);
    }
    return noImport(source.display, await parseData(source.display, text, dataFormatOf(source.path) ?? 'yaml'));
  }

  /**
   * A policy written as code: refused where an organisation policy is
   * installed, otherwise evaluated in a sandboxed Node process that may read
   * only the policy's folder and the repository.
   */
  async #runCode(display: string, file: string): Promise<unknown> {
    if (this.managed !== undefined) {
      throw new PolicyError(
        display,
        undefined,
        `policies written as code are not run on a machine with an organisation policy (${this.managed}); write this one as YAML or JSON (.aitoolrc.yaml)`,
      );
    }
    // The sandbox is a Node started with the permission model; inside the standalone executable there is no Node to start.
    if (standaloneExecutable() !== undefined) {
      throw new PolicyError(display, undefined, 'policies written as code need Node.js; the standalone executable reads YAML and JSON policies (.aitoolrc.yaml)');
    }
    if (/\.[cm]?ts$/i.test(file)) {
      throw new PolicyError(display, undefined, 'a .ts policy is not supported (it would have to be compiled and written to disk); write it as .aitoolrc.yaml or .aitoolrc.js');
    }
    this.ranCode = true;
    const real = await realpathOr(file);
    const readable = [path.dirname(real)];
    if (this.scope) readable.push(await realpathOr(this.scope.stopDir));
    // Loaded here only: it brings child_process, which a check of YAML or no policy never needs.
    const { loadCodePolicy } = await import('./code-sandbox.js');
    return noImport(display, await loadCodePolicy(real, readable));
  }

  async #validate(): Promise<Validator> {
    return (this.#validator ??= await import('./validate.js'));
  }

  /**
   * A cosmiconfig explorer whose loaders are ours: YAML and JSON with
   * one-line errors, duplicate keys rejected and a size cap; code through
   * #runCode; cosmiconfig's `$import` refused (it would merge files behind
   * `extends`' back: no origins, no cycle check, no managed rules).
   */
  async #explorer(search: { searchStrategy: 'global'; stopDir: string }, allowedDirs: ReadonlySet<string>): Promise<Explorer> {
    const module = (this.#cosmiconfig ??= await import('cosmiconfig'));
    const skip = (file: string): boolean => !allowedDirs.has(path.dirname(path.resolve(file)));
    const data =
      (format: 'json' | 'yaml') =>
      async (file: string, content: string): Promise<unknown> => {
        if (skip(file)) return null;
        if (Buffer.byteLength(content) > maxBytesOf(file)) throw new PolicyError(file, undefined, `cannot read: larger than ${maxBytesOf(file) / 1024} KiB`);
        const parsed = await parseData(file, content, format);
        // cosmiconfig takes package.json's "aitool" key after this returns, and
        // would honour a `$import` inside it.
        if (path.basename(file) === 'package.json') noImport(file, packageProperty(parsed));
        return noImport(file, parsed);
      };
    const code = async (file: string): Promise<unknown> => (skip(file) ? null : this.#runCode(file, file));
    // cosmiconfig reads a "meta-config" (.config/config.js, package.json's
    // "cosmiconfig" key, ...) from process.cwd() as soon as an explorer is
    // made, with its own loaders: code would run in this process, and data
    // could move the search. aitool honours neither: the explorer is made
    // while the current folder is this module's own, which holds no such file.
    // The call is synchronous, so nothing else runs while the folder is moved.
    const previous = process.cwd();
    process.chdir(MODULE_DIR);
    let explorer: Explorer;
    try {
      explorer = module.cosmiconfig('aitool', {
        ...search,
        cache: false,
        loaders: {
          '.json': data('json'),
          '.yaml': data('yaml'),
          '.yml': data('yaml'),
          noExt: data('yaml'),
          '.js': code,
          '.mjs': code,
          '.cjs': code,
          '.ts': code,
        },
      });
    } catch (error) {
      throw new PolicyError(this.options.cwd, undefined, readProblem(error));
    } finally {
      process.chdir(previous);
    }
    return explorer;
  }
}

const MODULE_DIR = path.dirname(fileURLToPath(import.meta.url));

/** The package.json of the package a resolved file belongs to (the nearest one above it). */
async function packageManifestOf(file: string): Promise<string | undefined> {
  let dir = path.dirname(file);
  for (let depth = 0; depth < 16; depth++) {
    const candidate = path.join(dir, 'package.json');
    if ((await statOrUndefined(candidate))?.isFile()) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

function packageProperty(data: unknown): unknown {
  return data !== null && typeof data === 'object' && Object.prototype.hasOwnProperty.call(data, 'aitool') ? (data as Record<string, unknown>).aitool : undefined;
}

function noImport(file: string, data: unknown): unknown {
  if (data !== null && typeof data === 'object' && Object.prototype.hasOwnProperty.call(data, '$import')) {
    throw new PolicyError(file, '$import', 'not supported in aitool policies; use extends');
  }
  return data;
}

/** Runs a cosmiconfig call and turns anything it throws into a one-line PolicyError. */
async function cosmiconfigCall<T>(file: string, call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof PolicyError) throw error;
    const where = (error as { filepath?: unknown }).filepath;
    throw new PolicyError(typeof where === 'string' ? where : file, undefined, readProblem(error));
  }
}

function readProblem(error: unknown): string {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'cannot read: no such file';
    case 'EACCES':
    case 'EPERM':
      return 'cannot read: permission denied';
    case 'EISDIR':
      return 'cannot read: is a folder, not a file';
    case 'ELOOP':
      return 'cannot read: too many symbolic links';
    default:
      return `cannot load: ${firstLine(error)}`;
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // cosmiconfig prefixes "JSON Error in <file>:\n"; the file is already in our message.
  const lines = message.split(/\r?\n/).filter((line) => line.trim() !== '' && !/ Error in .*:$/.test(line));
  return oneLine(lines[0] ?? message);
}

/**
 * What every policy file below the presets must be before anything reads it:
 * a regular file (never a FIFO or device: a read could block forever) of at
 * most MAX_POLICY_BYTES, outside the pseudo-file systems, and, when it is
 * reached through a symlink, one whose real name is still a policy's (a
 * committed `base.yaml -> ~/.ssh/id_rsa` must not be read and quoted in an
 * error). `display`/`key` say where the file was named, for the message.
 */
async function checkPolicyFile(display: string, file: string, key?: string): Promise<void> {
  const where = key ? ` '${file}'` : '';
  const fail = (problem: string): never => {
    throw new PolicyError(display, key, problem);
  };
  let real: string;
  try {
    real = realpath(file);
  } catch (error) {
    return fail(`cannot read${where}: ${readProblem(error).replace(/^cannot (read|load): /, '')}`);
  }
  if (SPECIAL_ROOTS.some((root) => `${real}/`.startsWith(root))) fail(`refusing to read${where}: ${real} is not a policy file`);
  if (real !== path.resolve(file) && !POLICY_NAME.test(path.basename(real))) fail(`refusing to read${where}: it is a link to ${real}, which is not a policy file`);
  const info = await statOrUndefined(real);
  if (!info) fail(`cannot read${where}: no such file`);
  if (info!.isDirectory()) fail(`cannot read${where}: is a folder, not a file`);
  if (!info!.isFile()) fail(`cannot read${where}: not a regular file`);
  const limit = maxBytesOf(file);
  if (info!.size > limit) fail(`cannot read${where}: larger than ${limit / 1024} KiB`);
}

/** package.json holds a whole project's manifest besides the "aitool" key, so it gets more room. */
function maxBytesOf(file: string): number {
  return path.basename(file) === 'package.json' ? 4 * MAX_POLICY_BYTES : MAX_POLICY_BYTES;
}

/** A preset shipped with aitool: trusted, read as it is. */
async function readPolicyText(display: string, file: string): Promise<string> {
  return (await readPolicyFile(display, file)).text;
}

/**
 * Reads a checked policy file through one descriptor: the stamp and the size
 * cap come from the file actually read, not from a path that could be swapped
 * between a stat and the read.
 */
async function readPolicyFile(display: string, file: string): Promise<{ text: string; stamp: FileStamp }> {
  await checkPolicyFile(display, file);
  let fd: number | undefined;
  try {
    // O_NONBLOCK: should the file have become a FIFO since the check, opening it does not wait for a writer.
    fd = openSync(file, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
    const info = fstatSync(fd);
    if (!info.isFile()) throw new PolicyError(display, undefined, 'cannot read: not a regular file');
    const limit = maxBytesOf(file);
    const tooBig = (): PolicyError => new PolicyError(display, undefined, `cannot read: larger than ${limit / 1024} KiB`);
    if (info.size > limit) throw tooBig();
    const buffer = Buffer.alloc(Math.min(info.size + 1, limit + 1));
    const bytesRead = readSync(fd, buffer, 0, buffer.length, 0);
    if (bytesRead > limit) throw tooBig();
    const stamp: FileStamp = { path: file, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs };
    return { text: buffer.subarray(0, bytesRead).toString('utf8'), stamp };
  } catch (error) {
    if (error instanceof PolicyError) throw error;
    throw new PolicyError(display, undefined, readProblem(error));
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function isPathSpecifier(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..' || path.isAbsolute(spec) || /^\.\.?[\\/]/.test(spec);
}

async function realpathOr(file: string): Promise<string> {
  try {
    return realpath(file);
  } catch {
    return path.resolve(file);
  }
}

/**
 * realpath(3), synchronously: the policy files are a handful of stats and
 * small reads on every check and commit, cheaper at once than through the
 * thread pool, and none of them opens anything but a regular file (see
 * checkPolicyFile and readPolicyFile).
 */
function realpath(file: string): string {
  return realpathSync.native(file);
}

/** Basenames when they tell the files apart, full paths otherwise. */
function cycleNames(chain: readonly Source[]): string[] {
  const short = chain.map((source) => (source.display.startsWith(PRESET_PREFIX) ? source.display : path.basename(source.display)));
  const distinct = new Set(short.slice(0, -1)).size === chain.length - 1;
  return distinct ? short : chain.map((source) => source.display);
}
