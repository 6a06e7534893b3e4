#!/usr/bin/env node
// npm run build:sea: aitool as one executable that needs no Node install
// (Node's single executable applications, Node >= 20.12), for the OS and CPU
// it is built on: dist-sea/aitool-<os>-<arch>.
// 1. The CLI built as the regular build builds it (scripts/build.mjs): lazy
//    CommonJS chunks and a code cache trained on them, but with every
//    dependency inside (an executable's require() reaches only Node's
//    built-ins) and the package files the CLI reads (package.json's version,
//    policies/*.yaml) embedded (src/embedded.ts).
// 2. `node --experimental-sea-config` makes a blob whose main script is the
//    loader (src/load.cts, runStandalone) and whose assets are the chunks
//    and the code cache: a command loads only the chunks it runs, compiled
//    from V8's cache, as bin/aitool.js does.
// 3. A copy of this node gets the blob through postject.
// Options: --out <file> (another place), --no-code-cache (no trained cache:
// every chunk compiles from its source).
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli, root } from './build.mjs';

/** src/load.cts's CODE_CACHE_FILE and POLICY_CODE_CACHE_FILE. */
const CODE_CACHE_FILES = ['code-cache.bin', 'code-cache-policy.bin'];

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
 * useCodeCache: the code cache the build trains (scripts/build.mjs, step 3)
 * goes in with the chunks. Node's own `useCodeCache` is not used: it caches
 * only the main script, the small loader, and makes `import()` unusable there.
 */
export async function buildSea({ outFile = defaultOutFile(), useCodeCache = true } = {}) {
  // The executable's assets (sea-config `assets`, `node:sea` getAsset) came with Node 20.12.
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 12)) throw new Error(`build-sea: Node ${process.versions.node} cannot build it; use Node 20.12 or later`);
  const work = mkdtempSync(path.join(tmpdir(), 'aitool-sea-'));
  try {
    const chunks = path.join(work, 'chunks');
    await buildCli(chunks, [], { embedded: embeddedFiles() });
    // The loader is the main script: it runs the CLI from the assets.
    const main = path.join(work, 'main.cjs');
    writeFileSync(main, `${readFileSync(path.join(chunks, 'load.cjs'), 'utf8')}\nmodule.exports.runStandalone(process.argv);\n`);
    const assets = {};
    for (const name of readdirSync(chunks).sort()) {
      if (name.endsWith('.cjs') && name !== 'load.cjs') assets[name] = path.join(chunks, name);
    }
    // A training that failed left no cache (scripts/build.mjs says so): the executable compiles every chunk from source.
    if (useCodeCache) for (const name of CODE_CACHE_FILES) if (existsSync(path.join(chunks, name))) assets[name] = path.join(chunks, name);
    const blob = path.join(work, 'aitool.blob');
    const config = path.join(work, 'sea-config.json');
    writeFileSync(config, JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: false, assets }, null, 2));
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
