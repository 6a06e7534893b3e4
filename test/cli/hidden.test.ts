// Agents that hide from argv, found by the built CLI through what they cannot
// shed (Linux /proc): the environment their launcher gave them, `_` (the path
// a shell executed), the markers their children carry, the files they hold
// open. Real processes in temp folders, each asserted by pid; look-alikes
// that must not be reported; and a token planted in a marker variable that no
// output format may print. Nothing here signals a process it did not start.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installNativeBinary, killSpawned, spawnLongRunning, spawnNativeBinary, waitFor, type SpawnedProcess } from '../helpers/processes.js';
import { makeSymlink, makeTempDir, removeTempDirs, writeFile, writePackageJson } from '../helpers/temp.js';
import { BIN, json, runCli, type World } from './run-cli.js';

interface Finding {
  tool: string;
  kind: string;
  confidence: string;
  evidence: {
    pid?: number;
    proof?: string;
    installMethod?: string;
    package?: string;
    project?: string;
    launchedAs?: string;
    openFile?: string;
    matched: string;
    variable?: { name: string; value: string };
    child?: { pid: number; name: string; variable?: { name: string; value: string } };
  };
}

const TOKEN = 'sk-ant-test-0123456789abcdef';
const KEEP_ALIVE = 'setInterval(() => {}, 1 << 30);\n';
const MARKER = /^(CLAUDE|CODEX|PI_CODING_AGENT|AI_AGENT|GEMINI|QWEN|OPENCODE|KILO|AUGMENT|_$)/;

let world: World;
let findings: Finding[];
const started: Record<string, SpawnedProcess> = {};
/** Pids of processes a test started through a shell (the shell's child), by name. */
const pids: Record<string, number> = {};

/** This environment without any agent's markers: the suite may itself run inside an agent's shell. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!MARKER.test(name)) env[name] = value;
  return { ...env, ...extra };
}

/** The one child of `pid` (read from /proc), once it has exec'd into something named `comm`. */
async function childNamed(pid: number, comm: string): Promise<number> {
  return waitFor(async () => {
    const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '')).trim().split(/\s+/).filter(Boolean).map(Number);
    for (const child of children) {
      const name = (await readFile(`/proc/${child}/comm`, 'utf8').catch(() => '')).trim();
      if (name === comm) return child;
    }
    return undefined;
  }, 10_000, `a child of ${pid} named ${comm}`);
}

const forPid = (pid: number) => findings.filter((f) => f.kind === 'process' && f.evidence.pid === pid);

beforeAll(async () => {
  const root = await makeTempDir('aitool-hidden-');
  const prefix = join(root, 'prefix');
  const home = join(root, 'home');
  const lookalikes = join(root, 'other', 'bin');
  const path = `${prefix}/bin:${lookalikes}:${home}/go/bin:${dirname(process.execPath)}:${process.env.PATH}`;
  world = {
    root, home, cwd: join(root, 'repo'),
    env: { HOME: home, PATH: path },
    write: () => { throw new Error('unused'); },
    cleanup: () => undefined,
  };
  await writeFile(join(world.cwd, 'README'), 'a project\n');
  const shellEnv = cleanEnv({ HOME: home, PATH: path });

  // 1. Pi: a Node CLI that retitles itself `pi`, started by a shell through the npm bin link (so `_` is that link).
  const piPackage = join(prefix, 'lib/node_modules/@mariozechner/pi-coding-agent');
  await writePackageJson(piPackage, { name: '@mariozechner/pi-coding-agent', version: '0.73.1' });
  await writeFile(join(piPackage, 'dist/cli.js'), `#!/usr/bin/env node\nprocess.title = 'pi';\n${KEEP_ALIVE}`, 0o755);
  await makeSymlink(join(prefix, 'bin/pi'), '../lib/node_modules/@mariozechner/pi-coding-agent/dist/cli.js');
  started.piShell = await spawnLongRunning('/bin/bash', ['-c', 'pi; :'], { env: shellEnv });
  pids.pi = await childNamed(started.piShell.pid, 'pi');

  // Decoy: the same shape, retitled `pi` too, but `_` leads into an unrelated package.
  const otherPackage = join(prefix, 'lib/node_modules/left-pad-cli');
  await writePackageJson(otherPackage, { name: 'left-pad-cli', version: '1.0.0' });
  await writeFile(join(otherPackage, 'bin.js'), `#!/usr/bin/env node\nprocess.title = 'pi';\n${KEEP_ALIVE}`, 0o755);
  await makeSymlink(join(prefix, 'bin/lpad'), '../lib/node_modules/left-pad-cli/bin.js');
  started.lpadShell = await spawnLongRunning('/bin/bash', ['-c', 'lpad; :'], { env: shellEnv });
  pids.lpad = await childNamed(started.lpadShell.pid, 'pi');

  // 2. Claude Code as the Agent SDK 0.3.x runs it: the platform package's binary, with the SDK's environment.
  const project = join(root, 'bot');
  const sdkPackage = join(project, 'node_modules/@anthropic-ai/claude-agent-sdk-linux-x64');
  await writePackageJson(sdkPackage, { name: '@anthropic-ai/claude-agent-sdk-linux-x64', version: '0.3.337' });
  const sdkClaude = await installNativeBinary(join(sdkPackage, 'claude'));
  started.sdk = await spawnNativeBinary(sdkClaude, ['--output-format', 'stream-json'], {
    cwd: project,
    env: cleanEnv({ CLAUDE_CODE_ENTRYPOINT: 'sdk-ts', CLAUDE_AGENT_SDK_VERSION: '0.3.337' }),
  });

  // 3. Claude Code as the SDK 0.2.x runs it: node, retitled `claude`; only the environment says so (the token is planted here).
  started.sdkNode = await spawnLongRunning(process.execPath, ['-e', `process.title = 'claude';\n${KEEP_ALIVE}`], {
    env: cleanEnv({ CLAUDE_CODE_ENTRYPOINT: 'sdk-ts', CLAUDE_AGENT_SDK_VERSION: TOKEN }),
  });
  await waitFor(async () => ((await readFile(`/proc/${started.sdkNode!.pid}/comm`, 'utf8')).trim() === 'claude' ? true : undefined));

  // 4. A renamed copy of a native binary whose child carries Claude Code's session markers (and the token).
  const devhelper = await installNativeBinary(join(home, 'bin/devhelper'));
  // The value reaches the child through a variable no catalog names, so the token is in no command line.
  const childScript = `CLAUDECODE=1 CLAUDE_CODE_EXECPATH="$PLANTED" /bin/sh -c 'sleep 300; :'; :`;
  started.devhelper = await spawnLongRunning(devhelper, ['-c', childScript], { env: { ...shellEnv, PLANTED: TOKEN } });
  pids.devhelperChild = await childNamed(started.devhelper.pid, 'sh');

  // 5. A process holding a session transcript open under the temp HOME's .claude/projects.
  const transcript = join(home, '.claude/projects/-tmp-repo/0d1f.jsonl');
  await writeFile(transcript, '{}\n');
  const holdOpen = (file: string) => `require('fs').openSync(${JSON.stringify(file)}, 'a'); process.stdout.write('open\\n');\n${KEEP_ALIVE}`;
  started.holder = await spawnLongRunning(process.execPath, ['-e', holdOpen(transcript)], { env: shellEnv });
  // Decoy: the same, under a folder no agent owns.
  const notes = join(home, 'projects/notes.jsonl');
  await writeFile(notes, '{}\n');
  started.otherHolder = await spawnLongRunning(process.execPath, ['-e', holdOpen(notes)], { env: shellEnv });
  await waitFor(() => (started.holder!.stdout() && started.otherHolder!.stdout() ? true : undefined));

  // Decoys: programs that share an agent's name but nothing else.
  started.pi = await spawnNativeBinary(await installNativeBinary(join(lookalikes, 'pi')), [], { env: shellEnv });
  started.goose = await spawnNativeBinary(await installNativeBinary(join(home, 'go/bin/goose')), ['up'], { env: shellEnv });
  started.kilo = await spawnNativeBinary(await installNativeBinary(join(lookalikes, 'kilo')), [], { env: shellEnv });
  started.droid = await spawnNativeBinary(await installNativeBinary(join(lookalikes, 'droid')), [], { env: shellEnv });

  const result = await runCli(['check', '--format', 'json'], world);
  findings = json<{ findings: Finding[] }>(result).findings;
}, 60_000);

afterAll(async () => {
  await killSpawned();
  await removeTempDirs();
});

describe('evidence that survives a lie in argv', () => {
  it('a retitled Node CLI started through its npm bin link: pi, confirmed by `_`', () => {
    expect(forPid(pids.pi!)).toEqual([
      expect.objectContaining({
        tool: 'pi',
        confidence: 'confirmed',
        evidence: expect.objectContaining({
          proof: 'environment',
          package: '@mariozechner/pi-coding-agent',
          installMethod: 'npm',
          variable: expect.objectContaining({ name: '_' }),
          launchedAs: join(world.root, 'prefix/lib/node_modules/@mariozechner/pi-coding-agent/dist/cli.js'),
        }),
      }),
    ]);
  });

  it("the SDK's platform binary in a project: claude-code, installMethod sdk, with the project", () => {
    expect(forPid(started.sdk!.pid)).toEqual([
      expect.objectContaining({
        tool: 'claude-code',
        confidence: 'confirmed',
        evidence: expect.objectContaining({ proof: 'path', installMethod: 'sdk', project: join(world.root, 'bot') }),
      }),
    ]);
  });

  it("a retitled node that only the SDK's environment names: claude-code, confirmed by the environment", () => {
    expect(forPid(started.sdkNode!.pid)).toEqual([
      expect.objectContaining({
        tool: 'claude-code',
        confidence: 'confirmed',
        evidence: expect.objectContaining({ proof: 'environment', variable: { name: 'CLAUDE_AGENT_SDK_VERSION', value: 'sk-a…<28 chars>' } }),
      }),
    ]);
  });

  it("a renamed binary whose child carries Claude Code's markers: the parent is claude-code, the child is the evidence", () => {
    expect(forPid(started.devhelper!.pid)).toEqual([
      expect.objectContaining({
        tool: 'claude-code',
        confidence: 'confirmed',
        evidence: expect.objectContaining({ proof: 'child', child: { pid: pids.devhelperChild, name: 'sh', variable: { name: 'CLAUDECODE', value: '1' } } }),
      }),
    ]);
    // The child only inherits what its parent set: it is not itself the agent.
    expect(forPid(pids.devhelperChild!)).toEqual([]);
  });

  it('a process holding a file open under .claude/projects: claude-code, confirmed by the open file', () => {
    expect(forPid(started.holder!.pid)).toEqual([
      expect.objectContaining({
        tool: 'claude-code',
        confidence: 'confirmed',
        evidence: expect.objectContaining({ proof: 'open-file', openFile: join(world.home, '.claude/projects/-tmp-repo/0d1f.jsonl') }),
      }),
    ]);
  });

  it('no finding for look-alikes: an unrelated `_`, names other programs use, an unrelated open file', () => {
    expect(forPid(pids.lpad!)).toEqual([]);
    expect(forPid(started.otherHolder!.pid)).toEqual([]);
    for (const name of ['pi', 'goose', 'kilo', 'droid']) expect(forPid(started[name]!.pid), name).toEqual([]);
    // And the shells that started the processes above are not agents either.
    expect(forPid(started.piShell!.pid)).toEqual([]);
    expect(forPid(started.lpadShell!.pid)).toEqual([]);
  });
});

describe('environment values are never printed whole', () => {
  it.each(['text', 'json', 'ndjson', 'sarif'])('--format %s', async (format) => {
    const result = await runCli(['check', '--format', format, '--no-color'], world);
    // The processes carrying the token are in the report, so the check looked at them.
    expect(result.stdout).toContain(String(started.sdkNode!.pid));
    expect(result.stdout).toContain(String(started.devhelper!.pid));
    expect(result.stdout).not.toContain(TOKEN);
    expect(result.stdout).not.toContain(TOKEN.slice(4));
  });

  it('watch events', async () => {
    const watch = spawn(process.execPath, [BIN, 'watch', '--interval', '200ms'], { cwd: world.cwd, env: world.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    watch.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<void>((resolve) => watch.once('exit', () => resolve()));
    try {
      const pidsWithToken = [started.sdkNode!.pid, started.devhelper!.pid];
      await waitFor(() => {
        const events = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { event: string; pid?: number; evidence?: Finding['evidence'] });
        const seen = pidsWithToken.map((pid) => events.find((e) => e.event === 'finding' && e.pid === pid));
        return seen.every(Boolean) ? seen : undefined;
      }, 20_000, 'watch findings for the processes carrying the token');
      expect(stdout).not.toContain(TOKEN);
      expect(stdout).not.toContain(TOKEN.slice(4));
    } finally {
      watch.kill('SIGTERM');
      await exited;
    }
  }, 30_000);
});
