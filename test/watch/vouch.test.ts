// The watch over the real /proc: a process it has already seen, with no
// finding, is proven by a child that shows up later carrying an agent's
// session markers (a renamed agent binary making its first tool call). Real
// processes the test starts; the first cycle is the watch's baseline over the
// whole machine, and only this test's pids are asserted on.
//
// The test that lets the watch stop a process blocks no catalog tool: its
// tool's one signature is a session marker whose name holds a random token,
// which only the children this test starts carry (the own-agent pattern of
// test/helpers/own-agent.ts, by environment instead of path).
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FindingEvent, WatchEvent } from '../../src/watch/events.js';
import { Watcher } from '../../src/watch/watcher.js';
import { makeWorld, type World } from '../cli/run-cli.js';
import { alive, installNativeBinary, killSpawned, spawnLongRunning, waitFor, type SpawnedProcess } from '../helpers/processes.js';

const linux = process.platform === 'linux' && existsSync('/proc/self/environ');

/** The pids whose parent is `ppid` and whose name is `comm`, from /proc. */
function childrenNamed(ppid: number, comm: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const parent = Number(stat.slice(close + 2).split(' ')[1]);
      if (parent === ppid && name === comm) found.push(Number(entry));
    } catch {
      // Ended while listed.
    }
  }
  return found;
}

/** Whether the process has exec'd and carries `name` in its environment (so a cycle reads the child as it will stay). */
function carries(pid: number, name: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').some((line) => line.startsWith(`${name}=`));
  } catch {
    return false;
  }
}

/**
 * A renamed copy of a shell that idles (polling for `go`, so it keeps
 * starting children that vouch for nothing) until the test creates `go`,
 * then starts `/bin/sh` with the variables in `$MARKERS` set, and waits.
 */
async function startRenamedAgent(world: World, name: string, markers: string): Promise<{ agent: SpawnedProcess; go: string; binary: string }> {
  const binary = await installNativeBinary(join(world.root, 'opt', name));
  const go = join(world.root, `${name}.go`);
  const script = `while [ ! -e "$GO" ]; do sleep 0.1; done; env $MARKERS /bin/sh -c 'sleep 60; :'; :`;
  const agent = await spawnLongRunning(binary, ['-c', script], { env: { PATH: '/usr/bin:/bin', HOME: world.home, GO: go, MARKERS: markers.replace('$BINARY', binary) } });
  return { agent, go, binary };
}

async function cycle(w: Watcher): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  await w.cycle((event) => events.push(event));
  return events;
}

const findingsOf = (events: readonly WatchEvent[], pid: number) => events.filter((e): e is FindingEvent => e.event === 'finding' && e.pid === pid);

let world: World;
beforeAll(() => {
  world = makeWorld();
});
afterEach(() => killSpawned());
afterAll(() => world.cleanup());

describe.skipIf(!linux)('a new child vouching for a process the watch has seen', () => {
  it('reports the renamed agent when its first tool call starts, with the child as evidence', async () => {
    const policyFile = world.write('warn.yaml', 'default: warn\n');
    const { agent, go, binary } = await startRenamedAgent(world, 'devhelper', 'CLAUDECODE=1 CLAUDE_CODE_EXECPATH=$BINARY');
    const w = await Watcher.create({ cwd: world.cwd, env: world.env, policyFile });

    // The baseline: a shell under another name, with no child that says anything.
    expect(findingsOf(await cycle(w), agent.pid)).toEqual([]);
    // New children that carry no marker make it no finding either (it is looked at again, and is nothing).
    await waitFor(() => (childrenNamed(agent.pid, 'sleep').length > 0 ? true : undefined));
    expect(findingsOf(await cycle(w), agent.pid)).toEqual([]);

    writeFileSync(go, '');
    const [child] = await waitFor(() => {
      const found = childrenNamed(agent.pid, 'sh').filter((pid) => carries(pid, 'CLAUDECODE'));
      return found.length > 0 ? found : undefined;
    });
    const events = await cycle(w);
    const findings = findingsOf(events, agent.pid);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      trigger: 'child',
      tool: 'claude-code',
      confidence: 'confirmed',
      action: 'warn',
      evidence: { pid: agent.pid, exe: binary, proof: 'child', child: { pid: child, name: 'sh' } },
    });
    expect(findings[0]!.evidence.matched).toContain(`child pid ${child}`);
    expect(findings[0]!.terminate).toBeUndefined();

    // Reported once: the next cycles have nothing new about it.
    expect(findingsOf(await cycle(w), agent.pid)).toEqual([]);
  });

  it('reports again, confirmed, a process it had reported by its name only', async () => {
    const policyFile = world.write('warn.yaml', 'default: warn\n');
    // Named like Claude Code's executable, in a folder that proves nothing: name-only.
    const { agent, go } = await startRenamedAgent(world, 'claude', 'CLAUDECODE=1 CLAUDE_CODE_EXECPATH=$BINARY');
    const w = await Watcher.create({ cwd: world.cwd, env: world.env, policyFile });
    expect(findingsOf(await cycle(w), agent.pid)).toMatchObject([{ trigger: 'initial', tool: 'claude-code', confidence: 'name-only', evidence: { proof: 'name' } }]);

    writeFileSync(go, '');
    const [child] = await waitFor(() => {
      const found = childrenNamed(agent.pid, 'sh').filter((pid) => carries(pid, 'CLAUDECODE'));
      return found.length > 0 ? found : undefined;
    });
    expect(findingsOf(await cycle(w), agent.pid)).toMatchObject([{ trigger: 'child', tool: 'claude-code', confidence: 'confirmed', evidence: { proof: 'child', child: { pid: child } } }]);
    expect(findingsOf(await cycle(w), agent.pid)).toEqual([]);
  });

  it('applies the rule that stops the tool to the parent a child proved', async () => {
    const token = randomBytes(8).toString('hex').toUpperCase();
    const marker = `AITOOL_TEST_SESSION_${token}`;
    const id = `test-agent-${token.toLowerCase()}`;
    const policy = [
      'default: allow',
      'customTools:',
      `  - id: ${id}`,
      `    name: Test agent ${token}`,
      '    vendor: aitool test suite',
      '    homepage: https://example.test',
      '    category: agent-cli',
      '    signatures:',
      `      env: [{ name: ${marker}, value: '^1$' }]`,
      'tools:',
      `  ${id}: { action: block, terminate: true }`,
      'termination:',
      '  graceMs: 1000',
      '',
    ].join('\n');
    const policyFile = world.write('own.yaml', policy);
    const { agent, go } = await startRenamedAgent(world, 'worker', `${marker}=1`);
    const w = await Watcher.create({ cwd: world.cwd, env: world.env, policyFile });

    const baseline = await cycle(w);
    expect(findingsOf(baseline, agent.pid)).toEqual([]);
    // Nothing on the machine but this test's children carries the token: nothing is stopped.
    expect(baseline.filter((e) => e.event === 'terminated')).toEqual([]);

    writeFileSync(go, '');
    const [child] = await waitFor(() => {
      const found = childrenNamed(agent.pid, 'sh').filter((pid) => carries(pid, marker));
      return found.length > 0 ? found : undefined;
    });
    const events = await cycle(w);
    expect(findingsOf(events, agent.pid)).toMatchObject([{ trigger: 'child', tool: id, action: 'block', terminate: true, evidence: { proof: 'child', child: { pid: child } } }]);
    const terminated = events.filter((e) => e.event === 'terminated');
    expect(terminated).toMatchObject([{ pid: agent.pid, tool: id, outcome: 'stopped' }]);
    await waitFor(() => (alive(agent.pid) ? undefined : true), 5000, 'the agent to end');
  });
});
