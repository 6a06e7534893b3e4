import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureHost, createHost, type RawProcess } from '../../src/host.js';
import { ancestorsOf, interpreterTarget, processesScanner } from '../../src/scanners/processes.js';
import type { ProcessObservation } from '../../src/types.js';
import { installNativeBinary, killSpawned, spawnLongRunning, spawnNativeBinary, waitFor } from '../helpers/processes.js';
import { makeSymlink, makeTempDir, makeTree, removeTempDirs, writeFile, writePackageJson } from '../helpers/temp.js';
import { runScanner } from '../helpers/scan.js';

afterEach(killSpawned);
afterAll(removeTempDirs);

async function observe(pid: number): Promise<ProcessObservation> {
  const { observations } = await runScanner<ProcessObservation>(processesScanner, createHost());
  const found = observations.find((observation) => observation.pid === pid);
  if (!found) throw new Error(`pid ${pid} not in the scan`);
  return found;
}

describe('processes scanner on this machine', () => {
  let tmp: string;
  let python: string;
  beforeAll(async () => {
    tmp = await makeTempDir();
    // The interpreter itself, not a pyenv or distro shim that would exec later.
    python = execFileSync('python3', ['-c', 'import os, sys; print(os.path.realpath(sys.executable))'], { encoding: 'utf8' }).trim();
  });

  it('shows a native binary inside an npm package with argv0 `claude`: exe, package and version', async () => {
    const packageDir = join(tmp, 'prefix/lib/node_modules/@anthropic-ai/claude-code');
    await writePackageJson(packageDir, { name: '@anthropic-ai/claude-code', version: '2.1.197' });
    const exe = await installNativeBinary(join(packageDir, 'bin/claude.exe'));
    const child = await spawnNativeBinary(exe, ['-p', 'run env'], { argv0: 'claude' });

    const seen = await observe(child.pid);
    expect(seen.exe).toBe(exe);
    expect(seen.argv).toEqual(['claude', '-c', 'sleep 300; :', '-p', 'run env']);
    // comm comes from the file the kernel ran, not argv0.
    expect(seen.name).toBe('claude.exe');
    expect(seen.script).toBeUndefined();
    expect(seen.packages).toEqual([{ name: '@anthropic-ai/claude-code', version: '2.1.197', dir: packageDir }]);
    expect(seen.ppid).toBe(process.pid);
  });

  it('names a platform package by its folder, nested inside its parent (outermost first)', async () => {
    const parent = join(tmp, 'prefix/lib/node_modules/@openai/codex');
    const platform = join(parent, 'node_modules/@openai/codex-linux-x64');
    await writePackageJson(parent, { name: '@openai/codex', version: '0.169.0' });
    // npm aliases: the platform package's manifest names the parent package.
    await writePackageJson(platform, { name: '@openai/codex', version: '0.169.0-linux-x64' });
    const exe = await installNativeBinary(join(platform, 'vendor/x86_64-unknown-linux-musl/bin/codex'));
    const child = await spawnNativeBinary(exe, ['exec', 'hello']);

    const seen = await observe(child.pid);
    expect(seen.name).toBe('codex');
    expect(seen.packages).toEqual([
      { name: '@openai/codex', version: '0.169.0', dir: parent },
      { name: '@openai/codex-linux-x64', version: '0.169.0-linux-x64', dir: platform },
    ]);
  });

  it('resolves a node script reached through a PATH symlink to its package', async () => {
    const prefix = join(tmp, 'gemini-prefix');
    const packageDir = join(prefix, 'lib/node_modules/@google/gemini-cli');
    await writePackageJson(packageDir, { name: '@google/gemini-cli', version: '0.61.0' });
    const script = await writeFile(join(packageDir, 'dist/index.js'), 'setInterval(() => {}, 1000);\n', 0o755);
    const bin = await makeSymlink(join(prefix, 'bin/gemini'), '../lib/node_modules/@google/gemini-cli/dist/index.js');
    const child = await spawnLongRunning(process.execPath, ['--max-old-space-size=200', bin, '-p', 'hi'], { argv0: 'node' });

    const seen = await observe(child.pid);
    expect(seen.argv).toEqual(['node', '--max-old-space-size=200', bin, '-p', 'hi']);
    expect(seen.exe).toBe(realpathSync(process.execPath));
    expect(seen.scriptArg).toBe(bin);
    expect(seen.script).toBe(script);
    expect(seen.packages).toEqual([{ name: '@google/gemini-cli', version: '0.61.0', dir: packageDir }]);
  });

  it('resolves a relative script against the process working folder', async () => {
    const prefix = join(tmp, 'relative-prefix');
    const packageDir = join(prefix, 'lib/node_modules/@qwen-code/qwen-code');
    await writePackageJson(packageDir, { name: '@qwen-code/qwen-code', version: '0.15.10' });
    const script = await writeFile(join(packageDir, 'cli.js'), 'setInterval(() => {}, 1000);\n');
    await makeSymlink(join(prefix, 'bin/qwen'), '../lib/node_modules/@qwen-code/qwen-code/cli.js');
    const child = await spawnLongRunning(process.execPath, ['-r', 'node:util', 'bin/qwen'], { cwd: prefix });

    const seen = await observe(child.pid);
    expect(seen.argv.slice(1)).toEqual(['-r', 'node:util', 'bin/qwen']);
    expect(seen.script).toBe(script);
    expect(seen.packages.map((p) => p.name)).toEqual(['@qwen-code/qwen-code']);
  });

  it('finds the script of a python console script, run as `python3 <path>` or through its shebang', async () => {
    const aider = await writeFile(
      join(tmp, 'home/.local/pipx/venvs/aider-chat/bin/aider'),
      `#!${python}\nimport time\ntime.sleep(300)\n`,
      0o755,
    );
    const viaPython = await spawnLongRunning(python, ['-u', '-X', 'utf8', aider, '--model', 'x'], { argv0: 'python3' });
    const seen = await observe(viaPython.pid);
    expect(seen.exe).toBe(python);
    expect(seen.argv).toEqual(['python3', '-u', '-X', 'utf8', aider, '--model', 'x']);
    expect(seen.script).toBe(aider);
    expect(seen.packages).toEqual([]);

    // Run as a program, the kernel names the process after the script (research §7.5).
    const direct = await spawnLongRunning(aider, ['--yes']);
    const shebang = await observe(direct.pid);
    expect(shebang.name).toBe('aider');
    expect(shebang.argv).toEqual([python, aider, '--yes']);
    expect(shebang.script).toBe(aider);
  });

  it('shows a long-running daemon with its arguments, and the parent chain of a grandchild up to pid 1', async () => {
    const daemon = await installNativeBinary(
      join(tmp, 'home/.codex/packages/app-server-daemon/releases/0.169.0-x86_64-unknown-linux-musl/bin/codex'),
    );
    const started = Date.now();
    const child = await spawnNativeBinary(daemon, ['app-server', '--listen', 'unix://', '--managed-daemon']);
    const seen = await observe(child.pid);
    expect(seen.name).toBe('codex');
    expect(seen.exe).toBe(daemon);
    expect(seen.argv).toEqual([daemon, '-c', 'sleep 300; :', 'app-server', '--listen', 'unix://', '--managed-daemon']);
    expect(seen.packages).toEqual([]);
    expect(Math.abs(Date.parse(seen.startTime!) - started)).toBeLessThan(3000);

    const launcher = await installNativeBinary(join(tmp, 'bin/launcher'));
    const parent = await spawnLongRunning(launcher, ['-c', 'sleep 300 & echo $!; wait']);
    const grandchildPid = Number(await waitFor(() => parent.stdout().trim() || undefined));
    const grandchild = await observe(grandchildPid);
    const chain = grandchild.ancestors.map((ancestor) => ancestor.pid);
    expect(grandchild.name).toBe('sleep');
    expect(grandchild.ancestors[0]).toMatchObject({ pid: parent.pid, name: 'launcher' });
    expect(chain[1]).toBe(process.pid);
    expect(chain.at(-1)).toBe(1);
    // Each ancestor is the parent of the one before, as the process table says.
    const listing = new Map((await createHost().listProcesses()).map((p) => [p.pid, p]));
    expect([grandchildPid, ...chain.slice(0, -1)].map((pid) => listing.get(pid)?.ppid)).toEqual(chain);
  });
});

describe('processes scanner on fixture hosts', () => {
  it('splits a macOS command line and resolves the PATH symlink inside the layout', async () => {
    const root = await makeTempDir();
    await makeTree(root, {
      'usr/local/bin/gemini': { symlink: '../lib/node_modules/@google/gemini-cli/dist/index.js' },
      'usr/local/lib/node_modules/@google/gemini-cli/dist/index.js': '// gemini',
      'usr/local/lib/node_modules/@google/gemini-cli/package.json': '{"name": "@google/gemini-cli", "version": "0.61.0"}',
    });
    const processes: RawProcess[] = [
      { pid: 1, ppid: 0, name: 'launchd', cmd: '/sbin/launchd' },
      { pid: 400, ppid: 1, name: 'zsh', cmd: '-zsh' },
      { pid: 500, ppid: 400, name: 'node', cmd: 'node /usr/local/bin/gemini -p hi', exe: '/usr/local/bin/node' },
    ];
    const host = createFixtureHost({ os: 'macos', root, home: '/Users/ada', processes });
    const { observations } = await runScanner<ProcessObservation>(processesScanner, host);
    const gemini = observations.find((o) => o.pid === 500)!;

    expect(gemini.argv).toEqual(['node', '/usr/local/bin/gemini', '-p', 'hi']);
    expect(gemini.script).toBe('/usr/local/lib/node_modules/@google/gemini-cli/dist/index.js');
    expect(gemini.packages).toEqual([
      { name: '@google/gemini-cli', version: '0.61.0', dir: '/usr/local/lib/node_modules/@google/gemini-cli' },
    ]);
    expect(gemini.ancestors).toEqual([
      { pid: 400, name: 'zsh', cmd: '-zsh' },
      { pid: 1, name: 'launchd', cmd: '/sbin/launchd' },
    ]);
  });

  it('resolves a relative script through /proc/<pid>/cwd of a Linux layout', async () => {
    const root = await makeTempDir();
    await makeTree(root, {
      'proc/42/cwd': { symlink: '/home/ada/project' },
      'home/ada/project/node_modules/cline/bin/cline.js': '// cline',
    });
    const host = createFixtureHost({
      os: 'linux',
      root,
      home: '/home/ada',
      processes: [{ pid: 42, ppid: 1, name: 'node', cmd: 'node node_modules/cline/bin/cline.js', argv: ['node', 'node_modules/cline/bin/cline.js'], exe: '/usr/bin/node' }],
    });
    const { observations } = await runScanner<ProcessObservation>(processesScanner, host);
    expect(observations[0]?.script).toBe('/home/ada/project/node_modules/cline/bin/cline.js');
    expect(observations[0]?.packages).toEqual([{ name: 'cline', dir: '/home/ada/project/node_modules/cline' }]);
  });

  it('skips kernel threads but keeps a helper whose argv only looks like one', async () => {
    const root = await makeTempDir();
    const host = createFixtureHost({
      os: 'linux',
      root,
      home: '/home/ada',
      processes: [
        { pid: 2, ppid: 0, name: 'kthreadd', cmd: '[kthreadd]', argv: [] },
        { pid: 77, ppid: 2, name: 'kworker/0:1', cmd: '[kworker/0:1-events]', argv: [] },
        { pid: 90, ppid: 1, name: 'MainThread', cmd: '[copilot-runtime]', argv: ['[copilot-runtime]'], exe: '/opt/copilot/copilot' },
      ],
    });
    const { observations } = await runScanner<ProcessObservation>(processesScanner, host);
    expect(observations.map((o) => o.pid)).toEqual([90]);
    expect(observations[0]).toMatchObject({ name: 'MainThread', argv: ['[copilot-runtime]'], exe: '/opt/copilot/copilot' });
  });
});

describe('interpreterTarget', () => {
  it.each([
    ['node', ['node', '/usr/local/bin/gemini', '-p', 'x'], { script: '/usr/local/bin/gemini' }],
    ['node', ['node', '--max-old-space-size=12052', '/p/bin/qwen'], { script: '/p/bin/qwen' }],
    ['node', ['node', '-r', 'ts-node/register', '--require', 'x', 'app.js'], { script: 'app.js' }],
    ['node', ['node', '--import=tsx', '--', 'app.ts'], { script: 'app.ts' }],
    ['node', ['node', '-e', 'console.log(1)', 'not-a-script'], {}],
    ['node', ['node', '-p', '1'], {}],
    ['node', ['node'], {}],
    ['python', ['python3', '-u', '-O', '-X', 'utf8', '-Wignore', '/v/bin/aider'], { script: '/v/bin/aider' }],
    ['python', ['python3', '-m', 'aider', '--model', 'x'], { module: 'aider' }],
    ['python', ['python3', '-um', 'aider'], { module: 'aider' }],
    ['python', ['python3', '-c', 'import x', 'arg'], {}],
    ['bun', ['bun', 'run', '--smol', 'cli.ts'], { script: 'cli.ts' }],
    ['bun', ['bun', '--cwd', '/x', 'cli.ts'], { script: 'cli.ts' }],
    ['bun', ['bun', 'x', 'cowsay'], {}],
    ['deno', ['deno', 'run', '-A', '--config', 'deno.json', 'main.ts'], { script: 'main.ts' }],
    ['deno', ['deno', 'task', 'dev'], {}],
  ] as const)('%s %j', (interpreter, argv, expected) => {
    expect(interpreterTarget(interpreter, argv)).toEqual(expected);
  });
});

describe('ancestorsOf', () => {
  it('stops at a cycle in the parent links', () => {
    const a: RawProcess = { pid: 10, ppid: 11, name: 'a', cmd: 'a' };
    const b: RawProcess = { pid: 11, ppid: 12, name: 'b', cmd: 'b' };
    const c: RawProcess = { pid: 12, ppid: 11, name: 'c', cmd: 'c' };
    const byPid = new Map([a, b, c].map((p) => [p.pid, p]));
    expect(ancestorsOf(a, byPid).map((p) => p.pid)).toEqual([11, 12]);
  });
});
