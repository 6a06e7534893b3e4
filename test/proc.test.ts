/**
 * /proc reads start with a small buffer and grow: what they return must be
 * the whole file up to the cap, never the first buffer's worth. The
 * processes read are this test's own children.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { CMDLINE_MAX_BYTES, ENVIRON_MAX_BYTES, readLinuxProcess, readProcEnviron, readProcStatNow } from '../src/proc.js';

const children: ChildProcess[] = [];

function sleeper(args: string[], env: Record<string, string>, uid?: number): ChildProcess {
  const child = spawn('sleep', ['30', ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: 'ignore', ...(uid === undefined ? {} : { uid, gid: uid }) });
  children.push(child);
  return child;
}

async function started(child: ChildProcess): Promise<number> {
  await new Promise((resolve) => child.once('spawn', resolve));
  // spawn fires after fork; wait for the exec, after which cmdline is sleep's.
  for (let i = 0; i < 1000; i++) {
    const read = await readLinuxProcess(child.pid!, undefined);
    if (read?.raw.argv?.[0] === 'sleep') return child.pid!;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('child did not start');
}

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

describe.runIf(process.platform === 'linux')('bounded /proc reads', () => {
  it('reads an environment far larger than the first read, whole', async () => {
    const big = 'x'.repeat(40_000);
    const pid = await started(sleeper([], { BEFORE: 'a', BIG: big, AFTER_MARKER: 'z' }));
    const environment = await readProcEnviron(pid, (name) => name === 'BIG' || name === 'AFTER_MARKER' || name === 'BEFORE');
    expect(environment?.get('BIG')).toBe(big);
    expect(environment?.get('AFTER_MARKER')).toBe('z');
    expect(environment?.get('BEFORE')).toBe('a');
  });

  it('drops the variable cut by the cap, keeps the ones before it', async () => {
    // One variable is at most 128 KiB (MAX_ARG_STRLEN): three of 60,000 bytes pass the cap inside the third.
    const sixty = 'y'.repeat(60_000);
    const pid = await started(sleeper([], { EARLY: 'yes', HUGE1: sixty, HUGE2: sixty, HUGE3: sixty }));
    const environment = await readProcEnviron(pid, () => true);
    expect(environment?.get('EARLY')).toBe('yes');
    expect(environment?.get('HUGE1')).toBe(sixty);
    expect(environment?.get('HUGE2')).toBe(sixty);
    expect(environment?.has('HUGE3')).toBe(false);
    expect(ENVIRON_MAX_BYTES).toBeLessThan(3 * 60_000);
  });

  it('a process read from a stat line taken earlier is gone, not half there, once it has ended (a chain is walked first, then read)', async () => {
    const child = sleeper([], {});
    const pid = await started(child);
    const line = readProcStatNow(pid);
    expect(line).toBeDefined();
    expect((await readLinuxProcess(pid, undefined, line))?.raw.argv).toEqual(['sleep', '30']);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    // Reaped: its /proc entry is gone, and only the stat line read before says it was there.
    expect(await readLinuxProcess(pid, undefined, line)).toBeUndefined();
  });

  it("the owner: this user's process, and (as root) another user's", async () => {
    const mine = await started(sleeper([], {}));
    expect((await readLinuxProcess(mine, undefined))?.raw.uid).toBe(process.getuid!());
    if (process.getuid!() !== 0) return;
    const nobody = await started(sleeper([], {}, 65534));
    expect((await readLinuxProcess(nobody, undefined))?.raw.uid).toBe(65534);
  });

  it('a kernel thread: its name in brackets, no exe, no argv (neither is read)', async () => {
    const kthreadd = await readLinuxProcess(2, undefined);
    if (kthreadd?.raw.name !== 'kthreadd') return; // a container without the kernel's threads in its pid namespace
    expect(kthreadd.raw).toMatchObject({ pid: 2, cmd: '[kthreadd]' });
    expect(kthreadd.raw.exe).toBeUndefined();
    expect(kthreadd.raw.argv).toBeUndefined();
  });

  it('reads a command line longer than the first read, and cuts one longer than the cap at the cap', async () => {
    // sleep sums its arguments: long runs of zeros are valid ones, so it stays up.
    const long = '0'.repeat(10_000);
    const pid = await started(sleeper([long, '1'], {}));
    expect((await readLinuxProcess(pid, undefined))?.raw.argv).toEqual(['sleep', '30', long, '1']);

    const parts = Array.from({ length: 10 }, () => '0'.repeat(10_000));
    const cut = await started(sleeper(parts, {}));
    const argv = (await readLinuxProcess(cut, undefined))?.raw.argv ?? [];
    expect(argv.join('\0').length).toBe(CMDLINE_MAX_BYTES);
    expect(argv.slice(0, 3)).toEqual(['sleep', '30', parts[0]]);
  });
});
