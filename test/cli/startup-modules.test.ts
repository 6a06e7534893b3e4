// What Node loads for `aitool check` and the commit hook, read from the
// built CLI run as users run it, through a preload (NODE_OPTIONS=--require,
// which also reaches the node a git hook starts) that writes
// process.moduleLoadList when the process exits.
//
// node:fs/promises pulls in readline's internals and the stream modules
// (~1.2 ms), and every call through it is a trip through the thread pool;
// process.stdout on a pipe or terminal loads net, stream and tty (~2.5 ms).
// The check and the hook read small files synchronously and write their
// report to the descriptor, so neither may appear.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, initRepo, json, makeWorld, runCli, type World } from './run-cli.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Never on these paths, whatever loads the CLI: the public modules only a program's own import brings in. */
const NEVER = ['NativeModule fs/promises', 'NativeModule readline', 'NativeModule readline/promises'];
/**
 * The internals node:fs/promises brings in. Node's ESM loader reads modules
 * through them itself, so they count only when a bare module of the kind
 * bin/aitool.js is (same package type, same extension) does without them.
 */
const NOT_OURS = ['NativeModule internal/fs/promises', 'NativeModule internal/readline/interface'];

let world: World;
let listings: string;
let preload: string;

beforeEach(() => {
  world = makeWorld();
  listings = join(world.root, 'modules');
  mkdirSync(listings);
  preload = world.write(
    'preload.cjs',
    `const { writeFileSync } = require('node:fs');
process.on('exit', () => writeFileSync(${JSON.stringify(listings)} + '/modules-' + process.pid + '.txt', process.moduleLoadList.join('\\n') + '\\n'));
`,
  );
});
afterEach(() => world.cleanup());

const nodeOptions = (): Record<string, string> => ({ NODE_OPTIONS: `--require ${preload}` });

/** The module lists written since the last call, one per Node process. */
function takeListings(): string[][] {
  const files = readdirSync(listings);
  const lists = files.map((file) => readFileSync(join(listings, file), 'utf8').split('\n').filter(Boolean));
  for (const file of files) execFileSync('rm', [join(listings, file)]);
  return lists;
}

/** What Node itself loads to run an empty module of bin/aitool.js's kind. */
function loaderBaseline(): string[] {
  const folder = join(world.root, 'baseline');
  mkdirSync(folder);
  const type = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { type?: string }).type;
  writeFileSync(join(folder, 'package.json'), JSON.stringify(type ? { type } : {}));
  const entry = join(folder, `entry${extname(BIN) || '.js'}`);
  writeFileSync(entry, '');
  execFileSync(process.execPath, [entry], { env: { ...world.env, ...nodeOptions() } });
  const [list] = takeListings();
  expect(list, 'the preload wrote the baseline listing').toBeDefined();
  return list!;
}

function expectLean(list: string[], baseline: readonly string[], what: string): void {
  // The listing is a real one, taken at exit: fs itself is always there.
  expect(list, what).toContain('NativeModule fs');
  for (const name of NEVER) expect(list, `${what} loads ${name}`).not.toContain(name);
  for (const name of NOT_OURS) {
    if (!baseline.includes(name)) expect(list, `${what} loads ${name}`).not.toContain(name);
  }
}

/**
 * One `git commit` of a staged file in a new repository, through what
 * `aitool hook install` writes by default (one commit-msg hook running
 * `hook run commit --git-stdin`, its script asking git while Node starts),
 * or, with `direct`, a hook line that runs `hook run commit` alone (as the
 * husky and lefthook lines do: aitool asks git itself), with `env` added to
 * the commit's environment.
 */
function commitThroughHook(env: Record<string, string>, direct = false): ReturnType<typeof initRepo> {
  const git = initRepo(world);
  world.write('repo/README.md', 'hello\n');
  git('add', 'README.md');
  if (direct) {
    const hook = join(world.cwd, '.git', 'hooks', 'commit-msg');
    mkdirSync(dirname(hook), { recursive: true });
    writeFileSync(hook, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" hook run commit "$@"\n`);
    chmodSync(hook, 0o755);
  } else {
    execFileSync(process.execPath, [BIN, 'hook', 'install'], { cwd: world.cwd, env: world.env });
    expect(readFileSync(join(world.cwd, '.git', 'hooks', 'commit-msg'), 'utf8')).toContain('hook run commit --git-stdin "$@"');
  }
  const commit = spawnSync('git', ['commit', '-q', '-m', 'first'], {
    cwd: world.cwd,
    env: { ...world.env, GIT_CONFIG_NOSYSTEM: '1', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(commit.status, commit.stderr).toBe(0);
  return git;
}

describe('start-up modules', () => {
  it('`check --format json` loads no fs/promises or readline, and writes its report without building process.stdout', async () => {
    const baseline = loaderBaseline();
    // Once before: on a machine with a managed policy (/etc/aitool), the first check writes its policy cache entry.
    await runCli(['check', '--format', 'json'], world);
    const result = await runCli(['check', '--format', 'json'], world, nodeOptions());
    expect(result.exitCode, result.stderr).toBeLessThan(2);
    expect(json(result).schemaVersion).toBe(1);
    const lists = takeListings();
    expect(lists).toHaveLength(1);
    const list = lists[0]!;
    expectLean(list, baseline, 'check --format json');
    // stdout is a pipe here: process.stdout would have loaded net (and tty to ask what it is).
    expect(list).not.toContain('NativeModule net');
    expect(list).not.toContain('NativeModule tty');
    // No policy file here: nothing is hashed for the policy cache.
    expect(list).not.toContain('NativeModule crypto');
    // V8's flags are set through the binding, without node:v8 and the stream modules it brings.
    expect(list).not.toContain('NativeModule v8');
    expect(list).not.toContain('NativeModule stream');
  });

  it('sets V8\'s flags without a deprecation warning, whether Node is told to trace, throw or silence them', async () => {
    // At exit: how process.noDeprecation was left (the loader sets it for one call, and puts back what was there).
    const probe = world.write(
      'no-deprecation-probe.cjs',
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(join(world.root, 'no-deprecation.json'))}, JSON.stringify(Object.getOwnPropertyDescriptor(process, 'noDeprecation') ?? null)));\n`,
    );
    const left = (): unknown => JSON.parse(readFileSync(join(world.root, 'no-deprecation.json'), 'utf8'));
    for (const options of ['', '--trace-deprecation --pending-deprecation', '--throw-deprecation', '--no-deprecation', '--no-deprecation --throw-deprecation']) {
      const result = await runCli(['check', '--format', 'json'], world, { NODE_OPTIONS: `${options} --require ${probe}` });
      expect([result.exitCode < 2, result.stderr], options).toEqual([true, '']);
      expect(json(result).schemaVersion).toBe(1);
      // --no-deprecation makes it Node's own read-only true; otherwise there is none, as before aitool ran.
      expect(left(), options).toEqual(options.includes('--no-deprecation') ? { value: true, writable: false, enumerable: true, configurable: true } : null);
    }
    // The commit hook too (a failure here would refuse every commit).
    const hook = spawnSync(process.execPath, [BIN, 'hook', 'run', 'pre-commit'], { cwd: world.cwd, env: { ...world.env, NODE_OPTIONS: '--no-deprecation' }, encoding: 'utf8', timeout: 30_000 });
    expect([hook.status, hook.stderr]).toEqual([0, '']);
  });

  it('the commit hook (`hook run commit`, as `git commit` runs it) loads no fs/promises or readline, and no child_process: its script asked git', () => {
    const baseline = loaderBaseline();
    const git = commitThroughHook(nodeOptions());
    expect(git('log', '-1', '--format=%s').trim()).toBe('first');
    const lists = takeListings();
    expect(lists, 'one Node process: the hook').toHaveLength(1);
    const list = lists[0]!;
    // The listing is the hook's whole run: aitool started no git of its own.
    expect(list).not.toContain('NativeModule child_process');
    expectLean(list, baseline, 'hook run commit');
  });

  it('a hook line without --git-stdin (husky, lefthook): aitool asks git itself', () => {
    commitThroughHook(nodeOptions(), true);
    const lists = takeListings();
    expect(lists, 'one Node process: the hook').toHaveLength(1);
    expect(lists[0]).toContain('NativeModule child_process');
  });

  it('a text report on a terminal is coloured as before (colour is decided without process.stdout)', () => {
    world.write('home/.claude/settings.json', '{}\n');
    const run = (viaTerminal: boolean): string => {
      const command = `"${process.execPath}" "${BIN}" check`;
      const result = viaTerminal
        ? spawnSync('script', ['-qec', command, '/dev/null'], { cwd: world.cwd, env: { ...world.env, TERM: 'xterm' }, encoding: 'utf8', timeout: 30_000 })
        : spawnSync(process.execPath, [BIN, 'check'], { cwd: world.cwd, env: { ...world.env, TERM: 'xterm' }, encoding: 'utf8', timeout: 30_000 });
      return result.stdout;
    };
    const terminal = run(true);
    expect(terminal).toContain('Claude Code');
    expect(terminal).toContain('\x1b[');
    const piped = run(false);
    expect(piped).toContain('Claude Code');
    expect(piped).not.toContain('\x1b[');
  });
});

/**
 * Node's built-ins carry a code cache made under V8's default flags; once
 * src/load.cts sets its flags, V8 rejects that cache and a built-in loaded
 * under them compiles from source (child_process: 4.5 ms instead of 1.2 ms).
 * The loader loads every built-in a chunk asks for with V8's defaults set
 * back for the moment (a call that turns the linear regular-expression engine
 * off). This preload records what loads while aitool's flags are set.
 */
function flagsPreload(): string {
  return world.write(
    'flags-preload.cjs',
    `const { writeFileSync } = require('node:fs');
// What the loader sets V8's flags with: the binding node:v8 wraps (reached as the loader reaches it). This uses up
// Node's one warning for it, so no test with this preload could see one: the deprecation test runs without it.
const quiet = process.noDeprecation;
process.noDeprecation = true;
const v8 = process.binding('v8');
process.noDeprecation = quiet;
const setFlags = v8.setFlagsFromString;
let ours = false;
let mark = -1;
const late = [];
v8.setFlagsFromString = function (flags) {
  if (ours) late.push(...process.moduleLoadList.slice(mark));
  ours = !flags.includes('--no-enable-experimental-regexp-engine');
  mark = process.moduleLoadList.length;
  return setFlags.call(this, flags);
};
process.on('exit', () => {
  if (ours) late.push(...process.moduleLoadList.slice(mark));
  writeFileSync(${JSON.stringify(listings)} + '/modules-' + process.pid + '.txt', (mark < 0 ? ['no flags set'] : late).join('\\n') + '\\n');
});
`,
  );
}

describe('built-in modules and the V8 flags', () => {
  const afterFlags = (): string[] => {
    const lists = takeListings();
    expect(lists).toHaveLength(1);
    expect(lists[0], 'the flags were set').not.toContain('no flags set');
    return lists[0]!.filter((line) => line.startsWith('NativeModule '));
  };

  it('the installed commit hook (--git-stdin) loads no built-in under aitool\'s flags', () => {
    commitThroughHook({ NODE_OPTIONS: `--require ${flagsPreload()}` });
    expect(afterFlags()).toEqual([]);
  });

  it('so does a hook line without --git-stdin, child_process among them', () => {
    commitThroughHook({ NODE_OPTIONS: `--require ${flagsPreload()}` }, true);
    expect(afterFlags()).toEqual([]);
  });

  it('nor do a text check inside a repository (child_process, tty) and a JSON check outside one', async () => {
    initRepo(world);
    const inRepo = await runCli(['check'], world, { NODE_OPTIONS: `--require ${flagsPreload()}` });
    expect(inRepo.exitCode, inRepo.stderr).toBeLessThan(2);
    expect(afterFlags()).toEqual([]);
    const outside = join(world.root, 'elsewhere');
    mkdirSync(outside);
    const json = await runCli(['check', '--format', 'json'], { ...world, cwd: outside }, { NODE_OPTIONS: `--require ${flagsPreload()}` });
    expect(json.exitCode, json.stderr).toBeLessThan(2);
    expect(afterFlags()).toEqual([]);
  });

  it("a check that parses its project policy loads cosmiconfig's fs/promises and crypto with V8's own flags, not under aitool's", async () => {
    world.write('repo/.aitoolrc.yaml', 'extends: aitool:recommended\ntools:\n  claude-code:\n    action: block\n    alternatives: [qoder]\n');
    const preload = flagsPreload();
    const parsed = await runCli(['check', '--format', 'json'], world, { AITOOL_NO_CACHE: '1', NODE_OPTIONS: `--require ${preload}` });
    expect(parsed.exitCode, parsed.stderr).toBe(0);
    expect((json(parsed).policy as { files: Array<{ file: string }> }).files.map((entry) => entry.file)).toEqual(['aitool:recommended', join(world.cwd, '.aitoolrc.yaml')]);
    expect(afterFlags()).toEqual([]);
    // They did load, in this process: the policy was parsed.
    const modules = join(world.root, 'all-modules.cjs');
    writeFileSync(modules, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(listings)} + '/all-' + process.pid + '.txt', process.moduleLoadList.join('\\n')));\n`);
    await runCli(['check', '--format', 'json'], world, { AITOOL_NO_CACHE: '1', NODE_OPTIONS: `--require ${modules}` });
    expect(takeListings()[0]).toEqual(expect.arrayContaining(['NativeModule fs/promises', 'NativeModule crypto']));
  });

  it("a check that writes its policy cache entry (the first run after an edit) loads node:crypto with V8's own flags too", async () => {
    // A managed policy alone, as on a managed machine: read without cosmiconfig, which would have brought crypto first.
    world.write('managed/policy.yaml', 'tools:\n  claude-code:\n    action: block\n');
    // The cache trusts no file changed in the last two seconds, its ctime included (which cannot be dated back).
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const cache = join(world.home, '.cache', 'aitool');
    const result = await runCli(['check', '--format', 'json'], world, { NODE_OPTIONS: `--require ${flagsPreload()}` });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(readdirSync(cache).filter((name) => /^policy-[0-9a-f]+\.json$/.test(name)), 'an entry was written').toHaveLength(1);
    expect(afterFlags()).toEqual([]);
    // crypto did load in that process (for the entry's temp name), and cosmiconfig did not bring it.
    const modules = join(world.root, 'all-modules.cjs');
    writeFileSync(modules, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(listings)} + '/all-' + process.pid + '.txt', process.moduleLoadList.join('\\n')));\n`);
    rmSync(cache, { recursive: true });
    await runCli(['check', '--format', 'json'], world, { NODE_OPTIONS: `--require ${modules}` });
    const list = takeListings()[0]!;
    expect(list).toContain('NativeModule crypto');
    expect(list).not.toContain('NativeModule fs/promises');
  });

  it("V8's tag for cached data is Node's own each time the loader sets V8's defaults back: Node's code cache is taken there", async () => {
    const tags = join(world.root, 'tags.json');
    const preload = world.write(
      'tags-preload.cjs',
      `const quiet = process.noDeprecation;
process.noDeprecation = true;
const v8 = process.binding('v8');
process.noDeprecation = quiet;
const setFlags = v8.setFlagsFromString;
const seen = { start: v8.cachedDataVersionTag(), windows: [], ours: [] };
v8.setFlagsFromString = function (flags) {
  const result = setFlags.call(this, flags);
  (flags.includes('--no-enable-experimental-regexp-engine') ? seen.windows : seen.ours).push(v8.cachedDataVersionTag());
  return result;
};
process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(tags)}, JSON.stringify(seen)));
`,
    );
    initRepo(world);
    const result = await runCli(['check'], world, { NODE_OPTIONS: `--require ${preload}` });
    expect(result.exitCode, result.stderr).toBeLessThan(2);
    const seen = JSON.parse(readFileSync(tags, 'utf8')) as { start: number; windows: number[]; ours: number[] };
    // A text check in a repository loads child_process and tty late: at least those two windows.
    expect(seen.windows.length).toBeGreaterThanOrEqual(2);
    expect(new Set(seen.windows)).toEqual(new Set([seen.start]));
    // ... and aitool's own flags make another tag (its code cache's), the same every time.
    expect(new Set(seen.ours).size).toBe(1);
    expect(seen.ours[0]).not.toBe(seen.start);
  });
});

describe('writing the report to a non-blocking pipe', () => {
  it('falls back to the stream on EAGAIN: every byte arrives, in order', async () => {
    // The writer is src/stdio.ts itself, bundled for a child Node process.
    const { buildSync } = await import('esbuild');
    const bundle = join(world.root, 'stdio.mjs');
    buildSync({ entryPoints: [join(REPO, 'src', 'stdio.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'silent' });
    const child = world.write(
      'writer.mjs',
      `import { readFileSync } from 'node:fs';
import { writeStdio } from ${JSON.stringify(`./${basename(bundle)}`)};
// Building the stream makes libuv set O_NONBLOCK on the pipe, as a Node parent sharing it would.
process.stdout;
const flags = /flags:\\s+(\\d+)/.exec(readFileSync('/proc/self/fdinfo/1', 'utf8'))[1];
process.stderr.write('nonblocking=' + ((parseInt(flags, 8) & 0o4000) !== 0) + '\\n');
let text = '';
for (let i = 0; i < 40000; i++) text += 'line ' + i + '\\n';
writeStdio('stdout', text);
writeStdio('stdout', 'after\\n');
`,
    );
    // The reader waits before reading: the 400 KB cannot fit the pipe, so the direct write meets EAGAIN.
    const result = spawnSync('sh', ['-c', `"${process.execPath}" "${child}" | (sleep 1; cat)`], { cwd: world.root, encoding: 'utf8', timeout: 30_000, maxBuffer: 16 * 1024 * 1024 });
    expect(result.stderr).toContain('nonblocking=true');
    let expected = '';
    for (let i = 0; i < 40000; i++) expected += `line ${i}\n`;
    expect(result.stdout === `${expected}after\n`, `got ${result.stdout.length} bytes`).toBe(true);
    expect(result.status).toBe(0);
  });

  it('the CLI, which ends at once after a check, still delivers a report the stream had to take over', () => {
    // 1,500 MCP servers: a JSON report of ~580 KB, far more than a pipe holds.
    const servers: Record<string, unknown> = {};
    for (let i = 0; i < 1500; i++) servers[`server-${i}`] = { command: 'npx', args: ['-y', `some-mcp-server-${i}`] };
    world.write('home/.claude.json', JSON.stringify({ mcpServers: servers }));
    // As a Node parent sharing the pipe would: the stream built first leaves the descriptor non-blocking.
    const preload = world.write('nonblocking.cjs', 'process.stdout;\n');
    const env = { ...world.env, AITOOL_NO_CACHE: '1' };
    const whole = spawnSync(process.execPath, [BIN, 'check', '--format', 'json'], { cwd: world.cwd, env, encoding: 'utf8', timeout: 30_000, maxBuffer: 64 * 1024 * 1024 });
    expect(whole.stdout.length).toBeGreaterThan(256 * 1024);
    // The reader waits before reading, so the direct write meets EAGAIN and the stream holds the rest when main() resolves.
    const slow = spawnSync('sh', ['-c', `"${process.execPath}" -r "${preload}" "${BIN}" check --format json | (sleep 1; cat)`], {
      cwd: world.cwd,
      env,
      encoding: 'utf8',
      timeout: 30_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(slow.status, slow.stderr).toBe(0);
    const report = JSON.parse(slow.stdout) as { findings: unknown[] };
    expect(report.findings.length).toBe((JSON.parse(whole.stdout) as { findings: unknown[] }).findings.length);
    expect(slow.stdout.length).toBe(whole.stdout.length);
  });
});
