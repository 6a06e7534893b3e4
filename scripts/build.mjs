#!/usr/bin/env node
// npm run build: bundles src/ into dist/ with esbuild. One ESM bundle per entry
// point; every `await import()` becomes a lazy chunk, so a command still loads
// only what it runs. Type-checking is `npm run typecheck` (part of `npm test`).
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Source paths in the maps relative to the map, so stack traces name src/ files.
  sourcesContent: false,
  external: KEEP_EXTERNAL,
  // CommonJS dependencies (cosmiconfig and its helpers) call require() for Node's
  // built-ins; an ESM bundle has no require of its own.
  banner: { js: "import { createRequire as __aitoolCreateRequire } from 'node:module';\nconst require = __aitoolCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  metafile: true,
};

/**
 * The CLI, `<outdir>/cli.js` (bin/aitool.js imports its main), and the watch
 * measurement the bench runs, `<outdir>/watch-measure.js`: one build, so both
 * share the lazy chunks beside them and load only what they run (the watch's
 * memory figures stay those of `aitool watch`). Every output sits in `outdir`
 * itself: the package file URLs are re-based for that one folder. The bench
 * builds a variant with a grown catalog through `plugins` (test/bench/run.mjs).
 */
export async function buildCli(outdir, plugins = []) {
  return esbuild.build({
    ...common,
    entryPoints: { cli: path.join(src, 'cli.ts'), 'watch-measure': path.join(src, 'watch', 'measure.ts') },
    outdir,
    splitting: true,
    chunkNames: '[name]-[hash]',
    plugins: [...plugins, packageFileUrlsFrom(outdir)],
  });
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  rmSync(dist, { recursive: true, force: true });
  const cli = await buildCli(dist);
  if (process.argv.includes('--analyze')) console.log(await esbuild.analyzeMetafile(cli.metafile));
}
