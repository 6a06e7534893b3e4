// `aitool watch` through the built CLI (npm run build first), against real
// processes: a copy of a shell installed where Claude Code's native installer
// puts its versions, under a temp HOME, so a running copy is claude-code.
//
// The watch reads the machine's real process table, so no test here blocks a
// catalog tool: a "block claude-code, terminate" policy would stop every real
// Claude Code session of the user running the suite. Tests that block or stop
// use their own agent (test/helpers/own-agent.ts), a custom tool only the
// copies this test starts can match; the managed layer is the test's own file
// (AITOOL_MANAGED_POLICY), and test/setup/no-system-policy.ts refuses to run
// the suite where an installed system policy would take its place.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeOwnAgentTool, ownAgentPolicy, type OwnAgentTool } from '../helpers/own-agent.js';
import { alive, installNativeBinary, killSpawned, spawnNativeBinary, waitFor, waitForExe, type SpawnedProcess } from '../helpers/processes.js';
import { BIN, makeWorld, type World } from '../cli/run-cli.js';

interface Event {
  time: string;
  event: string;
  [key: string]: unknown;
}

interface Watch {
  child: ChildProcess;
  /** Every line parsed so far (stdout, or the log file when given). */
  events(): Event[];
  /** Resolves with the first event (in order) after `from` that matches. */
  next(predicate: (event: Event) => boolean, what: string, timeoutMs?: number): Promise<Event>;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const INTERVAL = '200ms';
const watches = new Set<ChildProcess>();

function parseLines(text: string): Event[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Event);
}

function startWatch(world: World, args: string[] = [], logFile?: string): Watch {
  const child = spawn(process.execPath, [BIN, 'watch', '--interval', INTERVAL, ...(logFile ? ['--log', logFile] : []), ...args], {
    cwd: world.cwd,
    env: world.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  watches.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      watches.delete(child);
      resolve({ code, signal });
    }),
  );
  const events = (): Event[] => {
    const text = logFile ? readFileOr(logFile) : stdout;
    // Only whole lines: the last one may still be on its way.
    return parseLines(text.slice(0, text.lastIndexOf('\n') + 1));
  };
  return {
    child,
    events,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    next: (predicate, what, timeoutMs = 10_000) =>
      waitFor(
        () => {
          if (child.exitCode !== null) throw new Error(`watch exited (${child.exitCode}) while waiting for ${what}: ${stderr}`);
          return events().find(predicate);
        },
        timeoutMs,
        what,
      ),
  };
}

function readFileOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

const ofPid = (pid: number, event: string) => (e: Event) => e.event === event && e.pid === pid;

let world: World;
let managed: string;
/** A copy of a shell where Claude Code's installer puts it: detected as claude-code, never blocked here. */
let binary: string;
let own: OwnAgentTool;

async function startAgent(): Promise<SpawnedProcess> {
  const agent = await spawnNativeBinary(binary);
  await waitForExe(agent.pid, binary);
  return agent;
}

async function startOwnAgent(): Promise<SpawnedProcess> {
  const agent = await spawnNativeBinary(own.binary);
  await waitForExe(agent.pid, own.binary);
  return agent;
}

/** A project policy about the test's own agent only (every catalog tool allowed). */
function writeOwnPolicy(rule: string, extra = ''): string {
  return writePolicy(ownAgentPolicy(own, rule, extra));
}

function writePolicy(text: string): string {
  return world.write('repo/.aitoolrc.yaml', text);
}

beforeEach(async () => {
  world = makeWorld();
  // A repository: the project policy search stops here.
  mkdirSync(join(world.cwd, '.git'));
  // A managed layer of the test's own, so that one on the machine cannot block a catalog tool here.
  managed = world.write('managed/policy.yaml', '# Sets nothing: the built-in default stands.\n{}\n');
  world.env.AITOOL_MANAGED_POLICY = managed;
  binary = await installNativeBinary(join(world.home, '.local/share/claude/versions/2.0.50'));
  own = await makeOwnAgentTool(world.root);
});
afterEach(async () => {
  for (const child of watches) child.kill('SIGKILL');
  await killSpawned();
  world.cleanup();
});

describe('aitool watch', () => {
  it('reports a process started during the watch within one interval, and the one already running once', async () => {
    const before = await startAgent();
    const watch = startWatch(world);
    const start = await watch.next((e) => e.event === 'start', 'start');
    expect(start).toMatchObject({ interval: INTERVAL, intervalMs: 200, source: 'proc', policy: { files: [{ layer: 'managed', file: managed }], warnings: [] } });
    const initial = await watch.next(ofPid(before.pid, 'finding'), 'the initial finding');
    expect(initial).toMatchObject({ trigger: 'initial', tool: 'claude-code', action: 'warn', rule: 'default', cmd: expect.stringContaining(binary) });
    await watch.next((e) => e.event === 'ready', 'ready');

    const spawnedAt = Date.now();
    const agent = await startAgent();
    const finding = await watch.next(ofPid(agent.pid, 'finding'), 'the new finding', 5000);
    const latency = Date.now() - spawnedAt;
    expect(finding).toMatchObject({
      trigger: 'started',
      tool: 'claude-code',
      toolName: 'Claude Code',
      confidence: 'confirmed',
      action: 'warn',
      rule: 'default',
      pid: agent.pid,
      cmd: `${binary} -c sleep 300; :`,
      evidence: { pid: agent.pid, exe: binary, matched: expect.any(String) },
      alternatives: [],
    });
    // One interval, plus the cycle that reads it and the pipe: a generous bound for a loaded 2-core CI machine.
    expect(latency).toBeLessThan(1500);

    // Five intervals later, each has still been reported only once.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(watch.events().filter(ofPid(before.pid, 'finding'))).toHaveLength(1);
    expect(watch.events().filter(ofPid(agent.pid, 'finding'))).toHaveLength(1);

    // An ended process leaves the watch's set: `gone`, once.
    await before.kill();
    const gone = await watch.next(ofPid(before.pid, 'gone'), 'gone');
    expect(gone).toMatchObject({ tools: ['claude-code'], cmd: expect.stringContaining(binary) });
    watch.child.kill('SIGINT');
    expect(await watch.exited).toEqual({ code: 0, signal: null });
    expect(watch.events().filter(ofPid(before.pid, 'gone'))).toHaveLength(1);
  });

  it('stops a process the policy says to stop, with terminate.ts and its report', async () => {
    writeOwnPolicy('{ action: block, terminate: true, reason: Not approved., alternatives: [qoder] }', 'termination:\n  graceMs: 2000\n');
    const watch = startWatch(world);
    await watch.next((e) => e.event === 'ready', 'ready');
    const agent = await startOwnAgent();
    const finding = await watch.next(ofPid(agent.pid, 'finding'), 'the finding');
    expect(finding).toMatchObject({ trigger: 'started', tool: own.id, action: 'block', rule: `tools.${own.id}`, terminate: true, reason: 'Not approved.' });
    expect((finding.alternatives as Array<{ id: string }>).map((a) => a.id)).toEqual(['qoder']);
    const terminated = await watch.next(ofPid(agent.pid, 'terminated'), 'the termination');
    expect(terminated).toMatchObject({ tool: own.id, outcome: 'stopped', signals: ['SIGTERM'], uid: process.getuid!() });
    // Nothing but this test's own agent was a candidate.
    expect(watch.events().filter((e) => e.event === 'terminated' && e.pid !== agent.pid)).toEqual([]);
    await waitFor(() => (agent.child.exitCode !== null || agent.child.signalCode !== null ? true : undefined), 5000, 'the agent to exit');
    expect(agent.child.signalCode).toBe('SIGTERM');
    await watch.next(ofPid(agent.pid, 'gone'), 'gone');
    watch.child.kill('SIGTERM');
    expect((await watch.exited).code).toBe(0);
  });

  it('reloads an edited policy and applies it; a broken edit is reported once and the last good policy stays', async () => {
    const policy = writeOwnPolicy('warn');
    const watch = startWatch(world);
    const start = await watch.next((e) => e.event === 'start', 'start');
    expect(start.policy).toMatchObject({ files: [{ layer: 'managed', file: managed }, { layer: 'project', file: policy }] });
    await watch.next((e) => e.event === 'ready', 'ready');
    const first = await startOwnAgent();
    await watch.next((e) => ofPid(first.pid, 'finding')(e) && e.action === 'warn', 'the warn finding');

    // Valid edit: reloaded, and the new verdict applies to what runs (and is stopped, as the rule says).
    writeOwnPolicy('{ action: block, terminate: true }', 'termination:\n  graceMs: 1000\n');
    const reloaded = await watch.next((e) => e.event === 'policy-reloaded', 'policy-reloaded');
    expect(reloaded).toMatchObject({ files: [{ layer: 'managed', file: managed }, { layer: 'project', file: policy }], warnings: [] });
    expect(reloaded.recovered).toBeUndefined();
    const reapplied = await watch.next((e) => ofPid(first.pid, 'finding')(e) && e.action === 'block', 'the new verdict on the running agent');
    expect(reapplied).toMatchObject({ trigger: 'policy', rule: `tools.${own.id}`, terminate: true });
    expect(await watch.next(ofPid(first.pid, 'terminated'), 'its termination')).toMatchObject({ outcome: 'stopped' });
    const second = await startOwnAgent();
    expect(await watch.next(ofPid(second.pid, 'finding'), 'a new agent under the new policy')).toMatchObject({ trigger: 'started', action: 'block' });
    await watch.next(ofPid(second.pid, 'terminated'), 'its termination');

    // Broken edit: one policy-error naming the file and the key; the last good policy stays in force.
    writeOwnPolicy('{ action: blok }');
    const error = await watch.next((e) => e.event === 'policy-error', 'policy-error');
    expect(error).toMatchObject({ file: policy, key: `tools.${own.id}.action`, message: expect.stringContaining("'blok'") });
    // Saved again unchanged (new mtime): not news.
    const later = new Date(Date.now() + 5000);
    utimesSync(policy, later, later);
    const third = await startOwnAgent();
    expect(await watch.next(ofPid(third.pid, 'finding'), 'an agent under the kept policy')).toMatchObject({ action: 'block', terminate: true });
    await watch.next(ofPid(third.pid, 'terminated'), 'its termination');
    expect(watch.events().filter((e) => e.event === 'policy-error')).toHaveLength(1);

    // Fixed: reloaded, marked as recovered.
    writeOwnPolicy('warn');
    expect(await watch.next((e) => e.event === 'policy-reloaded' && e.recovered === true, 'recovery')).toBeDefined();
    // Nothing but this test's own agents was a candidate.
    const ours = [first.pid, second.pid, third.pid];
    expect(watch.events().filter((e) => e.event === 'terminated' && !ours.includes(e.pid as number))).toEqual([]);
    watch.child.kill('SIGINT');
    expect((await watch.exited).code).toBe(0);
  });

  it('notices a project policy that appears after the start', async () => {
    const watch = startWatch(world);
    await watch.next((e) => e.event === 'ready', 'ready');
    const policy = writeOwnPolicy('block');
    expect(await watch.next((e) => e.event === 'policy-reloaded', 'policy-reloaded')).toMatchObject({ files: [{ layer: 'managed', file: managed }, { layer: 'project', file: policy }] });
    const agent = await startOwnAgent();
    expect(await watch.next(ofPid(agent.pid, 'finding'), 'the finding')).toMatchObject({ action: 'block', rule: `tools.${own.id}` });
    expect(alive(agent.pid)).toBe(true);
    watch.child.kill('SIGINT');
    expect((await watch.exited).code).toBe(0);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`exits cleanly on ${signal}: exit 0, a stop line, a complete log`, async () => {
      const log = join(world.root, 'logs', 'watch.jsonl');
      mkdirSync(join(world.root, 'logs'));
      // A line from an earlier run: the log is appended to, never truncated.
      writeFileSync(log, '{"time":"2020-01-01T00:00:00.000Z","event":"stop","reason":"earlier","cycles":1}\n');
      const agent = await startAgent();
      const watch = startWatch(world, [], log);
      await watch.next((e) => e.event === 'ready', 'ready');
      await watch.next(ofPid(agent.pid, 'finding'), 'the finding');
      watch.child.kill(signal);
      expect(await watch.exited).toEqual({ code: 0, signal: null });
      expect(watch.stderr()).toBe('');
      const text = readFileSync(log, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      const lines = text.split('\n').slice(0, -1);
      // Every line parses, each with an ISO time and an event.
      const events = lines.map((line) => JSON.parse(line) as Event);
      for (const event of events) {
        expect(Object.keys(event).slice(0, 2)).toEqual(['time', 'event']);
        expect(new Date(event.time).toISOString()).toBe(event.time);
      }
      expect(events[0]).toMatchObject({ reason: 'earlier' });
      expect(events[1]?.event).toBe('start');
      expect(events.at(-1)).toMatchObject({ event: 'stop', signal, reason: `received ${signal}` });
      expect((events.at(-1)!.cycles as number) >= 1).toBe(true);
      expect(events.filter((e) => e.event === 'stop')).toHaveLength(2);
      // Nothing on stdout when logging to a file.
      expect(watch.stdout()).toBe('');
    });
  }

  it('writes to stdout without --log, and stops with a stop line there', async () => {
    const watch = startWatch(world);
    await watch.next((e) => e.event === 'ready', 'ready');
    watch.child.kill('SIGTERM');
    expect(await watch.exited).toEqual({ code: 0, signal: null });
    expect(watch.events().at(-1)).toMatchObject({ event: 'stop', signal: 'SIGTERM' });
  });

  it('refuses a bad interval, a log it cannot open, and a broken policy at start, in one line with exit 2', async () => {
    for (const bad of ['soon', '50ms', '-1s']) {
      const watch = startWatch(world, ['--interval', bad]);
      expect(await watch.exited).toEqual({ code: 2, signal: null });
      expect(watch.stderr()).toMatch(/^aitool: --interval: .*\n$/);
    }
    const noLog = startWatch(world, [], join(world.root, 'missing-folder', 'watch.jsonl'));
    expect(await noLog.exited).toEqual({ code: 2, signal: null });
    expect(noLog.stderr()).toMatch(/^aitool: .*missing-folder\/watch\.jsonl: cannot open the log \(ENOENT\)\n$/);

    writePolicy('default: blok\n');
    const log = join(world.root, 'watch.jsonl');
    const watch = startWatch(world, [], log);
    expect(await watch.exited).toEqual({ code: 2, signal: null });
    expect(watch.stderr()).toMatch(/^aitool: .*\.aitoolrc\.yaml: default: expected one of allow \| warn \| block, got 'blok'.*\n$/);
    expect(parseLines(readFileSync(log, 'utf8'))).toMatchObject([{ event: 'policy-error', key: 'default' }]);
  });
});
