/**
 * Loads the built CLI's CommonJS chunks (dist/*.cjs) with V8 code caches made
 * at build time (dist/code-cache.bin).
 *
 * Why: Node 20 has no compile cache for ES modules, and compiling the chunks
 * a check needs was a fifth of its run time. A chunk compiled through
 * vm.Script with the cached data V8 made for it on the build machine skips
 * parsing and compiling what the training runs compiled (scripts/build.mjs).
 *
 * Safe by construction:
 * - The chunks and the cache are read only from this module's own folder:
 *   whoever can write them can already change the code.
 * - V8 itself rejects cached data made by another V8 version, with other
 *   flags or for a source of another length; a rejected or missing cache
 *   only means the chunk compiles from its source, as it would without one.
 * - V8 trusts the bytes of data it accepts (flipped bits crashed Node in a
 *   test), so it is told to verify their checksum (--verify-snapshot-checksum):
 *   a damaged cache is rejected like a stale one.
 * - `--debug` loads the same files through Node's own require, so the
 *   source maps name src/ files in stack traces.
 *
 * Every chunk is a regular CommonJS module: `require('./chunk-X.cjs')`
 * for static imports and `__load('./x.cjs')` (this module's `load`) for the
 * lazy ones, so Node's require runs them unchanged.
 *
 * The standalone executable (scripts/build-sea.mjs) runs this same loader as
 * its main script, over the same kind of chunks (built with every dependency
 * inside) carried in the executable as assets: runStandalone(). There is no
 * package folder there, so the chunks and their cache come from the assets,
 * and `--debug` cannot go through Node's require.
 */
import { readFileSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import path from 'node:path';
import { Script } from 'node:vm';

/** The code cache beside the chunks: the chunks a check or a commit hook loads, in one file, one read. */
export const CODE_CACHE_FILE = 'code-cache.bin';
/**
 * The chunks only a policy file's parsing loads (yaml, cosmiconfig, the
 * validation), in a file of their own, read only when one of them loads: in
 * the first file they made every check read and decode more (~1.5 ms).
 */
export const POLICY_CODE_CACHE_FILE = 'code-cache-policy.bin';

/**
 * The wrapper Node gives a CommonJS module. The code cache file holds each
 * chunk already wrapped, so its source becomes one flat string with no copy.
 */
export const CHUNK_WRAPPER = { head: '(function (exports, require, module, __filename, __dirname) {', tail: '\n})' } as const;

interface ChunkModule {
  exports: Record<string, unknown>;
}

interface Loaded {
  name: string;
  module: ChunkModule;
  script?: Script;
}

const nodeRequire = createRequire(__filename);
const chunks = new Map<string, Loaded>();
let viaNode = false;
/** Inside the standalone executable: its assets, which hold the chunks and the code cache (runStandalone). */
let assets: { getAsset(name: string): ArrayBuffer } | undefined;

/**
 * The packages the chunks leave external (scripts/build.mjs, KEEP_EXTERNAL),
 * as the build bundles each into a chunk of its own (the build makes these
 * files from this list): cosmiconfig and yaml always, which a policy file
 * needs parsed (through Node's ES module loader, their dozens of files
 * compiled without a cache were most of such a check's time); ps-list in the
 * standalone executable only, since the npm build's runs a Windows helper
 * from its own folder. Under `--debug` the chunks go through Node's require,
 * and so do these packages.
 */
export const PACKAGE_CHUNKS: Readonly<Record<string, string>> = { 'ps-list': 'package-ps-list.cjs', cosmiconfig: 'package-cosmiconfig.cjs', yaml: 'package-yaml.cjs' };
export const STANDALONE_ONLY: ReadonlySet<string> = new Set(['ps-list']);
let cache: Map<string, Packed> | undefined;
let policyCacheRead = false;
const stats = { accepted: 0, rejected: 0, missing: 0 };

/** Commands that run for seconds or for good: V8's optimizing tiers pay off there. */
const LONG_RUNNING = new Set(['watch', 'report']);

/**
 * V8 accepts cached data only under the flags it was made with, so every run
 * and the training runs (a check, a commit hook) set the same ones before the
 * first chunk compiles: the linear regular-expression engine (src/regex.ts
 * switches it on in every check anyway) and the checksum of cached data.
 *
 * A command that ends in a fraction of a second also runs without V8's
 * optimizing and baseline compilers: their compile jobs cost more than they
 * save in a run that short (measured: a check 4-6% faster, 15% with 2,000
 * processes to read). The long-running commands keep them, and compile
 * without the cache instead (its flags are not theirs).
 */
function setFlags(argv: readonly string[]): void {
  const command = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const short = command === undefined || !LONG_RUNNING.has(command);
  // A global whose module Node loads on its first use, not through a require that requireBuiltin sees: the
  // scanners' AbortController (~0.7 ms compiled from source under our flags).
  if (command === 'check' || command === 'hook' || (command === undefined && !argv.slice(2).some((arg) => ['--version', '-v', '--help', '-h'].includes(arg)))) {
    void globalThis.AbortController;
  }
  const v8 = v8Flags();
  const ours = `--enable-experimental-regexp-engine --verify-snapshot-checksum${short ? ' --no-opt --no-sparkplug' : ''}`;
  const defaults = `--no-enable-experimental-regexp-engine --no-verify-snapshot-checksum${short ? ' --opt --sparkplug' : ''}`;
  // V8's tag for cached data covers its flags: under `defaults` it must be the one Node started with, or Node's
  // cache would be rejected there too. Checked at the first switch; where it differs (a V8 whose defaults are not
  // these), built-ins load under our flags, compiled from source, as if there were no switch.
  const nodeTag = v8.cachedDataVersionTag();
  v8.setFlagsFromString(ours);
  let checked = false;
  underDefaultFlags = (load) => {
    v8.setFlagsFromString(defaults);
    if (!checked) {
      checked = true;
      if (v8.cachedDataVersionTag() !== nodeTag) {
        v8.setFlagsFromString(ours);
        underDefaultFlags = undefined;
        return load();
      }
    }
    try {
      return load();
    } finally {
      v8.setFlagsFromString(ours);
    }
  };
}

/** The two functions of node:v8 the loader uses. */
interface FlagSetter {
  setFlagsFromString(flags: string): void;
  cachedDataVersionTag(): number;
}

/**
 * What sets V8's flags. node:v8 brings Node's whole stream stack with it
 * (its heap snapshot helpers need it): ~1.4 ms of every check and hook,
 * measured, for two functions. The binding node:v8 wraps has them itself;
 * Node still lets process.binding reach it, with a deprecation warning that
 * is kept from showing for that one call: process.noDeprecation set, then
 * put back as it was (absent, or the caller's own). Under --no-deprecation
 * it is true already and read-only, and nothing is set. Where it cannot be
 * set, or a Node no longer gives the binding, node:v8.
 */
function v8Flags(): FlagSetter {
  const quiet = process.noDeprecation === true;
  const own = Object.getOwnPropertyDescriptor(process, 'noDeprecation');
  if (!quiet && !Reflect.set(process, 'noDeprecation', true)) return nodeRequire('node:v8') as FlagSetter;
  try {
    const binding = (process as { binding?: (name: string) => Partial<FlagSetter> }).binding?.('v8');
    if (typeof binding?.setFlagsFromString === 'function' && typeof binding.cachedDataVersionTag === 'function') return binding as FlagSetter;
  } catch {
    // Gone from this Node's process.binding: node:v8 below.
  } finally {
    if (!quiet) {
      if (own) Reflect.defineProperty(process, 'noDeprecation', own);
      else Reflect.deleteProperty(process, 'noDeprecation');
    }
  }
  return nodeRequire('node:v8') as FlagSetter;
}

/** Set by setFlags: runs `load` with V8's own flags back for its duration (undefined: load as things are). */
let underDefaultFlags: (<T>(load: () => T) => T) | undefined;
/** Built-ins asked for through requireBuiltin, so each is looked up once. */
const builtinsAsked = new Set<string>();

/**
 * A built-in module, for a chunk (its require or import()). Node's built-ins
 * carry a code cache made under V8's default flags: under setFlags' flags V8
 * rejects it, and a built-in compiled from its source costs several times
 * as much (child_process, with net, dgram and the rest it brings: 4.5 ms
 * instead of 1.2 ms). So one that Node has not loaded yet loads with V8's
 * defaults set back for that moment (~20 us to switch), it and every built-in
 * it brings. Nothing else runs meanwhile (require is synchronous), and our
 * chunks compile only under our flags, so their cache still matches.
 */
function requireBuiltin(specifier: string): unknown {
  if (underDefaultFlags === undefined || builtinsAsked.has(specifier)) return nodeRequire(specifier);
  builtinsAsked.add(specifier);
  const loaded = (process as { moduleLoadList?: readonly string[] }).moduleLoadList;
  if (loaded?.includes(`NativeModule ${specifier.replace(/^node:/, '')}`)) return nodeRequire(specifier);
  return underDefaultFlags(() => nodeRequire(specifier));
}

/** A chunk as the code cache file holds it: its source's bytes and V8's data for it. */
interface Packed {
  source: Buffer;
  cachedData: Buffer;
}

/**
 * dist/code-cache.bin: a JSON header line (the V8 version, then each chunk's
 * name and the byte lengths of its source and its cached data), then those
 * bytes in that order. A source is its .cjs file's bytes in CHUNK_WRAPPER,
 * so the chunks a check loads are one read, not one per chunk.
 */
function readCodeCache(file: string = CODE_CACHE_FILE): Map<string, Packed> {
  const entries = new Map<string, Packed>();
  let data: Buffer;
  try {
    data = readPart(file);
  } catch {
    return entries;
  }
  const headerEnd = data.indexOf(10);
  if (headerEnd < 0) return entries;
  let header: { v8?: unknown; chunks?: unknown };
  try {
    header = JSON.parse(data.toString('latin1', 0, headerEnd)) as typeof header;
  } catch {
    return entries;
  }
  if (header.v8 !== process.versions.v8 || !Array.isArray(header.chunks)) return entries;
  let offset = headerEnd + 1;
  for (const entry of header.chunks as unknown[]) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Number.isSafeInteger(entry[1]) || !Number.isSafeInteger(entry[2])) return new Map();
    const [name, sourceLength, cacheLength] = entry as [string, number, number];
    const end = offset + sourceLength + cacheLength;
    if (sourceLength < 0 || cacheLength < 0 || end > data.length) return new Map();
    // Decoded when the chunk loads: a hook loads fewer chunks than a check.
    entries.set(name, { source: data.subarray(offset, offset + sourceLength), cachedData: data.subarray(offset + sourceLength, end) });
    offset = end;
  }
  return entries;
}

/** A file of the build by its name: beside this module, or (standalone) an asset of the executable; throws when there is none. */
function readPart(name: string): Buffer {
  return assets ? Buffer.from(assets.getAsset(name)) : readFileSync(path.join(__dirname, name));
}

/** `./chunk-X.cjs` (or the `.js` name the chunk had as ESM) → `chunk-X.cjs`. */
function chunkName(specifier: string): string {
  return path.basename(specifier).replace(/\.js$/, '.cjs');
}

function isChunk(specifier: string): boolean {
  return specifier.startsWith('./') && specifier !== './load.cjs';
}

function chunkRequire(specifier: string): unknown {
  // This loader itself (a chunk's `__load`): there is no file of it in the executable.
  if (specifier === './load.cjs') return module.exports;
  const bundled = packageChunk(specifier);
  if (bundled) return requireChunk(bundled);
  return isChunk(specifier) ? requireChunk(specifier) : outsideRequire(specifier);
}

/**
 * A module that is no chunk: Node's built-ins, and the packages Node
 * resolves for the npm build. The executable carries its packages inside, so
 * there any other name is not found, as in a single executable's own
 * require(): never looked up on disk (NODE_PATH, a node_modules beside it).
 */
function outsideRequire(specifier: string): unknown {
  if (isBuiltin(specifier)) return requireBuiltin(specifier);
  if (assets) throw notInside(specifier);
  return nodeRequire(specifier);
}

function notInside(specifier: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`Cannot find module '${specifier}': the standalone executable loads only what it carries`), { code: 'MODULE_NOT_FOUND' });
}

/** The chunk that carries a package the chunks import (statically or lazily), where the build made one. */
function packageChunk(specifier: string): string | undefined {
  // Under --debug the chunks' own require() reaches the packages through Node: `import()` must reach the same ones.
  if (viaNode || !Object.hasOwn(PACKAGE_CHUNKS, specifier) || (!assets && STANDALONE_ONLY.has(specifier))) return undefined;
  return `./${PACKAGE_CHUNKS[specifier]}`;
}

/** A chunk's exports; loads and runs it on first use. */
export function requireChunk(specifier: string): Record<string, unknown> {
  const name = chunkName(specifier);
  const known = chunks.get(name);
  if (known) return known.module.exports;
  // Inside the executable, a chunk's file is the executable (its `import.meta.url`, as the package's files are inside it).
  const file = assets ? process.execPath : path.join(__dirname, name);
  if (viaNode) {
    const module = { exports: nodeRequire(file) as Record<string, unknown> };
    chunks.set(name, { name, module });
    return module.exports;
  }
  cache ??= readCodeCache();
  if (!cache.has(name) && !policyCacheRead) {
    policyCacheRead = true;
    for (const [more, packed] of readCodeCache(POLICY_CODE_CACHE_FILE)) if (!cache.has(more)) cache.set(more, packed);
  }
  const packed = cache.get(name);
  const cachedData = packed?.cachedData;
  const source = packed ? packed.source.toString('utf8') : `${CHUNK_WRAPPER.head}${readPart(name).toString('utf8')}${CHUNK_WRAPPER.tail}`;
  const script = new Script(source, { filename: assets ? `${process.execPath}/${name}` : file, ...(cachedData ? { cachedData } : {}) });
  if (!cachedData) stats.missing++;
  else if (script.cachedDataRejected) stats.rejected++;
  else stats.accepted++;
  const module: ChunkModule = { exports: {} };
  // Registered before it runs: chunks that import each other see the exports
  // object they will fill, as with require.
  chunks.set(name, { name, module, script });
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, chunkRequire, module, file, path.dirname(file));
  return module.exports;
}

/**
 * `import()` in a chunk: a chunk of this build, a built-in module (through
 * require: the same exports, without starting Node's ES module loader for
 * it), or a package (ps-list is an ES module).
 */
export function load(specifier: string): Promise<unknown> {
  if (isChunk(specifier)) return Promise.resolve().then(() => requireChunk(specifier));
  if (specifier.startsWith('node:')) return Promise.resolve().then(() => requireBuiltin(specifier));
  const bundled = packageChunk(specifier);
  if (bundled) return Promise.resolve().then(() => requireChunk(bundled));
  if (assets) return Promise.reject(notInside(specifier));
  return import(specifier);
}

/** How many chunks V8 took from the cache, rejected, or had none for. */
export function codeCacheStats(): Readonly<typeof stats> {
  return { ...stats };
}

/** The chunks loaded so far, by name. scripts/train-code-cache.cjs only. */
export function loadedChunks(): string[] {
  return [...chunks.keys()];
}

/**
 * Writes the cached data for every chunk loaded so far (after training runs:
 * V8 includes the functions they compiled), or for those `only` names.
 * scripts/build.mjs only.
 */
export function writeCodeCache(file: string = path.join(__dirname, CODE_CACHE_FILE), only?: ReadonlySet<string>): void {
  const parts = [...chunks.values()]
    .filter((chunk) => chunk.script && (!only || only.has(chunk.name)))
    .map((chunk) => ({
      name: chunk.name,
      source: Buffer.concat([Buffer.from(CHUNK_WRAPPER.head), readFileSync(path.join(__dirname, chunk.name)), Buffer.from(CHUNK_WRAPPER.tail)]),
      data: chunk.script!.createCachedData(),
    }));
  const header = JSON.stringify({ v8: process.versions.v8, chunks: parts.map((part) => [part.name, part.source.length, part.data.length]) });
  writeFileSync(file, Buffer.concat([Buffer.from(`${header}\n`, 'latin1'), ...parts.flatMap((part) => [part.source, part.data])]));
}

/**
 * Starts the chunks. With --debug, through Node's require and with source
 * maps, so a stack trace names src/ files; reading the maps costs time, and
 * only then is it worth it.
 */
export function start(argv: readonly string[]): void {
  viaNode = assets === undefined && argv.includes('--debug');
  if (viaNode) process.setSourceMapsEnabled(true);
  else setFlags(argv);
}

/**
 * The standalone executable's main script (scripts/build-sea.mjs): the
 * chunks and the code cache are its assets. With `--debug` (no source maps
 * there), says on stderr at exit how many chunks came from the cache.
 */
export function runStandalone(argv: string[]): void {
  assets = nodeRequire('node:sea') as typeof assets;
  if (argv.includes('--debug')) {
    process.on('exit', () => {
      writeSync(2, `aitool: code cache: ${stats.accepted} chunk(s) from it, ${stats.rejected} rejected, ${stats.missing} without one\n`);
    });
  }
  run(argv);
}

/**
 * The last resort for an error thrown outside the command's own chain (in a
 * callback, a timer, a package's deferred work): one line and exit 2, as the
 * CLI says any internal error (src/cli.ts). Node's own default would exit 1,
 * which a hook or a CI job reads as "blocked", after printing the source
 * line, which in a minified chunk is tens of kilobytes.
 */
function lastResort(argv: readonly string[]): (error: unknown) => void {
  return (error) => {
    const message = (error instanceof Error ? error.message : String(error)).replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    const stack = argv.includes('--debug') && error instanceof Error ? `\n${error.stack ?? ''}` : ' (run with --debug for details)';
    try {
      writeSync(2, `aitool: internal error: ${message}${stack}\n`);
    } finally {
      process.exit(2);
    }
  };
}

/** bin/aitool.js: runs the CLI and sets the exit code. */
export function run(argv: string[]): void {
  process.on('uncaughtException', lastResort(argv));
  process.on('unhandledRejection', lastResort(argv));
  start(argv);
  const cli = requireChunk('./cli.cjs') as { main: (argv: string[]) => Promise<number>; mayExitAtOnce: () => boolean };
  void cli.main(argv).then((code) => {
    process.exitCode = code;
    // A check or hook that has written its whole answer ends here (see mayExitAtOnce in src/cli.ts).
    if (cli.mayExitAtOnce()) process.exit(code);
  });
}
