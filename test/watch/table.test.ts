// The watch's process table: pid + start time as identity, exec and
// fork/exec races seen, ended processes pruned; and the /proc reader built
// exactly like host.ts's listing (terminate.ts compares the two).
import { afterEach, describe, expect, it } from 'vitest';
import { createHost, type RawProcess } from '../../src/host.js';
import { readProcessIdentity, type ProcStat } from '../../src/terminate.js';
import { bootTimeForTermination, procReader, type ProcReader } from '../../src/watch/proc.js';
import { ListedTable, ProcTable, type TableChanges } from '../../src/watch/table.js';
import { killSpawned, spawnLongRunning } from '../helpers/processes.js';

interface FakeProcess {
  raw: RawProcess;
  stat: ProcStat;
}

/** A /proc whose processes a test sets, counting what the table reads. */
class FakeProc implements ProcReader {
  readonly processes = new Map<number, FakeProcess>();
  fullReads: number[] = [];
  statReads = 0;
  /** Pids listed but gone by the time they are read. */
  vanishing = new Set<number>();

  set(pid: number, startTicks: number, comm: string, cmd: string, ppid = 1): void {
    const argv = cmd.split(' ');
    this.processes.set(pid, {
      raw: { pid, ppid, name: comm, cmd, argv, exe: argv[0]!, startTime: new Date(startTicks * 10).toISOString() },
      stat: { comm, state: 'S', ppid, startTicks },
    });
  }

  async pids(): Promise<number[] | undefined> {
    return [...this.processes.keys(), ...this.vanishing];
  }

  async stat(pid: number): Promise<ProcStat | undefined> {
    this.statReads += 1;
    const found = this.processes.get(pid);
    return found && { ...found.stat };
  }

  async full(pid: number): Promise<FakeProcess | undefined> {
    this.fullReads.push(pid);
    const found = this.processes.get(pid);
    return found && structuredClone(found);
  }
}

const pids = (changes: TableChanges) => ({
  added: changes.added.map((e) => e.key),
  changed: changes.changed.map((e) => e.key),
  gone: changes.gone.map((e) => e.key),
});

describe('ProcTable', () => {
  it('reads new pids in full, once more on the next cycle, then only their stat', async () => {
    const proc = new FakeProc();
    proc.set(10, 100, 'bash', '/bin/bash');
    proc.set(11, 110, 'sleep', 'sleep 60', 10);
    const table = new ProcTable(proc);

    expect(pids(await table.refresh())).toEqual({ added: ['10@100', '11@110'], changed: [], gone: [] });
    expect(proc.fullReads).toEqual([10, 11]);
    proc.fullReads = [];
    expect(pids(await table.refresh())).toEqual({ added: [], changed: [], gone: [] });
    expect(proc.fullReads.sort()).toEqual([10, 11]);
    proc.fullReads = [];
    proc.statReads = 0;
    expect(pids(await table.refresh())).toEqual({ added: [], changed: [], gone: [] });
    expect(proc.fullReads).toEqual([]);
    expect(proc.statReads).toBe(2);
  });

  it('prunes ended processes: gone once, and no longer held', async () => {
    const proc = new FakeProc();
    for (let pid = 100; pid < 1100; pid++) proc.set(pid, pid, 'sleep', `sleep ${pid}`);
    const table = new ProcTable(proc);
    await table.refresh();
    expect(table.live.size).toBe(1000);
    for (let pid = 100; pid < 1090; pid++) proc.processes.delete(pid);
    const changes = await table.refresh();
    expect(changes.gone).toHaveLength(990);
    expect(table.live.size).toBe(10);
    expect((await table.refresh()).gone).toEqual([]);
  });

  it('a pid back with another start time is a new process: the old one is gone', async () => {
    const proc = new FakeProc();
    proc.set(20, 200, 'claude', '/opt/claude');
    const table = new ProcTable(proc);
    await table.refresh();
    await table.refresh();
    proc.set(20, 999, 'claude', '/opt/claude');
    expect(pids(await table.refresh())).toEqual({ added: ['20@999'], changed: [], gone: ['20@200'] });
    expect(table.live.get(20)?.key).toBe('20@999');
    // Reused between the first read and the settling one: the same.
    proc.set(20, 1500, 'x', '/bin/x');
    expect(pids(await table.refresh())).toEqual({ added: ['20@1500'], changed: [], gone: ['20@999'] });
  });

  it('sees an exec (same pid and start, another comm) and reads the new program', async () => {
    const proc = new FakeProc();
    proc.set(30, 300, 'sh', '/bin/sh -c exec-it');
    const table = new ProcTable(proc);
    await table.refresh();
    await table.refresh();
    proc.set(30, 300, 'claude', '/opt/claude --resume');
    const changes = await table.refresh();
    expect(pids(changes)).toEqual({ added: [], changed: ['30@300'], gone: [] });
    expect(changes.changed[0]!.raw.cmd).toBe('/opt/claude --resume');
  });

  it('sees a process first read between fork and exec, even when the new program has the same comm', async () => {
    const proc = new FakeProc();
    // The child of a node process, read before its exec: the parent's command line.
    proc.set(40, 400, 'node', '/usr/bin/node /srv/app.js');
    const table = new ProcTable(proc);
    await table.refresh();
    proc.set(40, 400, 'node', '/usr/bin/node /usr/lib/node_modules/@anthropic-ai/claude-code/cli.js');
    const changes = await table.refresh();
    expect(pids(changes)).toEqual({ added: [], changed: ['40@400'], gone: [] });
    expect(changes.changed[0]!.raw.cmd).toContain('claude-code');
  });

  it('keeps ppid current from stat (re-parenting), and skips pids that vanish before their read', async () => {
    const proc = new FakeProc();
    proc.set(50, 500, 'sleep', 'sleep 1', 49);
    proc.vanishing.add(51);
    const table = new ProcTable(proc);
    expect(pids(await table.refresh())).toEqual({ added: ['50@500'], changed: [], gone: [] });
    await table.refresh();
    proc.set(50, 500, 'sleep', 'sleep 1', 1);
    await table.refresh();
    expect(table.live.get(50)?.raw.ppid).toBe(1);
    expect(table.live.has(51)).toBe(false);
  });

  it('throws when /proc cannot be listed (the cycle logs it and the watch goes on)', async () => {
    const table = new ProcTable({ pids: async () => undefined, stat: async () => undefined, full: async () => undefined });
    await expect(table.refresh()).rejects.toThrow('cannot list /proc');
  });
});

describe('ListedTable', () => {
  it('diffs full listings by pid and start time (name when there is none)', async () => {
    let listing: RawProcess[] = [
      { pid: 1, ppid: 0, name: 'init', cmd: 'init', startTime: '2024-01-01T00:00:00.000Z' },
      { pid: 7, ppid: 1, name: 'claude', cmd: 'claude', startTime: '2024-01-01T00:00:01.000Z' },
      { pid: 8, ppid: 1, name: 'notepad.exe', cmd: 'notepad.exe' },
    ];
    const table = new ListedTable({ listProcesses: async () => listing });
    expect((await table.refresh()).added.map((e) => e.key)).toEqual(['1@2024-01-01T00:00:00.000Z', '7@2024-01-01T00:00:01.000Z', '8@notepad.exe']);
    listing = [
      listing[0]!,
      { pid: 7, ppid: 1, name: 'claude', cmd: 'claude', startTime: '2024-01-01T00:05:00.000Z' },
      { pid: 8, ppid: 1, name: 'codex.exe', cmd: 'codex.exe' },
      { pid: 9, ppid: 1, name: 'bash', cmd: 'bash' },
    ];
    expect(pids(await table.refresh())).toEqual({
      added: ['7@2024-01-01T00:05:00.000Z', '8@codex.exe', '9@bash'],
      changed: [],
      gone: ['7@2024-01-01T00:00:01.000Z', '8@notepad.exe'],
    });
    listing = [listing[0]!, { pid: 9, ppid: 1, name: 'bash', cmd: 'bash -l' }];
    expect(pids(await table.refresh())).toEqual({ added: [], changed: ['9@bash'], gone: ['7@2024-01-01T00:05:00.000Z', '8@codex.exe'] });
    expect(table.live.size).toBe(2);
  });
});

describe('the /proc reader', () => {
  afterEach(killSpawned);

  it('builds a process exactly as host.listProcesses() and terminate.ts see it', async () => {
    const child = await spawnLongRunning('/bin/sh', ['-c', 'sleep 300; :', 'arg with  spaces', '', 'x']);
    const reader = procReader(await bootTimeForTermination());
    const listed = new Map((await createHost().listProcesses()).map((raw) => [raw.pid, raw]));
    for (const pid of [child.pid, process.pid, process.ppid]) {
      const read = await reader.full(pid);
      expect(read?.raw).toEqual(listed.get(pid));
      const identity = await readProcessIdentity(pid);
      expect(read?.raw.startTime).toBe(identity?.startTime);
      expect(read?.raw.cmd).toBe(identity?.cmd);
      expect((await reader.stat(pid))?.startTicks).toBe(read?.stat.startTicks);
    }
    expect((await reader.pids())?.includes(child.pid)).toBe(true);
    await child.kill();
    expect(await reader.full(child.pid)).toBeUndefined();
    expect(await reader.stat(child.pid)).toBeUndefined();
  });
});
