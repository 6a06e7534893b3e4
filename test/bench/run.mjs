#!/usr/bin/env node
// npm run bench: whole-process wall times, medians against `node -e 0` measured
// in the same run (interleaved, so machine load hits both alike), each target
// checked against the noise the run measured itself; exits 1 when a target is
// missed by more than that noise.
// Usage: node test/bench/run.mjs [--runs N] [--only growth]
// (--only growth: just the growth case, for work on matching.)
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { buildCli, src } from '../../scripts/build.mjs';
import { buildSea } from '../../scripts/build-sea.mjs';
import { grownCatalog } from './grown-catalog.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const bin = join(root, 'bin', 'aitool.js');
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 25;
const warmups = 3;
const onlyFlag = process.argv.indexOf('--only');
const only = onlyFlag > 0 ? process.argv[onlyFlag + 1] : undefined;
if (only !== undefined && only !== 'growth') throw new Error(`--only: unknown part ${only} (known: growth)`);

// The floor is Node's own start. Two variables make every Node start slower
// before any JavaScript runs, and would flatter every ratio below: machines
// behind a TLS-inspecting proxy set NODE_EXTRA_CA_CERTS, which Node 20 reads
// and parses at start (on this machine, 3,600 lines of certificates: node -e 0
// 62 ms with it, 24 ms without), and NODE_OPTIONS can add anything. Every case
// runs without them; where this machine sets them, a few cases run again with
// its own environment, shown apart and not held to the targets.
const STARTUP_VARIABLES = ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS'];
// The user's runtime folder is left alone: the hook cases that use spares
// (src/hooks/spare.ts) get a runtime folder of the bench's own.
const machineEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'XDG_RUNTIME_DIR'));
const floorEnv = Object.fromEntries(Object.entries(machineEnv).filter(([name]) => !STARTUP_VARIABLES.includes(name)));
const machineSets = STARTUP_VARIABLES.filter((name) => machineEnv[name] !== undefined);

// An empty working folder: no project policy, so the built-in default applies.
const cwd = mkdtempSync(join(tmpdir(), 'aitool-bench-'));
const benchBuild = join(root, '.bench');

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
const fixtureEnv = { ...floorEnv, HOME: fixtureHome };

// A project policy file, as a repository holds one. Dated back, so the merged
// policy cache (which does not trust files changed in the last two seconds)
// serves it from the first run, as it does for a file not just edited.
const projectPolicy = 'extends: aitool:recommended\ntools:\n  claude-code:\n    action: block\n    alternatives: [qoder]\n';
const backdated = new Date(Date.now() - 60_000);
const projectDir = join(cwd, 'project');
mkdirSync(projectDir);
writeFileSync(join(projectDir, '.aitoolrc.yaml'), projectPolicy);
utimesSync(join(projectDir, '.aitoolrc.yaml'), backdated, backdated);

// Git repositories alike but for aitool's hooks, installed the way users
// install them; each run is one `git commit` (empty, so only the hooks differ).
const gitIdentity = { GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@example.com' };
// Spares off (as under CI, on macOS, or with AITOOL_HOOK_SPARE=0) unless a case turns them on: without a runtime
// folder, hook template v6 keeps spares in the temporary folder, and the bench never uses the machine's own.
const gitEnv = { ...floorEnv, ...gitIdentity, AITOOL_HOOK_SPARE: '0' };
const { AITOOL_HOOK_SPARE: _off, CI: _ci, ...sparesOn } = gitEnv;
function makeRepo(name, installArgs) {
  const dir = join(cwd, name);
  mkdirSync(dir);
  const run = (command, args) => {
    const result = spawnSync(command, args, { cwd: dir, env: gitEnv, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
  };
  run('git', ['init', '-q']);
  writeFileSync(join(dir, '.aitoolrc.yaml'), projectPolicy);
  run('git', ['add', '.aitoolrc.yaml']);
  run('git', ['commit', '-q', '-m', 'start']);
  utimesSync(join(dir, '.aitoolrc.yaml'), backdated, backdated);
  if (installArgs) run(process.execPath, [bin, 'hook', 'install', ...installArgs]);
  return dir;
}
const plainRepo = makeRepo('repo-plain', undefined);
const preCommitRepo = makeRepo('repo-pre-commit', ['--pre-commit']);
const defaultHooksRepo = makeRepo('repo-default-hooks', []);
const commitArgs = ['commit', '-q', '--allow-empty', '-m', 'bench'];

// Spares: the default hooks with a runtime folder, as a desktop or SSH login
// has one, and without one (a container or devcontainer), where they wait in
// the temporary folder. Each commit is answered by the spare the one before
// started; the next case runs once the new spare is ready, so its start (in
// the background, between commits) is not timed into another case: it is
// measured on its own below.
const runtimeDir = join(cwd, 'runtime');
mkdirSync(runtimeDir, { mode: 0o700 });
const spareEnv = { ...sparesOn, XDG_RUNTIME_DIR: runtimeDir };
const spareRepo = makeRepo('repo-spare', []);
const tempDir = join(cwd, 'tmp');
mkdirSync(tempDir, { mode: 0o700 });
const tempSpareEnv = { ...sparesOn, TMPDIR: tempDir };
const tempSpareRepo = makeRepo('repo-spare-temp', []);
/** The ready spares' pids in the bench's runtime and temporary folders. */
function readySpares(where = [runtimeDir, tempDir]) {
  const pids = [];
  for (const root of where) {
    for (const folder of readdirSync(root).filter((name) => name.startsWith('aitool-'))) {
      for (const entry of readdirSync(join(root, folder))) {
        if (!/^s[0-9]+\.pid$/.test(entry)) continue;
        try {
          // `<pid> <fd>`: the spare and the descriptor it holds its FIFO open on.
          pids.push(Number(readFileSync(join(root, folder, entry), 'utf8').split(' ')[0]));
        } catch {}
      }
    }
  }
  return pids.filter((pid) => Number.isSafeInteger(pid) && pid > 0);
}
/**
 * CPU time (ms) and resident memory (MB) of the spares started, and how long after the commit each was ready. A
 * spare still works for a moment once it is ready (V8 finishing its collections on other threads: up to ~20 ms of
 * CPU in the next 50 ms, measured), so the next case waits until its CPU time has stopped growing; otherwise that
 * work would land in whichever case came next.
 */
const spareCosts = { cpuMs: [], rssMb: [], readyMs: [] };
const sleepMs = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
/** utime + stime of a process, in ms (clock ticks of 10 ms). */
function cpuMsOf(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
function waitForSpare(root) {
  const start = process.hrtime.bigint();
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [pid] = readySpares([root]);
    if (pid !== undefined) {
      spareCosts.readyMs.push(Number(process.hrtime.bigint() - start) / 1e6);
      try {
        // Idle: the same CPU time over three readings 30 ms apart (a tick is 10 ms), or a second at most.
        let last = cpuMsOf(pid);
        for (let same = 0, until = Date.now() + 1000; same < 2 && Date.now() < until; ) {
          sleepMs(30);
          const now = cpuMsOf(pid);
          same = now === last ? same + 1 : 0;
          last = now;
        }
        spareCosts.cpuMs.push(last);
        spareCosts.rssMb.push(Number(/^VmRSS:\s+([0-9]+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024);
      } catch {}
      return;
    }
    if (Date.now() > deadline) throw new Error('no spare became ready after a commit');
    sleepMs(2);
  }
}

/** Stops the spares the bench started (their pid files are in its own runtime folder). */
function stopSpares() {
  for (const pid of readySpares()) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {}
  }
}

// The built catalog (the same source, bundled the same way), for the naive
// script's lists: every executable name, process name and plain home path.
rmSync(benchBuild, { recursive: true, force: true });
await esbuild.build({ entryPoints: [join(src, 'catalog', 'index.ts')], bundle: true, format: 'esm', platform: 'node', outfile: join(benchBuild, 'catalog.mjs'), logLevel: 'warning' });
const { CATALOG } = await import(pathToFileURL(join(benchBuild, 'catalog.mjs')).href);
const forLinux = (signature) => !signature.os || signature.os.includes('linux');
const lists = {
  executables: CATALOG.flatMap((tool) => (tool.signatures.executables ?? []).filter(forLinux).map((e) => e.name)),
  processes: CATALOG.flatMap((tool) => tool.signatures.processes?.names ?? []),
  home: CATALOG.flatMap((tool) => (tool.signatures.home ?? []).filter(forLinux).map((h) => h.path).filter((p) => p.startsWith('~/') && !/[*{]/.test(p)).map((p) => p.slice(2))),
};
const listFiles = Object.entries(lists).map(([name, values]) => {
  const file = join(cwd, `naive-${name}.txt`);
  writeFileSync(file, `${[...new Set(values)].join('\n')}\n`);
  return file;
});

// The growth case's CLI: a bench-only bundle in which src/catalog/index.ts is
// replaced by the real catalog grown to 500 tools (test/bench/grown-catalog.mjs).
const GROWN_TOOLS = 500;
const realIndex = join(src, 'catalog', 'index.ts');
const grownCatalogPlugin = {
  name: 'grown-catalog',
  setup(build) {
    build.onResolve({ filter: /(^|\/)catalog\/index\.js$/ }, (args) => {
      const resolved = join(args.resolveDir, args.path).replace(/\.js$/, '.ts');
      return resolved === realIndex ? { path: realIndex, namespace: 'grown-catalog' } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'grown-catalog' }, () => ({
      resolveDir: dirname(realIndex),
      loader: 'js',
      contents: [
        `export * from ${JSON.stringify(realIndex)};`,
        `import { CATALOG as REAL } from ${JSON.stringify(realIndex)};`,
        // One JSON text, as the build ships the real entries (scripts/build.mjs, catalogAsJson); not made at start-up.
        `const SYNTHETIC = JSON.parse(${JSON.stringify(JSON.stringify(grownCatalog(CATALOG, GROWN_TOOLS).slice(CATALOG.length)))});`,
        'export const CATALOG = Object.freeze([...REAL, ...SYNTHETIC]);',
        'const BY_ID = new Map(CATALOG.map((tool) => [tool.id, tool]));',
        'export function findTool(id) { return BY_ID.get(id); }',
      ].join('\n'),
    }));
  },
};
const grownDir = join(benchBuild, 'grown');
await buildCli(grownDir, [grownCatalogPlugin]);
// Started as bin/aitool.js starts the real build (with its own code cache).
const grownBin = join(grownDir, 'aitool.cjs');
writeFileSync(grownBin, "require('./load.cjs').run(process.argv);\n");

// The standalone executable (issue 13), built as `npm run build:sea` builds it.
const seaExe = join(benchBuild, 'aitool-standalone');
if (!only) await buildSea({ outFile: seaExe });
// A repository whose hooks the standalone executable installed, as on a machine without Node: they run it, with
// spares off (as on macOS, where such machines are most common).
let standaloneRepo;
if (!only) {
  standaloneRepo = makeRepo('repo-standalone-hooks', undefined);
  const install = spawnSync(seaExe, ['hook', 'install'], { cwd: standaloneRepo, env: gitEnv, encoding: 'utf8' });
  if (install.status !== 0) throw new Error(`standalone hook install: ${install.stderr}`);
}

const cases = [
  { name: 'node -e 0', argv: ['-e', '0'] },
  { name: 'aitool --version', argv: [bin, '--version'] },
  { name: 'aitool check (text)', argv: [bin, 'check', '--no-color'] },
  { name: 'aitool check --format json', argv: [bin, 'check', '--format', 'json'] },
  { name: 'aitool check, project policy', argv: [bin, 'check', '--no-color'], cwd: projectDir },
  // The same with the policy parsed, as on a first run after an edit and on every CI run (no cache folder kept).
  { name: 'same, policy parsed (no cache)', argv: [bin, 'check', '--no-color'], cwd: projectDir, env: { ...floorEnv, AITOOL_NO_CACHE: '1' } },
  { name: 'heavy HOME: processes, path, traces', argv: [bin, 'check', '--format', 'json', '--policy', onlyIssue2], env: fixtureEnv },
  { name: 'heavy HOME: every scanner', argv: [bin, 'check', '--format', 'json', '--policy', everyScanner], env: fixtureEnv },
  { name: 'naive shell script', command: 'sh', argv: [join(here, 'naive-scan.sh'), ...listFiles] },
  { name: 'git commit, no hook', command: 'git', argv: commitArgs, env: gitEnv, cwd: plainRepo },
  // Each spare case after a hook that starts aitool: a case right after another spare's measured 2-3 ms slower,
  // whichever of the two came second.
  { name: 'git commit, default hooks', command: 'git', argv: commitArgs, env: gitEnv, cwd: defaultHooksRepo },
  { name: 'git commit, default hooks, spare', command: 'git', argv: commitArgs, env: spareEnv, cwd: spareRepo, after: () => waitForSpare(runtimeDir) },
  { name: 'git commit, pre-commit only', command: 'git', argv: commitArgs, env: gitEnv, cwd: preCommitRepo },
  { name: 'same, spare in the temp folder', command: 'git', argv: commitArgs, env: tempSpareEnv, cwd: tempSpareRepo, after: () => waitForSpare(tempDir) },
  ...(only ? [] : [
    { name: 'standalone: --version', command: seaExe, argv: ['--version'] },
    { name: 'standalone: check --format json', command: seaExe, argv: ['check', '--format', 'json'] },
    { name: 'standalone: git commit, hooks', command: 'git', argv: commitArgs, env: gitEnv, cwd: standaloneRepo },
  ]),
  // This machine's own environment (see STARTUP_VARIABLES): shown apart, no target.
  ...(machineSets.length === 0 ? [] : [
    { name: 'node -e 0', machine: true, argv: ['-e', '0'], env: machineEnv },
    { name: 'aitool check (text)', machine: true, argv: [bin, 'check', '--no-color'], env: machineEnv },
    { name: 'git commit, no hook', machine: true, command: 'git', argv: commitArgs, env: { ...machineEnv, ...gitIdentity, AITOOL_HOOK_SPARE: '0' }, cwd: plainRepo },
    { name: 'git commit, default hooks', machine: true, command: 'git', argv: commitArgs, env: { ...machineEnv, ...gitIdentity, AITOOL_HOOK_SPARE: '0' }, cwd: defaultHooksRepo },
  ].map((c) => ({ ...c, name: `${c.name} [machine env]` }))),
];
// Run while 2,000 extra processes exist, for the growth case.
const EXTRA_PROCESSES = 2000;
const growthCases = [
  { name: 'node -e 0 (2,000 more processes)', argv: ['-e', '0'] },
  { name: 'check json, 2,000 more processes', argv: [bin, 'check', '--format', 'json'] },
  { name: 'same, 500 tools (growth)', argv: [grownBin, 'check', '--format', 'json'] },
];

function timeOnce(c) {
  const start = process.hrtime.bigint();
  const result = spawnSync(c.command ?? process.execPath, c.argv, { cwd: c.cwd ?? cwd, env: c.env ?? floorEnv, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${c.argv.join(' ')} exited ${result.status}: ${result.stderr}`);
  c.after?.();
  return { ms, stdout: result.stdout };
}

/** Interleaved runs: samples per case, in run order (so halves can be compared). */
function measure(list, count) {
  for (let i = 0; i < warmups; i++) for (const c of list) timeOnce(c);
  const samples = new Map(list.map((c) => [c.name, []]));
  for (let i = 0; i < count; i++) for (const c of list) samples.get(c.name).push(timeOnce(c).ms);
  return samples;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
// A target's value from all runs, from the odd runs and from the even runs:
// how far the halves stray from the whole is the noise of this run.
const SUBSETS = { all: () => true, odd: (i) => i % 2 === 1, even: (i) => i % 2 === 0 };
const medianOf = (samples, name, subset) => median(samples.get(name).filter((_, i) => SUBSETS[subset](i)));

/** 2,000 sleeping processes in one process group of our own, ended by that group's id. */
async function withExtraProcesses(count, body) {
  const group = spawn('sh', ['-c', `i=0; while [ $i -lt ${count} ]; do sleep 3600 & i=$((i+1)); done; echo started; wait`], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  const end = () => {
    try {
      process.kill(-group.pid, 'SIGTERM');
    } catch {}
  };
  process.on('exit', end);
  try {
    await new Promise((resolve, reject) => {
      group.stdout.on('data', (data) => data.toString().includes('started') && resolve());
      group.on('error', reject);
      group.on('exit', () => reject(new Error('the extra processes ended early')));
    });
    return body();
  } finally {
    end();
    process.off('exit', end);
    await gone(group.pid);
  }
}

/**
 * Waits (up to 10 s) until no process of the group is left in /proc, so the
 * cases measured next do not list 2,000 exiting or unreaped processes.
 */
async function gone(pgid) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    let left = 0;
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        // Fields after the command name (which may hold spaces): state, ppid, pgrp.
        if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pgid) left++;
      } catch {}
    }
    if (left === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the extra processes of group ${pgid} did not go away`);
}

/** Peak resident memory (kB) of each case's Node process, measured in the process itself. */
function peakRss(list, count) {
  const preload = pathToFileURL(join(here, 'peak-rss.mjs')).href;
  const samples = new Map(list.map((c) => [c.name, []]));
  for (let i = 0; i < count; i++) {
    for (const c of list) {
      const result = spawnSync(process.execPath, ['--import', preload, ...c.argv], { cwd, env: floorEnv, stdio: ['ignore', 'ignore', 'pipe', 'pipe'], encoding: 'utf8' });
      if (result.status !== 0 && result.status !== 1) throw new Error(`${c.name} exited ${result.status}: ${result.stderr}`);
      samples.get(c.name).push(Number(result.output[3]) / 1024);
    }
  }
  return samples;
}

try {
  const main = only ? undefined : measure(cases, runs);
  const growthRuns = only ? runs : Math.max(10, Math.round(runs / 2));
  const growth = await withExtraProcesses(EXTRA_PROCESSES, () => {
    // The grown catalog must find what the real one finds: its tools match nothing.
    const findings = (c) => JSON.parse(timeOnce(c).stdout).findings.length;
    const [real, grown] = [findings(growthCases[1]), findings(growthCases[2])];
    if (real !== grown) throw new Error(`the grown catalog found ${grown} findings, the real one ${real}`);
    return measure(growthCases, growthRuns);
  });
  const rssCases = cases.filter((c) => c.name === 'node -e 0' || c.name === 'aitool check --format json');
  const rss = only ? undefined : peakRss(rssCases, 9);

  console.log(`aitool bench: ${only ? 'growth case only' : `${runs} runs each`}, interleaved (growth: ${growthRuns}${only ? '' : ', peak memory: 9'}); node ${process.version}, ${process.platform}/${process.arch}`);
  console.log(`${'case'.padEnd(36)} ${'median'.padStart(9)} ${'min'.padStart(9)} ${'max'.padStart(9)}  vs node -e 0`);
  const printCases = (samples, baselineName) => {
    const baseline = median(samples.get(baselineName));
    for (const [name, values] of samples) {
      const m = median(values);
      console.log(`${name.padEnd(36)} ${m.toFixed(1).padStart(7)}ms ${Math.min(...values).toFixed(1).padStart(7)}ms ${Math.max(...values).toFixed(1).padStart(7)}ms  ${(m / baseline).toFixed(2)}x`);
    }
  };
  const floorSamples = main && new Map([...main].filter(([name]) => !name.endsWith('[machine env]')));
  if (floorSamples) printCases(floorSamples, 'node -e 0');
  printCases(growth, 'node -e 0 (2,000 more processes)');
  for (const [name, values] of rss ?? []) console.log(`peak RSS, ${name.padEnd(26)} ${median(values).toFixed(1).padStart(7)} MB`);

  const m = (name, subset) => medianOf(main, name, subset);
  const g = (name, subset) => medianOf(growth, name, subset);
  const r = (name, subset) => medianOf(rss, name, subset);
  const ratio = (name, subset) => m(name, subset) / m('node -e 0', subset);
  const targets = [
    { name: 'aitool check / node -e 0', limit: 1.5, value: (s) => ratio('aitool check (text)', s) },
    { name: 'check, project policy / node -e 0', limit: 1.6, value: (s) => ratio('aitool check, project policy', s) },
    { name: 'heavy HOME every scanner / 3 scanners', limit: 1.5, value: (s) => m('heavy HOME: every scanner', s) / m('heavy HOME: processes, path, traces', s) },
    { name: 'naive script / aitool check', atLeast: true, limit: 3, value: (s) => m('naive shell script', s) / m('aitool check (text)', s) },
    // The same check under the same 2,000 extra processes, interleaved: only the catalog differs.
    { name: 'growth: 500 tools / real catalog', limit: 1.15, growth: true, value: (s) => g('same, 500 tools (growth)', s) / g('check json, 2,000 more processes', s) },
    { name: 'default hooks: added time / node -e 0', limit: 1.3, value: (s) => (m('git commit, default hooks, spare', s) - m('git commit, no hook', s)) / m('node -e 0', s) },
    { name: 'same, no runtime folder: temp folder', limit: 1.3, value: (s) => (m('same, spare in the temp folder', s) - m('git commit, no hook', s)) / m('node -e 0', s) },
    { name: 'same, spares off (CI, macOS)', limit: 1.3, value: (s) => (m('git commit, default hooks', s) - m('git commit, no hook', s)) / m('node -e 0', s) },
    { name: 'peak RSS check / node -e 0', limit: 1.3, value: (s) => r('aitool check --format json', s) / r('node -e 0', s) },
  ];
  // Each side against its own node -e 0: the growth runs happen after the others.
  const withProcesses = main
    ? `2,000 more processes ${(g('check json, 2,000 more processes', 'all') / g('node -e 0 (2,000 more processes)', 'all') / ratio('aitool check --format json', 'all')).toFixed(2)}x the check; then `
    : '';
  const withTools = g('same, 500 tools (growth)', 'all') / g('check json, 2,000 more processes', 'all');
  console.log(`growth, taken apart: ${withProcesses}${GROWN_TOOLS} tools instead of ${CATALOG.length} ${withTools.toFixed(2)}x that`);
  if (main) {
    const spareAdded = m('git commit, default hooks, spare', 'all') - m('git commit, no hook', 'all');
    const tempAdded = m('same, spare in the temp folder', 'all') - m('git commit, no hook', 'all');
    console.log(
      `spares: a commit answered by one adds ${spareAdded.toFixed(1)} ms (${tempAdded.toFixed(1)} ms from the temp folder); each spare, started in the background after a commit, is ready ${median(spareCosts.readyMs).toFixed(0)} ms after it (median of ${spareCosts.readyMs.length}), has used ${median(spareCosts.cpuMs).toFixed(0)} ms of CPU once idle, and waits holding ${median(spareCosts.rssMb).toFixed(1)} MB resident`,
    );
    const standaloneAdded = m('standalone: git commit, hooks', 'all') - m('git commit, no hook', 'all');
    const npmAdded = m('git commit, default hooks', 'all') - m('git commit, no hook', 'all');
    console.log(`hooks with spares off: the standalone executable's add ${standaloneAdded.toFixed(1)} ms to a commit (${(standaloneAdded / m('node -e 0', 'all')).toFixed(2)}x node -e 0), the npm build's ${npmAdded.toFixed(1)} ms`);
  }
  console.log('');
  console.log(`${'target'.padEnd(42)} ${'limit'.padStart(7)} ${'value'.padStart(6)} ${'noise'.padStart(6)}  result`);
  let missed = 0;
  for (const t of targets.filter((target) => !only || target.growth)) {
    const value = t.value('all');
    const noise = Math.max(Math.abs(t.value('odd') - value), Math.abs(t.value('even') - value));
    const met = t.atLeast ? value >= t.limit : value <= t.limit;
    const beyondNoise = t.atLeast ? value + noise < t.limit : value - noise > t.limit;
    if (!met && beyondNoise) missed++;
    const result = met ? 'met' : beyondNoise ? 'MISSED' : 'missed within noise';
    console.log(`${t.name.padEnd(42)} ${`${t.atLeast ? '>=' : '<='}${t.limit}x`.padStart(7)} ${value.toFixed(2).padStart(5)}x ${`±${noise.toFixed(2)}`.padStart(6)}  ${result}`);
  }

  // The same with this machine's environment: what its users see, against its own node -e 0.
  if (main && machineSets.length > 0) {
    const mm = (name) => median(main.get(`${name} [machine env]`));
    const floor = mm('node -e 0');
    console.log('');
    console.log(`this machine's environment sets ${machineSets.join(', ')}; every case above ran without ${machineSets.length > 1 ? 'them' : 'it'}. With ${machineSets.length > 1 ? 'them' : 'it'}:`);
    console.log(`  node -e 0 ${floor.toFixed(1)} ms (${(floor - m('node -e 0', 'all')).toFixed(1)} ms more than without); aitool check ${mm('aitool check (text)').toFixed(1)} ms, ${(mm('aitool check (text)') / floor).toFixed(2)}x that node -e 0`);
    const added = mm('git commit, default hooks') - mm('git commit, no hook');
    console.log(`  default hooks add ${added.toFixed(1)} ms to a commit, ${(added / floor).toFixed(2)}x that node -e 0 (the hook starts aitool without NODE_EXTRA_CA_CERTS)`);
  }

  // Watch mode: one process, 1,000 cycles back to back over this machine's processes plus 300
  // long-running ones, with 50 a second starting and ending throughout.
  if (!only) {
    const watch = spawnSync(process.execPath, ['--expose-gc', join(root, 'dist', 'watch-measure.cjs'), '--cycles', '1000', '--extra', '300', '--churn', '50'], {
      cwd,
      env: floorEnv,
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    if (watch.status !== 0) throw new Error(`watch measure exited ${watch.status}: ${watch.stderr}`);
    const w = JSON.parse(watch.stdout);
    const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    console.log('');
    console.log(
      `watch cycle over ~${w.processes.last} processes (300 extra, 50/s churning): median ${w.cycleMs.median.toFixed(1)} ms, p95 ${w.cycleMs.p95.toFixed(1)} ms; first cycle ${w.firstCycleMs.toFixed(0)} ms`,
    );
    const at = (n) => w.memoryEvery100.find((entry) => entry.cycle === n);
    console.log(
      `watch memory, RSS (heap used) after cycle 100 / 500 / 1,000: ${[100, 500, 1000].map((n) => `${mb(at(n).rss)} (${mb(at(n).heapUsed)})`).join(' / ')}`,
    );
  }
  // The fleet summary (issue 14): 10,000 reports through `aitool report`, at most 10 s.
  if (!only) {
    console.log('');
    const fleet = spawnSync(process.execPath, [join(here, 'fleet-report.mjs')], { env: floorEnv, stdio: ['ignore', 'inherit', 'inherit'] });
    if (fleet.status !== 0) missed++;
  }
  if (missed > 0) {
    console.log(`${missed} target(s) missed by more than this run's noise`);
    process.exitCode = 1;
  }
} finally {
  stopSpares();
  rmSync(cwd, { recursive: true, force: true });
  rmSync(benchBuild, { recursive: true, force: true });
}
