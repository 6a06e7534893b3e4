// Policy patterns against hostile input, and custom tools against catalog
// detections, in the built CLI with a managed policy: real processes, a real
// project .mcp.json, a real commit-msg hook run in a real repository.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { killSpawned, spawnLongRunning, type SpawnedProcess } from '../helpers/processes.js';
import { json, makeWorld, runCli, type World } from './run-cli.js';

/** A catastrophic pattern takes hours on a backtracking engine; the CLI must end well before the test kills it. */
const KILL_AFTER_MS = 10_000;

let world: World;
beforeEach(() => {
  world = makeWorld();
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: world.cwd, env: { ...world.env, GIT_CONFIG_NOSYSTEM: '1' } });
});
afterEach(async () => {
  await killSpawned();
  world.cleanup();
});

/** A custom tool in the catalog's shape, with the given signatures (YAML flow mapping). */
function customTool(id: string, signatures: string, category = 'agent-cli'): string {
  return `  - id: ${id}\n    name: ${id}\n    vendor: Acme\n    homepage: https://acme.example\n    category: ${category}\n    signatures: ${signatures}\n`;
}

interface Finding {
  tool: string;
  kind: string;
  action: string;
  rule: string;
  evidence: { pid?: number; server?: { name: string } };
}

async function timedCheck(extraArgs: string[] = []) {
  const started = Date.now();
  const result = await runCli(['check', '--format', 'json', ...extraArgs], world, {}, { timeoutMs: KILL_AFTER_MS });
  return { result, ms: Date.now() - started };
}

/** Our own long-running node, whose command line ends with `tail`. */
function nodeWithArgs(tail: string): Promise<SpawnedProcess> {
  return spawnLongRunning(process.execPath, ['-e', 'setTimeout(() => {}, 600000)', tail]);
}

describe('catastrophic policy patterns finish, with the right verdict', () => {
  it('(a+)+$ in a custom tool args pattern, over running command lines', async () => {
    world.write(
      'managed/policy.yaml',
      `default: warn\ntools:\n  hostile-args: block\ncustomTools:\n${customTool('hostile-args', "{processes: {args: ['(a+)+$']}}")}`,
    );
    const near = await nodeWithArgs('a'.repeat(44) + 'b');
    const hit = await nodeWithArgs('a'.repeat(44));
    const { result, ms } = await timedCheck();
    expect(result.exitCode, result.stderr).toBe(1);
    expect(ms).toBeLessThan(KILL_AFTER_MS);
    const findings = json<{ findings: Finding[] }>(result).findings.filter((f) => f.tool === 'hostile-args');
    expect(findings.map((f) => f.evidence.pid)).toContain(hit.pid);
    expect(findings.map((f) => f.evidence.pid)).not.toContain(near.pid);
    expect(findings.every((f) => f.action === 'block')).toBe(true);
  });

  it('^(h+)+$ in an mcp.servers url rule, over a project .mcp.json', async () => {
    world.write('managed/policy.yaml', "default: warn\nmcp:\n  default: allow\n  servers:\n    hostile:\n      url: '^(h+)+$'\n      action: block\n");
    world.write(
      'repo/.mcp.json',
      JSON.stringify({ mcpServers: { near: { url: `${'h'.repeat(40_000)}!` }, exact: { url: 'h'.repeat(40_000) } } }),
    );
    const { result, ms } = await timedCheck();
    expect(ms).toBeLessThan(KILL_AFTER_MS);
    expect(result.exitCode, result.stderr).toBe(1);
    const servers = json<{ findings: Finding[] }>(result).findings.filter((f) => f.kind === 'mcp-server');
    const verdict = (name: string) => servers.filter((f) => f.evidence.server?.name === name).map((f) => [f.action, f.rule]);
    expect(verdict('exact')).toContainEqual(['block', 'mcp.servers.hostile']);
    expect(verdict('near').length).toBeGreaterThan(0);
    expect(verdict('near').every(([action, rule]) => action === 'allow' && rule === 'mcp.default')).toBe(true);
  });

  it('(x+x+)+y in a custom tool commits pattern, in the commit-msg hook', async () => {
    world.write(
      'managed/policy.yaml',
      `default: warn\ntools:\n  hostile-trailer: block\ncustomTools:\n${customTool('hostile-trailer', "{commits: [{pattern: '(x+x+)+y'}]}")}`,
    );
    const hook = async (message: string) => {
      const file = world.write('msg.txt', message);
      const started = Date.now();
      const result = await runCli(['hook', 'run', 'commit-msg', file], world, { GIT_CONFIG_NOSYSTEM: '1' }, { timeoutMs: KILL_AFTER_MS });
      return { result, ms: Date.now() - started };
    };
    const clean = await hook(`Fix\n\n${'x'.repeat(50_000)}\n`);
    expect(clean.ms).toBeLessThan(KILL_AFTER_MS);
    expect(clean.result.exitCode, clean.result.stderr).toBe(0);
    const caught = await hook(`Fix\n\n${'x'.repeat(50_000)}Y\n`);
    expect(caught.ms).toBeLessThan(KILL_AFTER_MS);
    expect(caught.result.exitCode).toBe(1);
    expect(caught.result.stderr).toContain('hostile-trailer');
  });
});

describe('patterns the linear engine cannot run', () => {
  const NOTE = 'aitool runs policy patterns in linear time, so backreferences and lookaround are not available';

  it('a backreference in a repository custom tool is one line on stderr, exit 2', async () => {
    world.write('managed/policy.yaml', 'default: warn\n');
    const rc = world.write('repo/.aitoolrc.yaml', `customTools:\n${customTool('echoes', "{processes: {args: ['(ab)\\1']}}")}`);
    for (const args of [['check'], ['policy', 'validate']]) {
      const result = await runCli(args, world, {}, { timeoutMs: KILL_AFTER_MS });
      expect(result.exitCode).toBe(2);
      expect(result.stderr.trimEnd().split('\n')).toEqual([
        `aitool: ${rc}: customTools[0].signatures.processes.args[0]: pattern not supported: backreference \\1 (write \\xHH for a character code); ${NOTE}`,
      ]);
    }
  });

  it('a lookahead in a managed MCP rule is refused the same way', async () => {
    const managed = world.write('managed/policy.yaml', "mcp:\n  servers:\n    remote:\n      url: '^https?://(?!mcp\\.acme\\.example)'\n      action: block\n");
    const result = await runCli(['check'], world, {}, { timeoutMs: KILL_AFTER_MS });
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([`aitool: ${managed}: mcp.servers.remote.url: pattern not supported: lookahead (?!; ${NOTE}`]);
  });
});

describe('a repository custom tool cannot hide a catalog detection', () => {
  const MANAGED = 'default: warn\ntools:\n  claude-code: block\n';
  const HOUSE_HELPER = `customTools:\n${customTool('house-helper', "{processes: {args: ['(^|/)claude( |$)']}}", 'local-model-runtime')}`;

  /** A process named `claude`: a copy of sleep in a temp PATH folder, ours alone. */
  async function fakeClaude(): Promise<SpawnedProcess> {
    const bin = join(world.root, 'bin');
    mkdirSync(bin, { recursive: true });
    const sleep = execFileSync('sh', ['-c', 'command -v sleep'], { encoding: 'utf8' }).trim();
    copyFileSync(sleep, join(bin, 'claude'));
    execFileSync('chmod', ['755', join(bin, 'claude')]);
    return spawnLongRunning(join(bin, 'claude'), ['600']);
  }

  it('check: both are detected, and the catalog block stands', async () => {
    world.write('managed/policy.yaml', MANAGED);
    world.write('repo/.aitoolrc.yaml', HOUSE_HELPER);
    const claude = await fakeClaude();
    const result = await runCli(['check', '--format', 'json'], world, {}, { timeoutMs: 30_000 });
    expect(result.exitCode, result.stderr).toBe(1);
    const ours = json<{ findings: Finding[] }>(result).findings.filter((f) => f.evidence.pid === claude.pid);
    expect(ours.map((f) => [f.tool, f.action]).sort()).toEqual([
      ['claude-code', 'block'],
      ['house-helper', 'warn'],
    ]);
  });

  it('the pre-commit hook, scanning processes, refuses too', async () => {
    world.write('managed/policy.yaml', `${MANAGED}hook:\n  scanners:\n    processes: true\n`);
    world.write('repo/.aitoolrc.yaml', HOUSE_HELPER);
    await fakeClaude();
    const result = await runCli(['hook', 'run', 'pre-commit'], world, { GIT_CONFIG_NOSYSTEM: '1' }, { timeoutMs: 30_000 });
    // Before, the house helper's warning replaced the block and the commit went through.
    expect(result.exitCode, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/BLOCK +Claude Code \(claude-code,/);
    expect(result.stderr).toContain('house-helper');
  });

  it('a managed custom tool may still stand in for a name-only guess', async () => {
    world.write('managed/policy.yaml', `${MANAGED}${HOUSE_HELPER}`);
    const claude = await fakeClaude();
    const result = await runCli(['check', '--format', 'json'], world, {}, { timeoutMs: 30_000 });
    const ours = json<{ findings: Finding[] }>(result).findings.filter((f) => f.evidence.pid === claude.pid);
    expect(ours.map((f) => [f.tool, f.action])).toEqual([['house-helper', 'warn']]);
  });
});
