/**
 * Real long-running processes for tests, with a chosen executable path,
 * argv0 and arguments. Each is started in its own process group so that
 * kill() also ends what it spawned; killSpawned() ends all of them (call it
 * in afterEach/afterAll).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, chmod, mkdir, readFile, readlink, realpath } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface SpawnedProcess {
  pid: number;
  child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  /** Ends the process and its process group, and waits for it to exit. */
  kill(): Promise<void>;
}

export interface SpawnOptions {
  /** argv[0] as the process sees it (defaults to `file`). */
  argv0?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

const spawned = new Set<SpawnedProcess>();

/**
 * Starts `file` with `args` and resolves once the exec has happened (so
 * /proc/<pid>/exe and cmdline are the new program's).
 */
export async function spawnLongRunning(file: string, args: readonly string[], options: SpawnOptions = {}): Promise<SpawnedProcess> {
  const child = spawn(file, args, {
    ...(options.argv0 !== undefined ? { argv0: options.argv0 } : {}),
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    env: options.env ?? process.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  // libuv reports a failed exec as an 'error' event; a successful spawn fires 'spawn' after the exec.
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  const pid = child.pid!;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const handle: SpawnedProcess = {
    pid,
    child,
    stdout: () => output,
    async kill() {
      spawned.delete(handle);
      killOwnGroup(child);
      await exited;
    },
  };
  spawned.add(handle);
  return handle;
}

/**
 * SIGKILL to the process group of `child`, a group leader this test started
 * (`detached: true`). The group outlives its leader while anything the
 * leader started is left in it, and those are ended too; Linux keeps the
 * number reserved while the group has members. Once the leader has exited
 * and been reaped, though, a process that has its pid now is someone else's
 * and could lead a group of that number: then nothing is signalled.
 */
export function killOwnGroup(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) return;
  const leaderReaped = child.exitCode !== null || child.signalCode !== null;
  if (leaderReaped && pidInUse(pid)) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Whether some process has this pid now (signal 0 sends nothing; EPERM means it exists and is not ours). */
function pidInUse(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `pid` is a process spawnLongRunning() started and has not ended yet. */
export function isSpawnedHere(pid: number): boolean {
  return [...spawned].some((handle) => handle.pid === pid);
}

/** Ends every process spawned by spawnLongRunning() that is still running. */
export async function killSpawned(): Promise<void> {
  await Promise.all([...spawned].map((handle) => handle.kill()));
}

/** The real path of a shell that stays put under `-c` (dash; /bin/sh's target otherwise). */
export async function shellBinary(): Promise<string> {
  for (const candidate of ['/bin/dash', '/usr/bin/dash', '/bin/sh']) {
    try {
      return await realpath(candidate);
    } catch {
      // Try the next one.
    }
  }
  throw new Error('no POSIX shell found to copy');
}

/** Puts a copy of a real native binary (a shell) at `path`, executable. */
export async function installNativeBinary(path: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await copyFile(await shellBinary(), path);
  await chmod(path, 0o755);
  return path;
}

/**
 * Runs the native binary at `path` as `<path> -c 'sleep 300; :' <extraArgs...>`:
 * it stays alive (the `; :` keeps the shell from exec-replacing itself with
 * sleep), and its /proc exe, comm and cmdline are those of `path` and the args.
 */
export function spawnNativeBinary(path: string, extraArgs: readonly string[] = [], options: SpawnOptions = {}): Promise<SpawnedProcess> {
  return spawnLongRunning(path, ['-c', 'sleep 300; :', ...extraArgs], options);
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Linux only: what /proc says a process is running (resolves once `exe` is `expectedExe`, e.g. after a shim execs). */
export async function waitForExe(pid: number, expectedExe: string, timeoutMs = 5000): Promise<void> {
  await waitFor(async () => ((await readlink(`/proc/${pid}/exe`).catch(() => '')) === expectedExe ? true : undefined), timeoutMs, `pid ${pid} to exec ${expectedExe}`);
}

/** Linux only: the argv of a running process. */
export async function procArgv(pid: number): Promise<string[]> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
  return raw.split('\0').filter((part, index, all) => index < all.length - 1 || part !== '');
}

/** Whether a process with this pid exists (signal 0 sends nothing). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
