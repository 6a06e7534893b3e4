// Build step 3 (scripts/build.mjs): runs the built CLI the way the hot paths
// run it, in this one process, then writes V8's code cache for every chunk
// they loaded (dist/code-cache.bin). A chunk's cached data holds the
// functions compiled by then, so the training runs are the ones whose start
// matters: `check` (text and JSON) and the commit hook. Then a check that
// parses a policy file, for the chunks only that loads
// (dist/code-cache-policy.bin).
//
// It runs in a temporary HOME and repository it makes and removes; it reads
// the machine (processes, PATH) as any check does, and writes nothing else.
'use strict';
const { execFileSync } = require('node:child_process');
const { mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

const outdir = path.resolve(process.argv[2]);
const loader = require(path.join(outdir, 'load.cjs'));
const workspace = mkdtempSync(path.join(tmpdir(), 'aitool-train-'));

async function main() {
  const home = path.join(workspace, 'home');
  const repo = path.join(workspace, 'repo');
  mkdirSync(home);
  mkdirSync(repo);
  const env = { HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  Object.assign(process.env, env);
  const git = (...args) => execFileSync('git', args, { cwd: repo, stdio: 'ignore' });
  git('init', '-q');
  writeFileSync(path.join(repo, 'notes.txt'), 'training\n');
  git('add', 'notes.txt');
  const message = path.join(repo, '.git', 'COMMIT_EDITMSG');
  writeFileSync(message, 'Training commit\n');

  // Reports go to stdout, which the build discards.
  loader.start([]);
  const { main: cli } = loader.requireChunk('./cli.cjs');
  process.chdir(workspace);
  await cli(['node', 'aitool', 'check', '--format', 'json']);
  await cli(['node', 'aitool', 'check']);
  process.chdir(repo);
  // As the installed hook runs it. stdin is /dev/null here, which is no stream of git's answers: the hook asks
  // git itself, so that path is in the cache; the answers' parsing is small and compiles when a hook first uses it.
  await cli(['node', 'aitool', 'hook', 'run', 'commit', '--git-stdin', message]);
  loader.writeCodeCache();
  // A policy file parsed, as the first run after an edit and every run in CI (no cache folder kept) parse one:
  // yaml, cosmiconfig and the validation, for a project file that extends a preset. Only the chunks this run loads
  // first go to the second file; the first stays as the runs above left it.
  const hot = new Set(loader.loadedChunks());
  writeFileSync(path.join(repo, '.aitoolrc.yaml'), 'extends: aitool:recommended\ntools:\n  claude-code:\n    action: block\n    alternatives: [qoder]\n');
  process.env.AITOOL_NO_CACHE = '1';
  await cli(['node', 'aitool', 'check', '--format', 'json']);
  delete process.env.AITOOL_NO_CACHE;
  loader.writeCodeCache(path.join(outdir, loader.POLICY_CODE_CACHE_FILE), new Set(loader.loadedChunks().filter((name) => !hot.has(name))));
}

main()
  .catch((error) => {
    process.stderr.write(`train-code-cache: ${error.stack}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    process.chdir(tmpdir());
    rmSync(workspace, { recursive: true, force: true });
  });
