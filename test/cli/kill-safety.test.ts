/**
 * The tests that stop processes stop only their own. While an unrelated
 * process that a catalog tool matches runs (a copy of a shell named `claude`,
 * like a real Claude Code session: under an npm package path, and on its own),
 * started here and outside those tests' reach, every test file that lets
 * aitool or terminate() signal processes is run; the bystanders must survive.
 *
 * Before the kill tests were reworked, they blocked claude-code with
 * `terminate: true` over the machine's real process table and stopped every
 * Claude Code process of the user running them, these bystanders included.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProcStat } from '../../src/terminate.js';
import { installNativeBinary, killSpawned, spawnNativeBinary, waitForExe, type SpawnedProcess } from '../helpers/processes.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';
import { json, makeWorld, runCli } from './run-cli.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');

/** Every test file that can make aitool (or terminate() directly) send a signal. */
const KILL_TEST_FILES = ['test/cli/kill.test.ts', 'test/terminate.test.ts', 'test/watch/cli.test.ts', 'test/watch/table.test.ts', 'test/watch/watcher.test.ts'];

interface Bystander {
  process: SpawnedProcess;
  binary: string;
  startTicks: number;
}

function startTicks(pid: number): number | undefined {
  try {
    const stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return stat && stat.state !== 'Z' && stat.state !== 'X' ? stat.startTicks : undefined;
  } catch {
    return undefined;
  }
}

async function startBystander(binary: string): Promise<Bystander> {
  await installNativeBinary(binary);
  const process = await spawnNativeBinary(binary);
  await waitForExe(process.pid, binary);
  return { process, binary, startTicks: startTicks(process.pid)! };
}

let bystanders: Bystander[] = [];
beforeAll(async () => {
  const dir = await makeTempDir('aitool-bystander-');
  bystanders = [
    // The npm package's native binary, as `npm install -g @anthropic-ai/claude-code` lays it out.
    await startBystander(join(dir, 'lib/node_modules/@anthropic-ai/claude-code-linux-x64/claude')),
    // The native installer's binary on PATH: only its name says what it is.
    await startBystander(join(dir, 'bin/claude')),
  ];
});
afterAll(async () => {
  await killSpawned();
  await removeTempDirs();
});

describe('the tests that stop processes', () => {
  it('have bystanders aitool does see as a catalog tool', async () => {
    // The bystanders are real targets: a check on this machine finds them as claude-code.
    const world = makeWorld();
    try {
      const result = await runCli(['check', '--format', 'json'], world);
      const report = json<{ findings: Array<{ tool: string; kind: string; evidence: { pid?: number } }> }>(result);
      const found = report.findings.filter((f) => f.kind === 'process' && f.tool === 'claude-code').map((f) => f.evidence.pid);
      for (const { process } of bystanders) expect(found).toContain(process.pid);
    } finally {
      world.cleanup();
    }
  });

  it('leave a running process they did not start alone', async () => {
    const run = spawn(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...KILL_TEST_FILES], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    run.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    run.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const code = await new Promise<number | null>((done) => run.once('exit', done));
    // The kill tests themselves pass (they did stop their own agents)...
    expect(code, output.slice(-4000)).toBe(0);
    expect(output).toMatch(new RegExp(`Test Files\\s+${KILL_TEST_FILES.length} passed`));
    // ...and every bystander is still the very process it was.
    for (const bystander of bystanders) {
      expect(bystander.process.child.exitCode, bystander.binary).toBeNull();
      expect(bystander.process.child.signalCode, bystander.binary).toBeNull();
      expect(startTicks(bystander.process.pid), bystander.binary).toBe(bystander.startTicks);
    }
  }, 240_000);
});
