#!/usr/bin/env node
// npm run bench: whole-process wall times, medians against `node -e 0` measured
// in the same run (interleaved, so machine load hits both alike).
// Usage: node test/bench/run.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'aitool.js');
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 25;
const warmups = 3;

// An empty working folder: no project policy, so the built-in default applies.
const cwd = mkdtempSync(join(tmpdir(), 'aitool-bench-'));

// A HOME as a heavy user's: 2,000 VS Code extensions and 500 global npm
// packages, with one AI tool in each (so the matches are exercised too).
const fixtureHome = join(cwd, 'home');
function writeFixtureHome() {
  const extensions = join(fixtureHome, '.vscode', 'extensions');
  const registry = [];
  for (let i = 0; i < 2000; i++) {
    const id = i === 0 ? 'github.copilot-chat' : `publisher${i % 97}.extension-${i}`;
    const folder = `${id}-1.${i}.0`;
    mkdirSync(join(extensions, folder), { recursive: true });
    writeFileSync(join(extensions, folder, 'package.json'), JSON.stringify({ name: id.split('.')[1], version: `1.${i}.0` }));
    registry.push({ identifier: { id }, version: `1.${i}.0`, relativeLocation: folder });
  }
  writeFileSync(join(extensions, 'extensions.json'), JSON.stringify(registry));
  const modules = join(fixtureHome, '.npm-global', 'lib', 'node_modules');
  for (let i = 0; i < 500; i++) {
    const name = i === 0 ? '@anthropic-ai/claude-code' : `package-${i}`;
    mkdirSync(join(modules, name), { recursive: true });
    writeFileSync(join(modules, name, 'package.json'), JSON.stringify({ name, version: `2.${i}.0` }));
  }
  writeFileSync(join(fixtureHome, '.npmrc'), `prefix=${join(fixtureHome, '.npm-global')}\n`);
}
writeFixtureHome();
// Both heavy cases read a policy file, so both pay the same policy-parsing cost.
const onlyIssue2 = join(cwd, 'running-only.yaml');
writeFileSync(onlyIssue2, 'scanners: { packages: false, editors: false, apps: false, configs: false }\n');
const everyScanner = join(cwd, 'every-scanner.yaml');
writeFileSync(everyScanner, 'scanners: { packages: true, editors: true, apps: true, configs: true }\n');
const fixtureEnv = { ...process.env, HOME: fixtureHome };

// Two git repositories alike but for aitool's pre-commit hook, installed the way
// users install it; each run is one `git commit` (empty, so only the hook differs).
// Both hold a project policy, as a real one would: parsing it is part of the cost
// (the merged-policy cache takes over once the file is two seconds old, which
// the warm-up runs see to).
const gitEnv = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.com' };
function makeRepo(name, withHook) {
  const dir = join(cwd, name);
  mkdirSync(dir);
  const run = (command, args) => {
    const result = spawnSync(command, args, { cwd: dir, env: gitEnv, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
  };
  run('git', ['init', '-q']);
  writeFileSync(join(dir, '.aitoolrc.yaml'), 'extends: aitool:recommended\ntools:\n  claude-code:\n    action: block\n    alternatives: [qoder]\n');
  run('git', ['add', '.aitoolrc.yaml']);
  run('git', ['commit', '-q', '-m', 'start']);
  if (withHook) run(process.execPath, [bin, 'hook', 'install', '--pre-commit']);
  return dir;
}
const plainRepo = makeRepo('repo-plain', false);
const hookedRepo = makeRepo('repo-hooked', true);
const commitArgs = ['commit', '-q', '--allow-empty', '-m', 'bench'];

const cases = [
  { name: 'node -e 0', argv: ['-e', '0'] },
  { name: 'aitool check (text)', argv: [bin, 'check', '--no-color'] },
  { name: 'aitool check --format json', argv: [bin, 'check', '--format', 'json'] },
  { name: 'heavy HOME: processes, path, traces', argv: [bin, 'check', '--format', 'json', '--policy', onlyIssue2], env: fixtureEnv },
  { name: 'heavy HOME: every scanner', argv: [bin, 'check', '--format', 'json', '--policy', everyScanner], env: fixtureEnv },
  { name: 'git commit, no hook', command: 'git', argv: commitArgs, env: gitEnv, cwd: plainRepo },
  { name: 'git commit, aitool pre-commit', command: 'git', argv: commitArgs, env: gitEnv, cwd: hookedRepo },
];

function timeOnce(c) {
  const start = process.hrtime.bigint();
  const result = spawnSync(c.command ?? process.execPath, c.argv, { cwd: c.cwd ?? cwd, env: c.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${c.argv.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

try {
  for (let i = 0; i < warmups; i++) for (const c of cases) timeOnce(c);
  const samples = new Map(cases.map((c) => [c.name, []]));
  for (let i = 0; i < runs; i++) for (const c of cases) samples.get(c.name).push(timeOnce(c));

  const baseline = median(samples.get('node -e 0'));
  console.log(`aitool bench: ${runs} runs each, interleaved; node ${process.version}, ${process.platform}/${process.arch}`);
  console.log(`${'case'.padEnd(34)} ${'median'.padStart(9)} ${'min'.padStart(9)} ${'max'.padStart(9)}  vs node -e 0`);
  for (const c of cases) {
    const values = samples.get(c.name);
    const m = median(values);
    console.log(
      `${c.name.padEnd(34)} ${m.toFixed(1).padStart(7)}ms ${Math.min(...values).toFixed(1).padStart(7)}ms ${Math.max(...values).toFixed(1).padStart(7)}ms  ${(m / baseline).toFixed(2)}x`,
    );
  }
  const heavy = median(samples.get('heavy HOME: every scanner')) / median(samples.get('heavy HOME: processes, path, traces'));
  console.log(`heavy HOME, every scanner vs processes/path/traces only: ${heavy.toFixed(2)}x (target: at most 1.5x)`);
  const hook = median(samples.get('git commit, aitool pre-commit')) - median(samples.get('git commit, no hook'));
  console.log(`pre-commit hook overhead per commit (median difference): ${hook.toFixed(1)} ms (target: at most 150 ms)`);
  // Watch mode: one process, 1,000 cycles back to back over this machine's processes plus 300
  // long-running ones, with 50 a second starting and ending throughout.
  const watch = spawnSync(process.execPath, ['--expose-gc', join(root, 'dist', 'watch', 'measure.js'), '--cycles', '1000', '--extra', '300', '--churn', '50'], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (watch.status !== 0) throw new Error(`watch measure exited ${watch.status}: ${watch.stderr}`);
  const w = JSON.parse(watch.stdout);
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  console.log(
    `watch cycle over ~${w.processes.last} processes (300 extra, 50/s churning): median ${w.cycleMs.median.toFixed(1)} ms, p95 ${w.cycleMs.p95.toFixed(1)} ms; first cycle ${w.firstCycleMs.toFixed(0)} ms`,
  );
  const at = (n) => w.memoryEvery100.find((m) => m.cycle === n);
  console.log(
    `watch memory, RSS (heap used) after cycle 100 / 500 / 1,000: ${[100, 500, 1000].map((n) => `${mb(at(n).rss)} (${mb(at(n).heapUsed)})`).join(' / ')}`,
  );
} finally {
  rmSync(cwd, { recursive: true, force: true });
}
