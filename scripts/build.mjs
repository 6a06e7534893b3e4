#!/usr/bin/env node
// npm run build: bundles src/ into dist/ with esbuild, in three steps.
// 1. One ESM bundle per entry point, split: every `await import()` becomes a
//    lazy chunk, so a command still loads only what it runs.
// 2. Each output file becomes a CommonJS chunk (dist/*.cjs) with a source map
//    chained to src/: Node 20 caches compiled code only for scripts, not for
//    ES modules. src/load.cts loads the chunks.
// 3. Training runs of the built CLI (a check, a commit hook) record V8's
//    compiled code for the chunks they load into dist/code-cache.bin.
// Type-checking is `npm run typecheck` (part of `npm test`).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

export const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
export const src = path.join(root, 'src');
const dist = path.join(root, 'dist');

// Left to Node's own resolution:
// - ps-list finds its Windows helper (vendor/fastlist-*.exe) beside its own
//   module: bundled, it would look for it in dist/.
// - cosmiconfig and yaml are CommonJS and loaded with `await import()`: in a
//   split bundle esbuild gives such a chunk only a default export (measured:
//   `module.cosmiconfig is not a function`), where Node gives the named ones.
// - typescript: cosmiconfig's optional loader for .ts files; not aitool's.
// The others are bundled (one file to read instead of dozens of resolutions).
const KEEP_EXTERNAL = ['ps-list', 'cosmiconfig', 'yaml', 'typescript'];

/**
 * Modules find files of the package (package.json, policies/, bin/aitool.js)
 * with `new URL('../..', import.meta.url)`, written for tsc's layout (src/x/y.ts
 * -> dist/x/y.js). In a bundle a module's code sits in an output file in dist/
 * itself, so each such relative reference is re-based at build time: it names
 * the same file of the package from the output file's folder. A bare
 * `import.meta.url` (the module's own folder, as a place to stand in) is left
 * alone: it is the real output file, which exists.
 */
const PACKAGE_FILE_URL = /new URL\((['"])(\.{1,2}\/[^'"]*)\1, import\.meta\.url\)/g;

function packageFileUrlsFrom(outdir) {
  return {
    name: 'package-file-urls-from-outdir',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        if (!args.path.startsWith(src + path.sep)) return undefined;
        const text = await readFile(args.path, 'utf8');
        const asBuilt = path.join(dist, path.relative(src, args.path));
        const contents = text.replace(PACKAGE_FILE_URL, (_match, _quote, relative) => {
          const target = path.resolve(path.dirname(asBuilt), relative);
          let rebased = path.relative(outdir, target).split(path.sep).join('/');
          if (relative.endsWith('/')) rebased += '/';
          if (!rebased.startsWith('.')) rebased = `./${rebased}`;
          return `new URL(${JSON.stringify(rebased)}, import.meta.url)`;
        });
        return { contents, loader: 'ts' };
      });
    },
  };
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Source paths in the maps relative to the map, so stack traces name src/ files.
  sourcesContent: false,
  external: KEEP_EXTERNAL,
  logLevel: 'warning',
};

/**
 * Step 2: an ESM chunk as a CommonJS module of the same name with `.cjs`.
 * esbuild turns imports into require() and keeps the source map chained; the
 * rest is spelled out here and counted against the ESM build's own list of
 * imports, so text that only looks like an import is never touched:
 * - static imports of other chunks name the `.cjs` file;
 * - `import()` becomes `__load()`, the loader's, which is the same length (a
 *   chunk runs in vm.Script, where `import()` needs a callback; the source
 *   map's columns stay right);
 * - `import.meta.url` becomes the chunk file's own URL.
 */
async function toCommonJs(esmFile, outdir, imports) {
  const result = await esbuild.build({
    entryPoints: [esmFile],
    bundle: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    // No comments (esbuild keeps some, some not ASCII, which would make a chunk's
    // source a two-byte string) and no indentation: less to read and decode.
    // Short local names and syntax too: a smaller source and code cache made a
    // check ~2 ms and the commit hook ~1.7 ms faster; --debug's source maps
    // still name the src/ files and lines.
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: true,
    charset: 'ascii',
    sourcesContent: false,
    define: { 'import.meta.url': '__aitoolModuleUrl' },
    write: false,
    outdir,
    outExtension: { '.js': '.cjs' },
    logLevel: 'warning',
  });
  const code = result.outputFiles.find((file) => file.path.endsWith('.cjs'));
  const map = result.outputFiles.find((file) => file.path.endsWith('.cjs.map'));
  let text = code.text;
  const chunkImports = imports.filter((entry) => entry.kind === 'import-statement' && !entry.external).length;
  const dynamicImports = imports.filter((entry) => entry.kind === 'dynamic-import').length;
  let staticSeen = 0;
  let dynamicSeen = 0;
  text = text.replace(/\brequire\("\.\/([\w-]+)\.js"\)/g, (_match, name) => {
    staticSeen++;
    return `require("./${name}.cjs")`;
  });
  text = text.replace(/\bimport\((?="[^"]+"\))/g, () => {
    dynamicSeen++;
    return '__load(';
  });
  if (staticSeen !== chunkImports || dynamicSeen !== dynamicImports) {
    throw new Error(`${path.basename(esmFile)}: ${staticSeen}/${chunkImports} static and ${dynamicSeen}/${dynamicImports} dynamic imports rewritten`);
  }
  // Strict, as the ES modules were.
  const preamble = ['"use strict";'];
  if (dynamicSeen > 0) preamble.push('var __load = require("./load.cjs").load;');
  if (text.includes('__aitoolModuleUrl')) preamble.push('var __aitoolModuleUrl = require("node:url").pathToFileURL(__filename).href;');
  // On the line esbuild gives "use strict" or its helpers, so no line moves.
  text = text.replace(/^/, preamble.join(' '));
  writeFileSync(code.path, text);
  writeFileSync(map.path, map.contents);
}

/**
 * The CLI, `<outdir>/cli.cjs` (bin/aitool.js runs it through
 * `<outdir>/load.cjs`), and the watch measurement the bench runs,
 * `<outdir>/watch-measure.cjs`: one build, so both share the lazy chunks
 * beside them and load only what they run (the watch's memory figures stay
 * those of `aitool watch`). Every output sits in `outdir` itself: the package
 * file URLs are re-based for that one folder. The bench builds a variant with
 * a grown catalog through `plugins` (test/bench/run.mjs).
 */
export async function buildCli(outdir, plugins = [], { embedded } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const step0 = await precompileCatalogs(plugins);
  const esmDir = mkdtempSync(path.join(tmpdir(), 'aitool-esm-'));
  try {
    const esm = await esbuild.build({
      ...common,
      format: 'esm',
      entryPoints: { cli: path.join(src, 'cli.ts'), 'watch-measure': path.join(src, 'watch', 'measure.ts') },
      outdir: esmDir,
      splitting: true,
      chunkNames: '[name]-[hash]',
      metafile: true,
      absWorkingDir: root,
      // The standalone build carries the package files the CLI reads (src/embedded.ts).
      ...(embedded ? { define: { AITOOL_EMBEDDED: JSON.stringify(embedded) } } : {}),
      plugins: [...plugins, ...catalogPlugins(step0), packageFileUrlsFrom(outdir)],
    });
    for (const [file, output] of Object.entries(esm.metafile.outputs)) {
      if (file.endsWith('.js')) await toCommonJs(path.resolve(root, file), outdir, output.imports);
    }
  } finally {
    rmSync(esmDir, { recursive: true, force: true });
  }
  await esbuild.build({ ...common, format: 'cjs', entryPoints: [path.join(src, 'load.cts')], outfile: path.join(outdir, 'load.cjs') });
  await packageChunks(outdir, Boolean(embedded));
  trainCodeCache(outdir);
}

/**
 * The packages the ESM step leaves external, each as the chunk the loader
 * takes it from (src/load.cts, PACKAGE_CHUNKS, which says which are for the
 * standalone executable only): the loader's list is the one list, and a
 * package left external that it does not name stops the build (the npm
 * build would look for it on disk, the executable would not find it).
 */
async function packageChunks(outdir, standalone) {
  const { PACKAGE_CHUNKS, STANDALONE_ONLY } = createRequire(import.meta.url)(path.join(outdir, 'load.cjs'));
  for (const name of KEEP_EXTERNAL.filter((external) => external !== 'typescript')) {
    if (!Object.hasOwn(PACKAGE_CHUNKS, name)) throw new Error(`build: ${name} is left external, and src/load.cts (PACKAGE_CHUNKS) names no chunk for it`);
    if (standalone || !STANDALONE_ONLY.has(name)) await packageChunk(name, PACKAGE_CHUNKS[name], outdir);
  }
}

/**
 * A package the ESM step leaves external, as one CommonJS chunk of its own
 * (`package-<name>.cjs`): one file compiled with the code cache, and in the
 * standalone executable, where require() reaches only Node's built-ins, the
 * only way to have it. Its exports are the package's, named ones included:
 * an ESM package (ps-list) gets them through esbuild's conversion.
 * `import.meta.url` is the chunk's file, which inside the executable is the
 * executable itself (ps-list looks beside it for its Windows helper, as the
 * single bundle before had it).
 */
async function packageChunk(name, file, outdir) {
  const outfile = path.join(outdir, file);
  await esbuild.build({
    stdin: { contents: `module.exports = require(${JSON.stringify(name)});\n`, resolveDir: root, sourcefile: file, loader: 'js' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['typescript'],
    minifyWhitespace: true,
    charset: 'ascii',
    define: { 'import.meta.url': '__aitoolModuleUrl' },
    banner: { js: 'var __aitoolModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
    outfile,
    logLevel: 'warning',
  });
}

/** What step 0 made, as the build uses it: the precompiled catalog data and the entries as JSON. */
export function catalogPlugins(step0) {
  return [precompiledCatalogData(step0.precompiled), catalogAsJson(step0.entries)];
}

/**
 * src/catalog/entries.ts as built: the same entries as one JSON text, parsed
 * at start. V8 parses JSON faster than it runs object literals without its
 * optimizing tiers, and a string is a small part of the code cache (the
 * literals' bytecode was 112 KB of it).
 */
function catalogAsJson(entries) {
  return moduleAs('catalog-as-json', path.join(src, 'catalog', 'entries.ts'), `export const ENTRIES = JSON.parse(${JSON.stringify(entries)});\n`);
}

/**
 * src/match/precompiled-data.ts as built: the text precompileCatalogs made,
 * each OS's behind a function of its own. A function nobody calls stays
 * uncompiled, so its text is in no code cache: the chunk's cached data holds
 * only the OS the training runs ran on, not all three (the two others were
 * two-thirds of the check's biggest chunk).
 */
function precompiledCatalogData(precompiled) {
  const entries = Object.entries(precompiled).map(([os, text]) => `${JSON.stringify(os)}: () => ${JSON.stringify(text)}`);
  return moduleAs('precompiled-catalog-data', path.join(src, 'match', 'precompiled-data.ts'), `export default { ${entries.join(', ')} };\n`);
}

/** An esbuild plugin that gives the module at `file` (that path exactly) the JavaScript `contents`. */
function moduleAs(name, file, contents) {
  const base = path.basename(file);
  return {
    name,
    setup(build) {
      build.onLoad({ filter: new RegExp(`${base.replace(/\./g, '\\.')}$`) }, (args) => (args.path === file ? { contents, loader: 'js' } : undefined));
    },
  };
}

/**
 * Step 0: the catalog's OS-only compile (index keys, scanner probes) for each
 * OS, from the same sources and plugins as the build, as JSON text per OS
 * (src/match/precompiled.ts parses the host's). It is made in the same step
 * as the entries it serves, from the same sources; compileCatalog still
 * refuses one made for other entries (ids, order, source, OS) and compiles at
 * start instead. It does not compare signatures: being built together is what
 * keeps them equal (test/match/precompiled.test.ts compares the two compiles).
 */
export async function precompileCatalogs(plugins = []) {
  const dir = mkdtempSync(path.join(tmpdir(), 'aitool-precompile-'));
  try {
    const outfile = path.join(dir, 'precompile.mjs');
    await esbuild.build({
      ...common,
      sourcemap: false,
      format: 'esm',
      stdin: {
        contents:
          "export { CATALOG } from './catalog/index.js';\nexport { ENTRIES } from './catalog/entries.js';\nexport { precompileCatalog } from './match/compile.js';\n",
        resolveDir: src,
        sourcefile: 'precompile.ts',
        loader: 'ts',
      },
      outfile,
      absWorkingDir: root,
      plugins,
    });
    const { CATALOG, ENTRIES, precompileCatalog } = await import(`${pathToFileURL(outfile).href}?${Date.now()}`);
    const entries = JSON.stringify(ENTRIES);
    // Shipped as JSON, the entries must come back from it exactly (no undefined, functions, RegExps or NaN in them).
    if (!isDeepStrictEqual(JSON.parse(entries), ENTRIES)) throw new Error('build: the catalog entries are not plain JSON data (src/catalog/entries.ts)');
    return {
      precompiled: Object.fromEntries(['linux', 'macos', 'windows'].map((os) => [os, JSON.stringify(precompileCatalog(CATALOG, os))])),
      entries,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Step 3, in a child process: the V8 flags and the chunks must be those of
 * a real run. A failed training leaves no cache (the CLI works, slower), and
 * says so.
 */
function trainCodeCache(outdir) {
  try {
    execFileSync(process.execPath, [path.join(root, 'scripts', 'train-code-cache.cjs'), outdir], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
  } catch (error) {
    console.error(`build: no code cache (${error.message.split('\n')[0]}); aitool starts slower`);
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildCli(dist);
}
