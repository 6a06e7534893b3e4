/**
 * Which environments the process scanner reads: only those that can speak
 * for a tool (a process that could be one, its parent, its children). A tree
 * of system programs is listed but its environments are not read, and an
 * agent's shells still are (they vouch for it).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHost, type Host, type RawProcess } from '../../src/host.js';
import { environmentsWorthReading, processesScanner } from '../../src/scanners/processes.js';
import type { ProcessObservation } from '../../src/types.js';
import { installNativeBinary, killSpawned, procArgv, spawnLongRunning } from '../helpers/processes.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';
import { emptyProbes } from '../../src/scanners/probes.js';

const proc = (pid: number, ppid: number, exe: string | undefined, argv: string[]): RawProcess => ({
  pid,
  ppid,
  name: argv[0] ?? '',
  cmd: argv.join(' '),
  argv,
  ...(exe === undefined ? {} : { exe }),
});

describe('environmentsWorthReading', () => {
  it('reads a possible tool, its parent and its children; not a tree of system programs', () => {
    const table = [
      proc(1, 0, '/usr/lib/systemd/systemd', ['/sbin/init']),
      proc(10, 1, '/usr/bin/bash', ['bash']),
      proc(11, 10, '/usr/bin/sleep', ['sleep', '300']),
      proc(12, 10, '/usr/bin/sleep', ['sleep', '300']),
      // A Node CLI, its shell parent and the shell it spawned.
      proc(20, 10, '/usr/bin/node', ['node', '/home/ada/.npm-global/bin/pi']),
      proc(21, 20, '/usr/bin/bash', ['bash', '-c', 'make']),
      proc(22, 21, '/usr/bin/make', ['make']),
      // A renamed binary in a user's folder and its child.
      proc(30, 1, '/home/ada/bin/devhelper', ['devhelper']),
      proc(31, 30, '/usr/bin/sh', ['sh']),
      // argv[0] alone names the interpreter (the exe could not be read).
      proc(40, 1, undefined, ['python3', 'agent.py']),
    ];
    const byPid = new Map(table.map((raw) => [raw.pid, raw]));
    expect([...environmentsWorthReading(table, byPid)].sort((a, b) => a - b)).toEqual([1, 10, 20, 21, 30, 31, 40]);
  });
});

describe.runIf(process.platform === 'linux')('environments read on this machine', () => {
  afterEach(async () => {
    await killSpawned();
    await removeTempDirs();
  });

  function counting(host: Host): { host: Host; read: Set<number> } {
    const read = new Set<number>();
    const read_ = host.processEnvironment!;
    const wrapped = Object.create(host) as Host & { processEnvironment: Host['processEnvironment'] };
    wrapped.processEnvironment = (pid, wanted) => {
      read.add(pid);
      return read_.call(host, pid, wanted);
    };
    return { host: wrapped, read };
  }

  it('skips system programs under system programs, still reads an agent and the shell it spawned', async () => {
    const shellEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
    const plain = await spawnLongRunning('/bin/sh', ['-c', 'sleep 300 & sleep 300 & wait'], { env: { ...shellEnv, CLAUDECODE: '1' } });
    const devhelper = await installNativeBinary(`${await makeTempDir()}/devhelper`);
    const agent = await spawnLongRunning(devhelper, ['-c', "CLAUDECODE=1 /bin/sh -c 'sleep 300; :'; :"], { env: shellEnv });
    // Both trees' children have started.
    const childrenOf = async (pid: number) => (await import('node:fs/promises')).readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').then((t) => t.trim().split(/\s+/).filter(Boolean).map(Number), () => []);
    for (let i = 0; i < 1000 && ((await childrenOf(plain.pid)).length < 2 || (await childrenOf(agent.pid)).length < 1); i++) await new Promise((r) => setTimeout(r, 10));
    const sleeps = await childrenOf(plain.pid);
    // The agent's child has exec'd the shell (before that it is a fork of the agent, with its environment).
    for (let i = 0; i < 1000 && !(await procArgv((await childrenOf(agent.pid))[0] ?? 0).catch((): string[] => [])).includes('sleep 300; :'); i++) await new Promise((r) => setTimeout(r, 10));
    const [agentShell] = await childrenOf(agent.pid);
    expect(sleeps).toHaveLength(2);

    const { host, read } = counting(createHost());
    const observations = (await processesScanner.scan({
      host,
      probes: emptyProbes({ envNames: new Set(['CLAUDECODE']) }),
      signal: new AbortController().signal,
      note: () => undefined,
    })) as ProcessObservation[];
    const byPid = new Map(observations.map((o) => [o.pid, o]));
    // Listed, all of them.
    for (const pid of [plain.pid, ...sleeps, agent.pid, agentShell!]) expect(byPid.has(pid)).toBe(true);
    // The system programs' environments are not read; the agent's and its shell's are.
    for (const pid of sleeps) expect(read.has(pid)).toBe(false);
    expect(read.has(agent.pid)).toBe(true);
    expect(read.has(agentShell!)).toBe(true);
    expect(byPid.get(agent.pid)?.children?.find((c) => c.pid === agentShell)?.variables).toContainEqual({ name: 'CLAUDECODE', value: '1' });
  });
});
