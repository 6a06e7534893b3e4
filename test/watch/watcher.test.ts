// The watch cycle over a process table the test controls (pid reuse cannot
// be made to happen on demand with real processes), and the watch loop's
// resilience and shutdown. Real processes: test/watch/cli.test.ts.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RawProcess } from '../../src/host.js';
import type { ProcStat } from '../../src/terminate.js';
import { runWatch } from '../../src/watch/command.js';
import type { EventSink, WatchEvent } from '../../src/watch/events.js';
import type { ProcReader } from '../../src/watch/proc.js';
import { ProcTable, type ProcessTable, type TableChanges } from '../../src/watch/table.js';
import { Watcher } from '../../src/watch/watcher.js';
import { makeWorld, type World } from '../cli/run-cli.js';

/** Pids far above any real one here, so nothing real is ever looked at through them. */
const BASE_PID = 3_000_000;

class FakeProc implements ProcReader {
  readonly processes = new Map<number, { raw: RawProcess; stat: ProcStat }>();

  set(pid: number, startTicks: number, argv: string[], comm = argv[0]!.split('/').at(-1)!): void {
    this.processes.set(pid, {
      raw: { pid, ppid: 1, uid: 1000, name: comm, cmd: argv.join(' '), argv, exe: argv[0]!, startTime: new Date(1e12 + startTicks * 10).toISOString() },
      stat: { comm, state: 'S', ppid: 1, startTicks },
    });
  }

  async pids() {
    return [...this.processes.keys()];
  }

  async stat(pid: number) {
    return this.processes.get(pid)?.stat;
  }

  async full(pid: number) {
    const found = this.processes.get(pid);
    return found && structuredClone(found);
  }
}

let world: World;
let claude: string;
let proc: FakeProc;
beforeEach(() => {
  world = makeWorld();
  mkdirSync(join(world.cwd, '.git'));
  claude = join(world.home, '.local/share/claude/versions/2.0.50');
  proc = new FakeProc();
});
afterEach(() => world.cleanup());

async function watcher(table: ProcessTable = new ProcTable(proc)): Promise<Watcher> {
  return Watcher.create({ cwd: world.cwd, env: world.env, table });
}

async function cycle(w: Watcher): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  await w.cycle((event) => events.push(event));
  return events;
}

const summary = (events: WatchEvent[]) =>
  events.map((e) => (e.event === 'finding' ? `finding ${e.pid} ${e.tool} ${e.trigger} ${e.action}` : e.event === 'gone' ? `gone ${e.pid} ${e.tools.join(',')}` : e.event));

describe('a watch cycle', () => {
  it('reports what was there once, then only what is new; a reused pid is a new process', async () => {
    proc.set(BASE_PID, 100, [claude, '--resume']);
    proc.set(BASE_PID + 1, 110, ['/bin/bash']);
    const w = await watcher();
    expect(summary(await cycle(w))).toEqual([`finding ${BASE_PID} claude-code initial warn`]);
    expect(summary(await cycle(w))).toEqual([]);
    expect(summary(await cycle(w))).toEqual([]);

    // The pid comes back with another start time: the old process is gone, the new one reported.
    proc.set(BASE_PID, 500, [claude]);
    expect(summary(await cycle(w))).toEqual([`gone ${BASE_PID} claude-code`, `finding ${BASE_PID} claude-code started warn`]);

    // bash exec's the agent (same pid and start, new comm): reported as started.
    proc.set(BASE_PID + 1, 110, [claude, '-p', 'fix it']);
    const events = await cycle(w);
    expect(summary(events)).toEqual([`finding ${BASE_PID + 1} claude-code started warn`]);
    expect(events[0]).toMatchObject({ cmd: `${claude} -p fix it`, evidence: { exe: claude, installMethod: 'native' } });
    expect(summary(await cycle(w))).toEqual([]);
  });

  it('holds nothing for processes that ended: the live set only', async () => {
    const w = await watcher();
    for (let i = 0; i < 1000; i++) proc.set(BASE_PID + i, i, i % 2 === 0 ? [claude, String(i)] : ['/usr/bin/sleep', String(i)]);
    const first = await cycle(w);
    expect(first.filter((e) => e.event === 'finding')).toHaveLength(500);
    expect(w.stats()).toEqual({ live: 1000, reported: 500 });
    for (let i = 0; i < 990; i++) proc.processes.delete(BASE_PID + i);
    const events = await cycle(w);
    expect(events.filter((e) => e.event === 'gone')).toHaveLength(495);
    expect(w.stats()).toEqual({ live: 10, reported: 5 });
    proc.processes.clear();
    await cycle(w);
    expect(w.stats()).toEqual({ live: 0, reported: 0 });
  });

  it('does not look at kernel threads', async () => {
    proc.processes.set(BASE_PID, { raw: { pid: BASE_PID, ppid: 2, name: 'kworker/0:1', cmd: '[kworker/0:1]' }, stat: { comm: 'kworker/0:1', state: 'I', ppid: 2, startTicks: 1 } });
    proc.set(BASE_PID + 1, 2, ['/usr/bin/sleep', '1']);
    const w = await watcher();
    const report = await w.cycle(() => undefined);
    expect(report).toMatchObject({ observed: 1, live: 2, aborted: false });
  });
});

describe('the watch loop', () => {
  function memorySink(): EventSink & { events: WatchEvent[] } {
    const events: WatchEvent[] = [];
    return { events, write: (event) => void events.push(event), close: async () => undefined };
  }

  it('logs a cycle that fails and goes on; a stop ends it with a stop event', async () => {
    const inner = new ProcTable(proc);
    let failures = 2;
    const flaky: ProcessTable = {
      get live() {
        return inner.live;
      },
      async refresh(): Promise<TableChanges> {
        if (failures-- > 0) throw new Error('cannot list /proc');
        return inner.refresh();
      },
    };
    proc.set(BASE_PID, 1, [claude]);
    const sink = memorySink();
    const controller = new AbortController();
    const done = runWatch({ cwd: world.cwd, env: world.env, intervalMs: 100, interval: '100ms', sink, stop: controller.signal, table: flaky });
    await waitUntil(() => sink.events.some((e) => e.event === 'finding'));
    controller.abort('SIGTERM');
    await done;
    expect(sink.events.slice(0, 5).map((e) => e.event)).toEqual(['start', 'error', 'error', 'finding', 'ready']);
    expect(sink.events[1]).toMatchObject({ message: 'cannot list /proc' });
    // The baseline is the first table read that worked: what it finds was there at start.
    expect(sink.events[3]).toMatchObject({ trigger: 'initial', pid: BASE_PID });
    expect(sink.events[4]).toMatchObject({ processes: 1 });
    expect(sink.events.slice(5, -1)).toEqual([]);
    expect(sink.events.at(-1)).toMatchObject({ event: 'stop', signal: 'SIGTERM', reason: 'received SIGTERM' });
  });

  it('logs a broken policy at start before refusing to start', async () => {
    world.write('repo/.aitoolrc.yaml', 'tools:\n  claude-cod: block\n');
    const sink = memorySink();
    await expect(runWatch({ cwd: world.cwd, env: world.env, intervalMs: 100, interval: '100ms', sink, stop: new AbortController().signal, table: new ProcTable(proc) })).rejects.toThrow(
      /unknown tool 'claude-cod'/,
    );
    expect(sink.events).toMatchObject([{ event: 'policy-error', key: 'tools.claude-cod', message: expect.stringContaining("did you mean 'claude-code'") }]);
  });
});

async function waitUntil(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
