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
 * Speed matters (the pre-commit hook runs this on every commit): zod, yaml,
 * the schema and cosmiconfig are imported only when a file needs them, so a
 * machine with no policy pays for a few stats and folder listings.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OperatingSystem, ToolEntry } from '../catalog/schema.js';
import { PolicyError } from '../errors.js';
import { PolicyCache } from './cache.js';
import { findManagedPolicy, findUserPolicy, projectScope, type ProjectScope } from './locate.js';
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
  const user = await findUserPolicy(options);
  const scope = options.project === false ? noProject(options.cwd) : await projectScope(options.cwd, options.home);
  const cliFile = options.policyFile ?? (options.env.AITOOL_POLICY || undefined);
  const cli = cliFile === undefined ? undefined : path.resolve(options.cwd, cliFile);
  if (!managed && !user && !scope.mayHavePolicy && !cli) return builtInPolicy();

  // Custom tools in a policy are part of its result; the built-in catalog is part of aitool's version.
  const cache = scope.metaConfig
    ? undefined
    : PolicyCache.for(options, { cwd: path.resolve(options.cwd), managed, user, cli, candidates: scope.candidates, stopDir: scope.stopDir });
  const cached = await cache?.read();
  if (cached) return cached;

  const reader = new PolicyReader(options, scope);
  const policy = await loadLayers(reader, options, { managed, user, cli });
  if (cache && !reader.ranCode) {
    await cache.write(policy, [...reader.filesRead, ...scope.candidates, ...[managed, user, cli].filter((f): f is string => f !== undefined)]);
  }
  return policy;
}

function noProject(cwd: string): ProjectScope {
  return { dirs: [], stopDir: path.resolve(cwd), mayHavePolicy: false, candidates: [], metaConfig: false };
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
  const reader = new PolicyReader(options);
  const target = path.resolve(options.cwd, file);
  const files: LoadedPolicyFile[] = [];
  const managed = await findManagedPolicy(options);
  const isManaged = managed !== undefined && (await realpathOr(managed)) === (await realpathOr(target));
  if (managed && !isManaged) files.push(...(await reader.readLayer('managed', managed, true)));
  files.push(...(await reader.readLayer(isManaged ? 'managed' : 'cli', target, isManaged)));
  checkReferences(files, options.catalog);
  return mergePolicies(files, options.catalog).warnings;
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

class PolicyReader {
  #validator: Validator | undefined;
  #cosmiconfig: CosmiconfigModule | undefined;
  #loadExplorer: Explorer | undefined;
  readonly #knownIds: string[];
  /** Every file read, presets aside (for the cache's check that nothing changed). */
  readonly filesRead = new Set<string>();
  /** Whether a policy written as code was loaded (such a result is never cached). */
  ranCode = false;

  constructor(
    private readonly options: Omit<LoadPolicyOptions, 'policyFile'>,
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
   * only when a folder on the way holds something it could find.
   */
  async searchProject(): Promise<{ filepath: string; config: unknown } | undefined> {
    const scope = this.scope ?? (await projectScope(this.options.cwd, this.options.home));
    if (!scope.mayHavePolicy) return undefined;
    // 'global' is the strategy that honours stopDir ('project' stops at the
    // first package.json, which in a monorepo is the package, not the repo).
    // It also looks in env-paths' global config folder last; that folder is
    // the user layer's business, so the loaders skip files outside `scope.dirs`.
    const allowed = new Set<string>();
    for (const dir of [...scope.dirs, process.cwd()]) {
      allowed.add(path.resolve(dir));
      allowed.add(path.resolve(dir, '.config'));
    }
    const explorer = await this.#explorer({ searchStrategy: 'global', stopDir: scope.stopDir }, allowed);
    const result = await cosmiconfigCall(this.options.cwd, () => explorer.search(this.options.cwd));
    if (!result) return undefined;
    this.#noteRead(result.filepath);
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
    if (isPathSpecifier(spec)) {
      const file = path.resolve(baseDir, spec);
      if (dataOnly && !/\.(json|ya?ml)$/i.test(file)) {
        throw new PolicyError(from.display, key, `the managed policy may only extend aitool: presets and .json, .yaml or .yml files, got '${spec}'`);
      }
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) throw new PolicyError(from.display, key, `cannot find '${spec}' (looked for ${file})`);
      return { display: file, path: file, id: await realpathOr(file) };
    }

    if (dataOnly) {
      throw new PolicyError(from.display, key, `the managed policy may only extend aitool: presets and .json, .yaml or .yml files, got '${spec}'`);
    }
    // An npm package (its "main" or "exports" names the policy file) or a
    // file inside one (`@acme/aitool-policy/strict.yaml`), resolved the way
    // Node would from the extending file.
    let file: string;
    try {
      file = createRequire(path.join(baseDir, 'noop.js')).resolve(spec);
    } catch {
      throw new PolicyError(from.display, key, `cannot find package '${spec}' from ${baseDir}`);
    }
    return { display: file, path: file, id: await realpathOr(file) };
  }

  #noteRead(file: string): void {
    this.filesRead.add(file);
    if (/\.[cm]?[jt]s$/i.test(file)) this.ranCode = true;
  }

  async #readRaw(source: Source, dataOnly: boolean): Promise<unknown> {
    this.#noteRead(source.path);
    const format = dataFormatOf(source.path);
    const isPackageJson = path.basename(source.path) === 'package.json';
    if (format && !(isPackageJson && !dataOnly)) {
      return noImport(source.display, await parseData(source.display, await readPolicyText(source.display, source.path), format));
    }
    if (dataOnly) {
      throw new PolicyError(source.display, undefined, 'the managed policy must be a .json, .yaml or .yml file');
    }
    // Code (.js/.mjs/.cjs/.ts) and package.json "aitool" go through cosmiconfig, like the project layer.
    const explorer = await this.#explorer(undefined, undefined);
    const result = await cosmiconfigCall(source.display, () => explorer.load(source.path));
    if (!result) {
      throw new PolicyError(source.display, undefined, isPackageJson ? 'has no "aitool" key' : 'exports no policy');
    }
    return result.isEmpty ? undefined : result.config;
  }

  async #validate(): Promise<Validator> {
    return (this.#validator ??= await import('./validate.js'));
  }

  /**
   * A cosmiconfig explorer whose YAML and JSON loaders are ours (one-line
   * errors with line:column, duplicate keys rejected) and which refuses
   * cosmiconfig's `$import` (it would merge files behind `extends`' back:
   * no origins, no cycle check, no managed rules).
   */
  async #explorer(search: { searchStrategy: 'global'; stopDir: string } | undefined, allowedDirs: ReadonlySet<string> | undefined): Promise<Explorer> {
    if (!search && this.#loadExplorer) return this.#loadExplorer;
    const module = (this.#cosmiconfig ??= await import('cosmiconfig'));
    const skip = (file: string): boolean => allowedDirs !== undefined && !allowedDirs.has(path.dirname(path.resolve(file)));
    const data =
      (format: 'json' | 'yaml') =>
      async (file: string, content: string): Promise<unknown> => {
        if (skip(file)) return null;
        return noImport(file, await parseData(file, content, format));
      };
    const code =
      (loader: (file: string, content: string) => unknown) =>
      async (file: string, content: string): Promise<unknown> => {
        if (skip(file)) return null;
        let loaded: unknown;
        try {
          loaded = await loader(file, content);
        } catch (error) {
          if (error instanceof PolicyError) throw error;
          // cosmiconfig compiles .ts policies with the `typescript` package, which aitool does not ship.
          const hint = /\.[cm]?ts$/.test(file) && /typescript/i.test(firstLine(error)) ? ' (a .ts policy needs the typescript package installed beside aitool; .aitoolrc.yaml needs nothing)' : '';
          throw new PolicyError(file, undefined, `cannot load: ${firstLine(error)}${hint}`);
        }
        return noImport(file, loaded);
      };
    const defaults = module.defaultLoaders;
    const explorer = await cosmiconfigCall(this.options.cwd, () =>
      module.cosmiconfig('aitool', {
        ...(search ?? {}),
        cache: false,
        loaders: {
          '.json': data('json'),
          '.yaml': data('yaml'),
          '.yml': data('yaml'),
          noExt: data('yaml'),
          '.js': code(defaults['.js']),
          '.mjs': code(defaults['.mjs']),
          '.cjs': code(defaults['.cjs']),
          '.ts': code(defaults['.ts']),
        },
      }),
    );
    if (!search) this.#loadExplorer = explorer;
    return explorer;
  }
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

async function readPolicyText(display: string, file: string): Promise<string> {
  try {
    // stat first: never open a FIFO or device (it could block forever).
    const info = await stat(file);
    if (info.isDirectory()) throw Object.assign(new Error('folder'), { code: 'EISDIR' });
    if (!info.isFile()) throw new PolicyError(display, undefined, 'cannot read: not a regular file');
    if (info.size > MAX_POLICY_BYTES) throw new PolicyError(display, undefined, `cannot read: larger than ${MAX_POLICY_BYTES / 1024} KiB`);
    return await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof PolicyError) throw error;
    throw new PolicyError(display, undefined, readProblem(error));
  }
}

function isPathSpecifier(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..' || path.isAbsolute(spec) || /^\.\.?[\\/]/.test(spec);
}

async function realpathOr(file: string): Promise<string> {
  try {
    return await realpath(file);
  } catch {
    return path.resolve(file);
  }
}

/** Basenames when they tell the files apart, full paths otherwise. */
function cycleNames(chain: readonly Source[]): string[] {
  const short = chain.map((source) => (source.display.startsWith(PRESET_PREFIX) ? source.display : path.basename(source.display)));
  const distinct = new Set(short.slice(0, -1)).size === chain.length - 1;
  return distinct ? short : chain.map((source) => source.display);
}
