#!/usr/bin/env node
// npm run build:sea: aitool as one executable that needs no Node install
// (Node's single executable applications), for the OS and CPU it is built on:
// dist-sea/aitool-<os>-<arch>.
// 1. src/cli.ts bundled into ONE CommonJS file: an executable's require()
//    reaches only Node's built-in modules, so every dependency is inside,
//    and every lazy `await import()` becomes code of the same file. The
//    package files the CLI reads (package.json's version, policies/*.yaml)
//    are embedded (src/embedded.ts).
// 2. `node --experimental-sea-config` turns it into a blob.
// 3. A copy of this node gets the blob through postject.
// Options: --out <file> (another place), --no-code-cache (see below).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { catalogPlugins, precompileCatalogs, root, src } from './build.mjs';

/** The sentinel the Node binary carries (as `…:0`) until a blob is injected; postject flips it. From Node's docs, checked in the binary below. */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const OS_NAMES = { linux: 'linux', darwin: 'macos', win32: 'windows' };

export function defaultOutFile() {
  const os = OS_NAMES[process.platform] ?? process.platform;
  return path.join(root, 'dist-sea', `aitool-${os}-${process.arch}${process.platform === 'win32' ? '.exe' : ''}`);
}

/** What the CLI otherwise reads from its package folder at run time. */
function embeddedFiles() {
  const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  const presets = {};
  for (const name of ['recommended', 'strict']) presets[name] = readFileSync(path.join(root, 'policies', `${name}.yaml`), 'utf8');
  return { version, presets };
}

/**
 * Step 1. `import.meta.url` (an ES module's own place) becomes the
 * executable's URL: a real file in a real folder. The package-relative
 * references made from it (bin/aitool.js, the presets' folder) are not
 * followed inside the executable: src/embedded.ts answers them first. So the
 * regular build's re-basing plugin (scripts/build.mjs) has nothing to do here.
 * typescript stays outside: cosmiconfig's loader for .ts configurations
 * needs it, and aitool replaces every cosmiconfig loader with its own.
 */
async function bundle(outfile) {
  await esbuild.build({
    stdin: {
      // As bin/aitool.js (src/load.cts): a check or hook that has written its whole answer ends at once.
      contents: "import { main, mayExitAtOnce } from './cli.ts';\nvoid main(process.argv).then((code) => { process.exitCode = code; if (mayExitAtOnce()) process.exit(code); });\n",
      resolveDir: src,
      sourcefile: 'sea-main.ts',
      loader: 'ts',
    },
    bundle: true,
    splitting: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['typescript'],
    // No import() may stay: with the code cache an SEA has no callback for
    // it. esbuild writes the lazy imports of Node's built-ins as require().
    supported: { 'dynamic-import': false },
    define: { 'import.meta.url': '__aitoolExecutableUrl', AITOOL_EMBEDDED: JSON.stringify(embeddedFiles()) },
    banner: { js: '"use strict"; var __aitoolExecutableUrl = require("node:url").pathToFileURL(process.execPath).href;' },
    absWorkingDir: root,
    // The catalog's entries as JSON and its OS-only compile, as the regular build ships them (scripts/build.mjs, step 0).
    plugins: catalogPlugins(await precompileCatalogs()),
    outfile,
    logLevel: 'warning',
  });
}

/** Runs a step whose chatter is no news (postject warns about ELF note sections it does not touch); its output is shown only when it fails. */
function quietly(command, args, cwd) {
  try {
    execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    process.stderr.write(`${error.stdout ?? ''}${error.stderr ?? ''}`);
    throw error;
  }
}

function checkFuse(node) {
  if (!readFileSync(node).includes(`${SEA_FUSE}:0`)) {
    throw new Error(`${node} has no ${SEA_FUSE}:0: not a Node binary that can become a single executable application`);
  }
}

/**
 * useCodeCache: V8's compiled code for the bundle inside the blob, made by
 * this node. Measured on the linux-x64 build (README): kept because it
 * starts faster. It makes `import()` unusable in the bundle, which has none
 * left (see `supported` in bundle()).
 */
export async function buildSea({ outFile = defaultOutFile(), useCodeCache = true } = {}) {
  const work = mkdtempSync(path.join(tmpdir(), 'aitool-sea-'));
  try {
    const main = path.join(work, 'aitool.cjs');
    const blob = path.join(work, 'aitool.blob');
    const config = path.join(work, 'sea-config.json');
    await bundle(main);
    writeFileSync(config, JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useCodeCache }, null, 2));
    quietly(process.execPath, ['--experimental-sea-config', config], work);

    checkFuse(process.execPath);
    mkdirSync(path.dirname(outFile), { recursive: true });
    rmSync(outFile, { force: true });
    copyFileSync(process.execPath, outFile);
    chmodSync(outFile, 0o755);
    const macos = process.platform === 'darwin';
    // Node's docs: the copied node's signature must go before the injection, and the result be signed again (ad hoc here; a release signs with its identity).
    if (macos) execFileSync('codesign', ['--remove-signature', outFile], { stdio: 'inherit' });
    const postject = path.join(root, 'node_modules', 'postject', 'dist', 'cli.js');
    const args = [postject, outFile, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE, ...(macos ? ['--macho-segment-name', 'NODE_SEA'] : [])];
    quietly(process.execPath, args, work);
    if (macos) execFileSync('codesign', ['--sign', '-', outFile], { stdio: 'inherit' });
    return outFile;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1] !== undefined) options.outFile = path.resolve(argv[++i]);
    else if (argv[i] === '--no-code-cache') options.useCodeCache = false;
    else throw new Error(`build-sea: unknown argument '${argv[i]}' (options: --out <file>, --no-code-cache)`);
  }
  return options;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outFile = await buildSea(parseArgs(process.argv.slice(2)));
  console.log(`${path.relative(process.cwd(), outFile) || outFile}`);
}
