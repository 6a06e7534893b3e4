// Stopping banned processes through the built CLI, with real processes.
//
// aitool reads the machine's real process table, so these tests never block
// a catalog tool (that would stop every real Claude Code session of the user
// running the suite): they block their own agent, a custom tool matched only
// by an executable path holding a random token (test/helpers/own-agent.ts),
// allow every catalog tool, and pin the managed layer to a file of their own
// so that a managed policy on the machine cannot add a catalog rule.
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeOwnAgentTool, ownAgentPolicy, type OwnAgentTool } from '../helpers/own-agent.js';
import { alive, killSpawned, spawnNativeBinary, waitForExe, type SpawnedProcess } from '../helpers/processes.js';
import { BIN, json, makeWorld, runCli, type World } from './run-cli.js';

interface Report {
  findings: Array<{ tool: string; kind: string; action: string; evidence: { pid?: number } }>;
  terminations?: Array<{ pid: number; tool: string; outcome: string; signals: string[]; reason?: string }>;
}

let world: World;
let own: OwnAgentTool;
let agent: SpawnedProcess;
beforeEach(async () => {
  world = makeWorld();
  world.write('managed/policy.yaml', 'default: allow\n');
  own = await makeOwnAgentTool(world.root);
  agent = await spawnNativeBinary(own.binary);
  await waitForExe(agent.pid, own.binary);
});
afterEach(async () => {
  await killSpawned();
  world.cleanup();
});

const ofAgent = (report: Report) => report.terminations?.filter((t) => t.pid === agent.pid) ?? [];
/** Every termination the run attempted was one of this test's own processes: nothing else was even a candidate. */
const onlyOwn = (report: Report, pids: number[]) => expect((report.terminations ?? []).filter((t) => !pids.includes(t.pid))).toEqual([]);

function writePolicy(rule: string, extra = ''): void {
  world.write('repo/.aitoolrc.yaml', ownAgentPolicy(own, rule, extra));
}

describe('stopping blocked tools', () => {
  it('stops a blocked tool whose rule says terminate, and reports the attempt', async () => {
    writePolicy('{ action: block, terminate: true }', 'termination:\n  graceMs: 2000\n');
    const result = await runCli(['check', '--format', 'json'], world);
    expect(result.exitCode, result.stderr).toBe(1);
    const report = json<Report>(result);
    expect(ofAgent(report)).toEqual([
      { pid: agent.pid, tool: own.id, cmd: expect.stringContaining(own.binary), uid: process.getuid!(), outcome: 'stopped', signals: ['SIGTERM'] },
    ]);
    onlyOwn(report, [agent.pid]);
    if (agent.child.exitCode === null && agent.child.signalCode === null) await new Promise((resolve) => agent.child.once('exit', resolve));
    expect(agent.child.signalCode).toBe('SIGTERM');
  });

  it('leaves it running when the rule does not say terminate, unless --kill; --dry-run only says what it would stop', async () => {
    writePolicy('block');
    const plain = json<Report>(await runCli(['check', '--format', 'json'], world));
    expect(plain.terminations).toBeUndefined();
    const dry = json<Report>(await runCli(['check', '--kill', '--dry-run', '--format', 'json'], world));
    expect(ofAgent(dry).map((t) => [t.outcome, t.signals])).toEqual([['would-stop', []]]);
    onlyOwn(dry, [agent.pid]);
    expect(alive(agent.pid)).toBe(true);
    const text = await runCli(['check', '--kill', '--dry-run', '--no-color'], world);
    expect(text.stdout).toContain(`would stop (dry run): pid ${agent.pid} ${own.id}`);
    expect(alive(agent.pid)).toBe(true);
  });

  it('--kill stops a blocked tool whose rule does not say terminate', async () => {
    writePolicy('block', 'termination:\n  graceMs: 2000\n');
    const report = json<Report>(await runCli(['check', '--kill', '--format', 'json'], world));
    expect(ofAgent(report).map((t) => t.outcome)).toEqual(['stopped']);
    onlyOwn(report, [agent.pid]);
  });

  it('never stops a warned tool, even with --kill', async () => {
    writePolicy('{ action: warn, terminate: true }');
    const report = json<Report>(await runCli(['check', '--kill', '--format', 'json'], world));
    expect(report.findings.some((f) => f.tool === own.id && f.kind === 'process' && f.action === 'warn')).toBe(true);
    expect(report.terminations).toEqual([]);
    expect(alive(agent.pid)).toBe(true);
  });

  it("refuses to stop aitool's own ancestor, even when it is the blocked tool", async () => {
    writePolicy('{ action: block, terminate: true }');
    // aitool started from a shell that is itself the blocked tool's binary (`; :` keeps the shell alive around it).
    const output = execFileSync(own.binary, ['-c', `"${process.execPath}" "${BIN}" check --format json; :`], {
      cwd: world.cwd,
      env: { ...world.env, AITOOL_MANAGED_POLICY: `${world.root}/managed/policy.yaml` },
      encoding: 'utf8',
    });
    const report = JSON.parse(output) as Report;
    const self = report.findings.find((f) => f.kind === 'session' && f.tool === own.id);
    expect(self?.action).toBe('block');
    const refused = report.terminations?.filter((t) => t.outcome === 'refused' && /ancestors/.test(t.reason ?? '')) ?? [];
    expect(refused.map((t) => t.tool)).toEqual([own.id]);
    // The long-running agent from beforeEach is not an ancestor: it was stopped.
    expect(ofAgent(report).map((t) => t.outcome)).toEqual(['stopped']);
  });
});
