// Stopping banned processes through the built CLI: real processes whose
// executable lives in a blocked tool's install folder.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alive, installNativeBinary, killSpawned, spawnNativeBinary, waitForExe, type SpawnedProcess } from '../helpers/processes.js';
import { BIN, json, makeWorld, runCli, type World } from './run-cli.js';

interface Report {
  findings: Array<{ tool: string; kind: string; action: string; evidence: { pid?: number } }>;
  terminations?: Array<{ pid: number; tool: string; outcome: string; signals: string[]; reason?: string }>;
}

let world: World;
let binary: string;
let agent: SpawnedProcess;
beforeEach(async () => {
  world = makeWorld();
  binary = await installNativeBinary(join(world.home, '.local/share/claude/versions/2.0.50'));
  agent = await spawnNativeBinary(binary);
  await waitForExe(agent.pid, binary);
});
afterEach(async () => {
  await killSpawned();
  world.cleanup();
});

const ofAgent = (report: Report) => report.terminations?.filter((t) => t.pid === agent.pid) ?? [];

describe('stopping blocked tools', () => {
  it('stops a blocked tool whose rule says terminate, and reports the attempt', async () => {
    world.write('repo/.aitoolrc.yaml', 'tools:\n  claude-code:\n    action: block\n    terminate: true\ntermination:\n  graceMs: 2000\n');
    const result = await runCli(['check', '--format', 'json'], world);
    expect(result.exitCode, result.stderr).toBe(1);
    expect(ofAgent(json<Report>(result))).toEqual([
      { pid: agent.pid, tool: 'claude-code', cmd: expect.stringContaining(binary), uid: process.getuid!(), outcome: 'stopped', signals: ['SIGTERM'] },
    ]);
    if (agent.child.exitCode === null && agent.child.signalCode === null) await new Promise((resolve) => agent.child.once('exit', resolve));
    expect(agent.child.signalCode).toBe('SIGTERM');
  });

  it('leaves it running when the rule does not say terminate, unless --kill; --dry-run only says what it would stop', async () => {
    world.write('repo/.aitoolrc.yaml', 'tools:\n  claude-code: block\n');
    const plain = json<Report>(await runCli(['check', '--format', 'json'], world));
    expect(plain.terminations).toBeUndefined();
    const dry = json<Report>(await runCli(['check', '--kill', '--dry-run', '--format', 'json'], world));
    expect(ofAgent(dry).map((t) => [t.outcome, t.signals])).toEqual([['would-stop', []]]);
    expect(alive(agent.pid)).toBe(true);
    const text = await runCli(['check', '--kill', '--dry-run', '--no-color'], world);
    expect(text.stdout).toContain(`would stop (dry run): pid ${agent.pid} claude-code`);
    expect(alive(agent.pid)).toBe(true);
  });

  it('never stops a warned tool, even with --kill', async () => {
    world.write('repo/.aitoolrc.yaml', 'tools:\n  claude-code:\n    action: warn\n    terminate: true\n');
    const report = json<Report>(await runCli(['check', '--kill', '--format', 'json'], world));
    expect(ofAgent(report)).toEqual([]);
    expect(alive(agent.pid)).toBe(true);
  });

  it("refuses to stop aitool's own ancestor, even when it is the blocked tool", async () => {
    world.write('repo/.aitoolrc.yaml', 'tools:\n  claude-code:\n    action: block\n    terminate: true\n');
    // aitool started from a shell that is itself the blocked tool's binary (`; :` keeps the shell alive around it).
    const output = execFileSync(binary, ['-c', `"${process.execPath}" "${BIN}" check --format json; :`], {
      cwd: world.cwd,
      env: { ...world.env },
      encoding: 'utf8',
    });
    const report = JSON.parse(output) as Report;
    const self = report.findings.find((f) => f.kind === 'session' && f.tool === 'claude-code');
    expect(self?.action).toBe('block');
    const refused = report.terminations?.filter((t) => t.outcome === 'refused' && /ancestors/.test(t.reason ?? '')) ?? [];
    expect(refused.map((t) => t.tool)).toEqual(['claude-code']);
    // The long-running agent from beforeEach is not an ancestor: it was stopped.
    expect(ofAgent(report).map((t) => t.outcome)).toEqual(['stopped']);
  });
});
