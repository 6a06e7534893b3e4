// The CLI as built: CommonJS chunks (dist/*.cjs) loaded with their V8 code cache, run
// through bin/aitool.js, and as the npm package ships it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, json, makeWorld, runCli, type World } from './run-cli.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

let world: World;
afterEach(() => world?.cleanup());

// A fault in the report writer, injected from a preload: aitool's own code
// fails, not the user's input, so it is an internal error.
const INJECT_FAULT = `
const stringify = JSON.stringify;
JSON.stringify = function (value, ...rest) {
  if (value !== null && typeof value === 'object' && 'schemaVersion' in value) throw new Error('injected fault');
  return stringify.call(this, value, ...rest);
};
`;

describe('an internal error in the bundle', () => {
  it('with --debug, its stack names the src/ files and lines (through the source maps)', async () => {
    world = makeWorld();
    const preload = world.write('inject-fault.mjs', INJECT_FAULT);
    const result = await runCli(['check', '--format', 'json', '--debug'], world, {}, { nodeArgs: ['--import', preload] });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^aitool: internal error: injected fault\n/);
    expect(result.stderr).toMatch(/\/src\/report\/json\.ts:\d+:\d+/);
    expect(result.stderr).toMatch(/\/src\/cli\.ts:\d+:\d+/);
    expect(result.stderr).not.toMatch(/\/dist\//);
  });

  it('thrown outside the command (a timer, a callback): one line and exit 2, not Node\'s exit 1 with the source line', async () => {
    world = makeWorld();
    // Fires during the check, outside its promise chain, as a package's deferred work would.
    const preload = world.write('late-fault.mjs', "setTimeout(() => { throw new Error('late fault\\nsecond line'); }, 0);\n");
    const result = await runCli(['check', '--format', 'json'], world, {}, { nodeArgs: ['--import', preload] });
    expect([result.exitCode, result.stdout, result.stderr]).toEqual([2, '', 'aitool: internal error: late fault\\x0asecond line (run with --debug for details)']);
    const rejected = world.write('late-rejection.mjs', "setTimeout(() => { void Promise.reject(new Error('late rejection')); }, 0);\n");
    const again = await runCli(['check', '--format', 'json'], world, {}, { nodeArgs: ['--import', rejected] });
    expect([again.exitCode, again.stderr]).toEqual([2, 'aitool: internal error: late rejection (run with --debug for details)']);
  });

  it('without --debug, stays one line', async () => {
    world = makeWorld();
    const preload = world.write('inject-fault.mjs', INJECT_FAULT);
    const result = await runCli(['check', '--format', 'json'], world, {}, { nodeArgs: ['--import', preload] });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('aitool: internal error: injected fault (run with --debug for details)');
  });
});

/**
 * Runs `check --format json` in a child Node through `<dist>/load.cjs` as
 * bin/aitool.js does, and prints the report followed by the loader's code
 * cache counts on the last line.
 */
function checkThroughLoader(dist: string, w: World, nodeArgs: string[] = [], checkArgs: string[] = []) {
  const script = `
    const loader = require(${JSON.stringify(join(dist, 'load.cjs'))});
    loader.start([]);
    loader.requireChunk('./cli.cjs').main(['node', 'aitool', 'check', '--format', 'json', ...${JSON.stringify(checkArgs)}]).then((code) => {
      process.stdout.write('\\n' + JSON.stringify({ code, stats: loader.codeCacheStats() }) + '\\n');
    });`;
  const out = execFileSync(process.execPath, [...nodeArgs, '-e', script], { cwd: w.cwd, env: w.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = out.trimEnd().split('\n');
  const last = JSON.parse(lines.pop()!) as { code: number; stats: { accepted: number; rejected: number; missing: number } };
  const report = JSON.parse(lines.join('\n')) as { findings: unknown[] };
  return { ...last, findings: report.findings };
}

/** Where each chunk's source and cached data sit in the code cache file. */
function packedChunks(file: Buffer) {
  const headerEnd = file.indexOf(10);
  const header = JSON.parse(file.subarray(0, headerEnd).toString('latin1')) as { chunks: Array<[string, number, number]> };
  let offset = headerEnd + 1;
  return header.chunks.map(([name, sourceLength, dataLength]) => {
    const source = { start: offset, end: offset + sourceLength };
    const data = { start: source.end, end: source.end + dataLength };
    offset = data.end;
    return { name, source, data };
  });
}

/** A copy of the built package in the world, its dist/ folder returned (the chunks find package.json and policies/ beside it). */
function packageCopy(w: World): string {
  const copy = join(w.root, 'package', 'dist');
  cpSync(join(ROOT, 'dist'), copy, { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(copy, '..', 'package.json'));
  cpSync(join(ROOT, 'policies'), join(copy, '..', 'policies'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(copy, '..', 'node_modules'));
  return copy;
}

describe('the code cache (dist/code-cache.bin, and dist/code-cache-policy.bin for parsing a policy file)', () => {
  const CACHE_FILES = ['code-cache.bin', 'code-cache-policy.bin'];

  it.each(CACHE_FILES)('%s holds each chunk exactly as its .cjs file has it, in the CommonJS wrapper', (cacheFile) => {
    const file = readFileSync(join(ROOT, 'dist', cacheFile));
    const chunks = packedChunks(file);
    expect(chunks.length).toBeGreaterThan(cacheFile === 'code-cache.bin' ? 10 : 2);
    const { CHUNK_WRAPPER: wrapper } = createRequire(import.meta.url)(join(ROOT, 'dist', 'load.cjs')) as { CHUNK_WRAPPER: { head: string; tail: string } };
    for (const { name, source, data } of chunks) {
      const wrapped = Buffer.concat([Buffer.from(wrapper.head), readFileSync(join(ROOT, 'dist', name)), Buffer.from(wrapper.tail)]);
      expect(file.subarray(source.start, source.end).equals(wrapped), name).toBe(true);
      expect(data.end).toBeGreaterThan(data.start);
    }
    expect(chunks.at(-1)!.data.end).toBe(file.length);
  });

  it('the first holds what a check and a hook load; the second only what parsing a policy file adds (yaml and cosmiconfig bundled as chunks)', () => {
    const names = CACHE_FILES.map((cacheFile) => packedChunks(readFileSync(join(ROOT, 'dist', cacheFile))).map((chunk) => chunk.name));
    expect(names[0]).toContain('cli.cjs');
    expect(names[1]).toEqual(expect.arrayContaining(['package-yaml.cjs', 'package-cosmiconfig.cjs']));
    expect(names[0]!.filter((name) => names[1]!.includes(name))).toEqual([]);
    expect(names[0]!.some((name) => name.startsWith('package-'))).toBe(false);
  });

  it.each(CACHE_FILES)('%s holds only ASCII sources, so each chunk is a one-byte string for V8 (half the memory of a two-byte one)', (cacheFile) => {
    const file = readFileSync(join(ROOT, 'dist', cacheFile));
    for (const { name, source } of packedChunks(file)) {
      const bytes = file.subarray(source.start, source.end);
      const offending = bytes.findIndex((byte) => byte > 0x7f);
      expect(offending, `${name}: ${bytes.subarray(Math.max(0, offending - 40), offending + 10).toString('utf8')}`).toBe(-1);
    }
  });

  it('V8 takes every chunk a check that parses a policy file loads from the caches, yaml and cosmiconfig included', () => {
    world = makeWorld();
    const plain = checkThroughLoader(join(ROOT, 'dist'), world);
    world.write('repo/.aitoolrc.yaml', 'extends: aitool:recommended\ntools:\n  claude-code:\n    action: block\n    alternatives: [qoder]\n');
    const { stats, code } = checkThroughLoader(join(ROOT, 'dist'), { ...world, env: { ...world.env, AITOOL_NO_CACHE: '1' } });
    expect(code).toBeLessThan(2);
    expect(stats).toMatchObject({ rejected: 0, missing: 0 });
    // More chunks than a check with no policy file: the parsing ones, from the second file.
    expect(stats.accepted).toBeGreaterThan(plain.stats.accepted);
  });

  it('V8 takes every chunk a check loads from the cache the build made', () => {
    world = makeWorld();
    const { stats, findings } = checkThroughLoader(join(ROOT, 'dist'), world);
    expect(stats.accepted).toBeGreaterThan(10);
    expect(stats).toMatchObject({ rejected: 0, missing: 0 });
    expect(Array.isArray(findings)).toBe(true);
  });

  it('watch and report keep V8\'s optimizing compilers, so they compile without the cache (made under the short commands\' flags)', () => {
    world = makeWorld();
    const loaderFile = join(ROOT, 'dist', 'load.cjs');
    const statsFor = (argv: string[]) =>
      JSON.parse(
        execFileSync(process.execPath, ['-e', `const l = require(${JSON.stringify(loaderFile)}); l.start(${JSON.stringify(argv)}); l.requireChunk('./cli.cjs'); process.stdout.write(JSON.stringify(l.codeCacheStats()));`], {
          cwd: world.cwd,
          env: world.env,
          encoding: 'utf8',
        }),
      ) as { accepted: number; rejected: number };
    for (const command of ['watch', 'report']) expect(statsFor(['node', 'aitool', command, '--help'])).toMatchObject({ accepted: 0 });
    for (const command of ['check', 'hook', 'policy']) expect(statsFor(['node', 'aitool', command])).toMatchObject({ rejected: 0 });
    expect(statsFor(['node', 'aitool', 'watch']).rejected).toBeGreaterThan(0);
  });

  it('a cache V8 rejects, one for another V8 or none at all only costs time: the report is the same', () => {
    world = makeWorld();
    const copy = packageCopy(world);
    // Both files: the check below parses a policy file, so it loads chunks from the second too.
    const cacheFiles = ['code-cache.bin', 'code-cache-policy.bin'].map((name) => join(copy, name));
    const originals = cacheFiles.map((file) => readFileSync(file));
    const damage = (how: (original: Buffer) => Buffer | string) => cacheFiles.forEach((file, i) => writeFileSync(file, how(originals[i]!)));
    // The reports compared are of this test's world alone: other tests' and
    // other sessions' processes come and go while it runs.
    const policy = world.write('no-processes.yaml', 'scanners:\n  processes: false\n');
    world.write('home/.claude/settings.json', '{}\n');
    world.write('repo/GEMINI.md', '# notes\n');
    const check = (nodeArgs: string[] = []) => checkThroughLoader(copy, world, nodeArgs, ['--policy', policy]);
    const reference = check();

    // Other V8 flags: V8 checks them itself and rejects every chunk's data.
    const rejected = check(['--no-lazy-feedback-allocation']);
    expect(reference.stats.accepted).toBeGreaterThan(10);
    expect(rejected.stats).toEqual({ accepted: 0, rejected: reference.stats.accepted, missing: reference.stats.missing });

    // Bytes flipped in the cached data: V8 verifies its checksum and rejects it (without that, Node crashed).
    damage((original) => {
      const flipped = Buffer.from(original);
      for (const { data } of packedChunks(original)) {
        for (let i = data.start + 64; i < data.end; i += 97) flipped[i] = flipped[i]! ^ 0xff;
      }
      return flipped;
    });
    const corrupt = check();
    expect(corrupt.stats.accepted).toBe(0);

    // Made by another V8: not even handed to V8.
    damage((original) => {
      const header = original.subarray(0, original.indexOf(10)).toString('latin1').replace(/"v8":"[^"]*"/, '"v8":"0.0.0"');
      return Buffer.concat([Buffer.from(header, 'latin1'), original.subarray(original.indexOf(10))]);
    });
    const otherV8 = check();
    expect(otherV8.stats).toMatchObject({ accepted: 0, rejected: 0 });

    damage(() => 'not a cache');
    const garbage = check();
    expect(garbage.stats).toMatchObject({ accepted: 0, rejected: 0 });

    expect(reference.findings.length).toBeGreaterThan(0);
    for (const run of [rejected, corrupt, otherV8, garbage]) {
      expect(run.code).toBe(reference.code);
      expect(run.findings).toEqual(reference.findings);
    }
  });
});

describe("the catalog's OS-only compile, as the build ships it", () => {
  it("is what a check on this OS uses: the host's, and no other OS's", () => {
    world = makeWorld();
    const copy = packageCopy(world);
    // The cached data holds the compiled Linux text, and V8 checks only a source's length: without it, the edit shows.
    rmSync(join(copy, 'code-cache.bin'));
    const [chunk] = readdirSync(copy).filter((name) => name.endsWith('.cjs') && readFileSync(join(copy, name), 'latin1').includes('{"os":"linux"'));
    const file = join(copy, chunk!);
    const source = readFileSync(file, 'latin1');
    // One OS's text: from its opening to the next OS's (the three are written in a row).
    const text = (os: string) => {
      const start = source.indexOf(`{"os":"${os}"`);
      const ends = ['linux', 'macos', 'windows'].map((other) => source.indexOf(`{"os":"${other}"`)).filter((at) => at > start);
      return { start, end: ends.length > 0 ? Math.min(...ends) : source.length };
    };
    // ~/.claude renamed in one OS's index keys and probes alike (same length): the check then looks for, and
    // recognises, ~/.claudX instead.
    const renamed = (os: string) => {
      const { start, end } = text(os);
      expect(start).toBeGreaterThan(0);
      const part = source.slice(start, end);
      expect(part.split('~/.claude"').length - 1).toBeGreaterThanOrEqual(2);
      return source.slice(0, start) + part.replaceAll('~/.claude"', '~/.claudX"') + source.slice(end);
    };
    world.write('home/.claudX/settings.json', '{}\n');
    const policy = world.write('no-processes.yaml', 'scanners:\n  processes: false\n');
    const traces = () =>
      (checkThroughLoader(copy, world, [], ['--policy', policy]).findings as Array<{ tool: string; evidence: { path?: string } }>)
        .filter((finding) => finding.evidence.path?.endsWith('/.claudX'))
        .map((finding) => finding.tool);
    expect(traces()).toEqual([]);
    writeFileSync(file, renamed('macos'), 'latin1');
    expect(traces()).toEqual([]);
    writeFileSync(file, renamed('linux'), 'latin1');
    expect(traces()).toEqual(['claude-code']);
  });
});

describe('the packed package (npm pack), unpacked elsewhere', () => {
  it('runs check, finds its presets, its version and installs hooks that run it', async () => {
    world = makeWorld();
    const packDir = join(world.root, 'pack');
    mkdirSync(packDir);
    // --ignore-scripts: the test runs after `npm run build`; prepare would build again.
    // A private npm cache (npm keeps its logs there too): nothing is written to the user's own.
    const env = { ...process.env, npm_config_cache: join(world.root, 'npm-cache'), npm_config_update_notifier: 'false' };
    execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', packDir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env });
    const [tarball] = readdirSync(packDir);
    execFileSync('tar', ['-xzf', join(packDir, tarball!), '-C', packDir]);
    const installed = join(packDir, 'package');
    // The dependencies an install would bring: this checkout's.
    symlinkSync(join(ROOT, 'node_modules'), join(installed, 'node_modules'));
    expect(readdirSync(installed).sort()).toEqual(['README.md', 'bin', 'dist', 'node_modules', 'package.json', 'policies']);
    const bin = join(installed, 'bin', 'aitool.js');
    expect(bin).not.toBe(BIN);
    const run = (args: string[]) => runCliWith(bin, args, world);

    const version = await run(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const check = await run(['check', '--format', 'json']);
    expect([0, 1]).toContain(check.exitCode);
    expect(json(check).schemaVersion).toBe(1);

    // A project policy extending a preset: the preset is read from the package's policies/.
    execFileSync('git', ['init', '-q'], { cwd: world.cwd });
    world.write('repo/.aitoolrc.yaml', 'extends: aitool:strict\n');
    const shown = await run(['policy', 'show']);
    expect(shown.exitCode, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('aitool:strict');

    const install = await run(['hook', 'install']);
    expect(install.exitCode, install.stderr).toBe(0);
    // The hook runs this very installation's bin/aitool.js.
    expect(readFileSync(join(world.cwd, '.git', 'hooks', 'commit-msg'), 'utf8')).toContain(bin);
    const gitEnv = { ...world.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@example.com' };
    world.write('repo/CLAUDE.md', '# notes\n');
    execFileSync('git', ['add', 'CLAUDE.md'], { cwd: world.cwd, env: gitEnv });
    // strict blocks Claude Code: the installed hook (the packed bin) refuses the commit.
    let refused = '';
    try {
      execFileSync('git', ['commit', '-q', '-m', 'add notes'], { cwd: world.cwd, env: gitEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      refused = String((error as { stderr?: Buffer }).stderr ?? '');
    }
    expect(refused).toMatch(/CLAUDE\.md/);
  });
});

async function runCliWith(bin: string, args: string[], w: World) {
  const { execa } = await import('execa');
  const result = await execa(process.execPath, [bin, ...args], { cwd: w.cwd, env: w.env, extendEnv: false, reject: false, stdin: 'ignore' });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

describe('the catalog as built (its entries shipped as one JSON text)', () => {
  it('every entry is plain JSON data, and the built CLI shows each exactly as the source has it', async () => {
    const { ENTRIES } = await import('../../src/catalog/entries.js');
    expect(JSON.parse(JSON.stringify(ENTRIES))).toStrictEqual(ENTRIES);
    // No entry's module is in the build: the JSON text stands for them.
    const maps = readdirSync(join(ROOT, 'dist')).filter((file) => file.endsWith('.cjs.map'));
    const sources = maps.flatMap((file) => (JSON.parse(readFileSync(join(ROOT, 'dist', file), 'utf8')) as { sources: string[] }).sources);
    expect(sources.filter((source) => source.includes('catalog/tools/'))).toEqual([]);
    world = makeWorld();
    const shown = await Promise.all(ENTRIES.map((entry) => runCli(['tools', entry.id, '--format', 'json'], world)));
    ENTRIES.forEach((entry, i) => {
      expect(shown[i]!.exitCode, shown[i]!.stderr).toBe(0);
      expect(json(shown[i]!)).toMatchObject(JSON.parse(JSON.stringify(entry)) as Record<string, unknown>);
    });
  });
});
