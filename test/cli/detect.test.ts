// The built CLI against real processes and real files: each distinct way an
// AI tool shows up on a Linux machine (from the signatures research), and
// look-alikes that must not be reported.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installNativeBinary, killSpawned, spawnLongRunning, spawnNativeBinary, type SpawnedProcess } from '../helpers/processes.js';
import { makeSymlink, makeTempDir, removeTempDirs, writeFile, writePackageJson } from '../helpers/temp.js';
import { json, runCli, type World } from './run-cli.js';

interface Finding {
  tool: string;
  kind: string;
  action: string;
  confidence: string;
  evidence: { pid?: number; path?: string; version?: string; installMethod?: string; package?: string; ancestors?: Array<{ pid: number }> };
  alternatives: Array<{ id: string }>;
  remediation?: string;
}

const KEEP_ALIVE = 'setInterval(() => {}, 1 << 30);\n';
let world: World;
let findings: Finding[];
let exitCode: number;
const started: Record<string, SpawnedProcess> = {};

const forPid = (name: string) => findings.filter((f) => f.kind === 'process' && f.evidence.pid === started[name]!.pid);
const atPath = (path: string) => findings.filter((f) => f.kind === 'executable' && f.evidence.path === path);

beforeAll(async () => {
  const root = await makeTempDir('aitool-detect-');
  const prefix = join(root, 'prefix');
  const home = join(root, 'home');
  const lookalikes = join(root, 'other', 'bin');
  world = {
    root, home, cwd: join(root, 'repo'),
    env: { HOME: home, PATH: `${prefix}/bin:${home}/.local/bin:${lookalikes}:${process.env.PATH}` },
    write: () => { throw new Error('unused'); },
    cleanup: () => undefined,
  };
  await writeFile(join(world.cwd, '.aitoolrc.yaml'), 'tools:\n  claude-code:\n    action: block\n    alternatives: [qoder]\n');

  // 1. A native binary inside its npm package, reached through the global bin link (claude >= 2.1.113).
  const claudePackage = join(prefix, 'lib/node_modules/@anthropic-ai/claude-code');
  await writePackageJson(claudePackage, { name: '@anthropic-ai/claude-code', version: '2.1.197' });
  const claudeExe = await installNativeBinary(join(claudePackage, 'bin/claude.exe'));
  await makeSymlink(join(prefix, 'bin/claude'), '../lib/node_modules/@anthropic-ai/claude-code/bin/claude.exe');
  started.claude = await spawnNativeBinary(claudeExe, [], { argv0: 'claude' });

  // 2. A Node script CLI, run as `node <prefix>/bin/gemini` through the PATH link.
  const geminiPackage = join(prefix, 'lib/node_modules/@google/gemini-cli');
  await writePackageJson(geminiPackage, { name: '@google/gemini-cli', version: '0.61.0' });
  await writeFile(join(geminiPackage, 'dist/index.js'), `#!/usr/bin/env node\n${KEEP_ALIVE}`, 0o755);
  await makeSymlink(join(prefix, 'bin/gemini'), '../lib/node_modules/@google/gemini-cli/dist/index.js');
  started.gemini = await spawnLongRunning(process.execPath, [join(prefix, 'bin/gemini')]);

  // 3. A Python console script in its pipx virtual environment, as `python3 <venv>/bin/aider`.
  const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  const aider = await writeFile(join(home, '.local/pipx/venvs/aider-chat/bin/aider'), `#!${python}\nimport time\ntime.sleep(300)\n`, 0o755);
  started.aider = await spawnLongRunning(python, [aider]);

  // 4. A daemon that outlives its CLI: Codex's app-server, from its self-updater folder.
  const codexDaemon = await installNativeBinary(join(home, '.codex/packages/app-server-daemon/releases/0.169.0-x86_64-unknown-linux-musl/bin/codex'));
  started.codexDaemon = await spawnNativeBinary(codexDaemon, ['app-server', '--listen', 'unix://', '--managed-daemon']);

  // 5. The native installer's layout: ~/.local/bin/claude -> ~/.local/share/claude/versions/<v>.
  await installNativeBinary(join(home, '.local/share/claude/versions/2.1.200'));
  await makeSymlink(join(home, '.local/bin/claude'), join(home, '.local/share/claude/versions/2.1.200'));

  // Look-alikes: a `q` that is not Amazon Q, an `amp` outside Sourcegraph's package, a project folder named codex.
  started.q = await spawnNativeBinary(await installNativeBinary(join(lookalikes, 'q')));
  started.amp = await spawnNativeBinary(await installNativeBinary(join(lookalikes, 'amp')));
  const project = await writeFile(join(root, 'projects/codex/server.js'), KEEP_ALIVE);
  started.project = await spawnLongRunning(process.execPath, [project], { cwd: join(root, 'projects/codex') });
  // A `claude` that nothing proves: reported, but only as name-only.
  started.unproven = await spawnNativeBinary(await installNativeBinary(join(root, 'opt/claude')));

  const result = await runCli(['check', '--format', 'json'], world);
  exitCode = result.exitCode;
  findings = json<{ findings: Finding[] }>(result).findings;
}, 60_000);

afterAll(async () => {
  await killSpawned();
  await removeTempDirs();
});

describe('aitool check finds real processes', () => {
  it('a native binary in its npm package: confirmed, with version and install method', () => {
    expect(forPid('claude')).toEqual([
      expect.objectContaining({
        tool: 'claude-code', kind: 'process', action: 'block', confidence: 'confirmed',
        evidence: expect.objectContaining({ version: '2.1.197', installMethod: 'npm', package: '@anthropic-ai/claude-code' }),
        alternatives: [expect.objectContaining({ id: 'qoder' })],
        remediation: `stop it: kill ${started.claude!.pid}`,
      }),
    ]);
  });

  it('records the parent chain up to pid 1', () => {
    const ancestors = forPid('claude')[0]!.evidence.ancestors!.map((a) => a.pid);
    expect(ancestors[0]).toBe(process.pid);
    expect(ancestors.at(-1)).toBe(1);
  });

  it('a node script through a PATH link: confirmed through its package', () => {
    expect(forPid('gemini')).toEqual([
      expect.objectContaining({ tool: 'gemini-cli', confidence: 'confirmed', evidence: expect.objectContaining({ version: '0.61.0', installMethod: 'npm' }) }),
    ]);
  });

  it('a python console script in a pipx venv: confirmed', () => {
    expect(forPid('aider')).toEqual([
      expect.objectContaining({ tool: 'aider', confidence: 'confirmed', evidence: expect.objectContaining({ installMethod: 'pipx' }) }),
    ]);
  });

  it('a long-running daemon outside any package: confirmed by its install folder', () => {
    expect(forPid('codexDaemon')).toEqual([expect.objectContaining({ tool: 'codex', confidence: 'confirmed' })]);
  });

  it('a name nothing proves: name-only', () => {
    expect(forPid('unproven')).toEqual([expect.objectContaining({ tool: 'claude-code', confidence: 'name-only' })]);
  });

  it('no finding for look-alikes', () => {
    expect(forPid('q')).toEqual([]);
    expect(forPid('amp')).toEqual([]);
    expect(forPid('project')).toEqual([]);
  });

  it('exits 1 because a blocked tool is present', () => {
    expect(exitCode).toBe(1);
  });
});

describe('aitool check finds executables on PATH', () => {
  it('follows the npm bin link to the package and its version', () => {
    expect(atPath(join(world.root, 'prefix/bin/claude'))).toEqual([
      expect.objectContaining({
        tool: 'claude-code', confidence: 'confirmed',
        evidence: expect.objectContaining({ version: '2.1.197', installMethod: 'npm' }),
        remediation: 'npm uninstall -g @anthropic-ai/claude-code',
      }),
    ]);
  });

  it('follows the native installer link to its versioned folder', () => {
    expect(atPath(join(world.home, '.local/bin/claude'))).toEqual([
      expect.objectContaining({ tool: 'claude-code', confidence: 'confirmed', evidence: expect.objectContaining({ version: '2.1.200', installMethod: 'native' }) }),
    ]);
  });

  it('a script CLI on PATH', () => {
    expect(atPath(join(world.root, 'prefix/bin/gemini'))).toEqual([
      expect.objectContaining({ tool: 'gemini-cli', confidence: 'confirmed', evidence: expect.objectContaining({ version: '0.61.0' }) }),
    ]);
  });

  it('ignores shared names that nothing proves', () => {
    expect(atPath(join(world.root, 'other/bin/q'))).toEqual([]);
    expect(atPath(join(world.root, 'other/bin/amp'))).toEqual([]);
  });
});
