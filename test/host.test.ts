import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createFixtureHost,
  createHost,
  FIXTURE_REGISTRY_FILE,
  queryRegistryKeys,
  REG_QUERY_MAX_BYTES,
  regExePath,
  UNINSTALL_KEYS,
} from '../src/host.js';
import { killSpawned, spawnLongRunning, waitFor } from './helpers/processes.js';
import { makeSymlink, makeTempDir, removeTempDirs, writeFile } from './helpers/temp.js';

afterEach(async () => {
  await killSpawned();
  await removeTempDirs();
});

describe('createHost', () => {
  it('takes home and PATH from the environment it is given', () => {
    const host = createHost({ env: { HOME: '/home/ada/', PATH: '/usr/bin::/home/ada/.local/bin:relative' } });
    expect(host.os).toBe('linux');
    expect(host.home).toBe('/home/ada');
    expect(host.pid).toBe(process.pid);
    expect(host.pathEntries()).toEqual(['/usr/bin', '', '/home/ada/.local/bin', 'relative']);
  });

  it('falls back to the account home folder without HOME, and to no PATH entries without PATH', () => {
    const host = createHost({ env: {} });
    expect(host.home).toBe(homedir());
    expect(host.pathEntries()).toEqual([]);
  });

  it('reports file types without following links, and follows them for stat and realpath', async () => {
    const dir = await makeTempDir();
    await writeFile(join(dir, 'real/file.txt'), 'hello');
    await makeSymlink(join(dir, 'link'), 'real/file.txt');
    await makeSymlink(join(dir, 'dangling'), 'nowhere');
    await makeSymlink(join(dir, 'loop-a'), 'loop-b');
    await makeSymlink(join(dir, 'loop-b'), 'loop-a');
    const host = createHost({ env: { HOME: dir } });

    expect((await host.lstat(`${dir}/link`))?.type).toBe('symlink');
    expect((await host.stat(`${dir}/link`))?.type).toBe('file');
    expect((await host.stat(`${dir}/link`))?.size).toBe(5);
    expect(await host.realpath(`${dir}/link`)).toBe(`${dir}/real/file.txt`);
    expect((await host.lstat(`${dir}/dangling`))?.type).toBe('symlink');
    expect(await host.stat(`${dir}/dangling`)).toBeUndefined();
    expect(await host.lstat(`${dir}/missing`)).toBeUndefined();
    await expect(host.realpath(`${dir}/loop-a`)).rejects.toMatchObject({ code: 'ELOOP' });
    await expect(host.realpath(`${dir}/dangling`)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(host.readdir(`${dir}/real/file.txt`)).rejects.toMatchObject({ code: 'ENOTDIR' });
    expect(await host.readdir(dir)).toEqual(
      expect.arrayContaining([
        { name: 'real', type: 'directory' },
        { name: 'link', type: 'symlink' },
      ]),
    );
  });

  it('readdir fails as readdir(3) does, ENOENT included (made without a stack, as scans expect it by the hundred)', async () => {
    const dir = await makeTempDir();
    await writeFile(join(dir, 'folder/file.txt'), 'hello');
    await makeSymlink(join(dir, 'dangling'), join(dir, 'nowhere'));
    await makeSymlink(join(dir, 'loop-a'), join(dir, 'loop-b'));
    await makeSymlink(join(dir, 'loop-b'), join(dir, 'loop-a'));
    await makeSymlink(join(dir, 'to-folder'), join(dir, 'folder'));
    const host = createHost({ env: { HOME: dir } });
    const missing = await host.readdir(join(dir, 'absent')).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(Error);
    expect(missing).toMatchObject({ code: 'ENOENT', path: join(dir, 'absent') });
    await expect(host.readdir(join(dir, 'dangling'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(host.readdir(join(dir, 'folder/file.txt'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(host.readdir(join(dir, 'folder/file.txt/below'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    await expect(host.readdir(join(dir, 'loop-a'))).rejects.toMatchObject({ code: 'ELOOP' });
    expect(await host.readdir(join(dir, 'to-folder'))).toEqual([{ name: 'file.txt', type: 'file' }]);
  });

  it('reads regular files up to the cap and never opens FIFOs, devices or folders', async () => {
    const dir = await makeTempDir();
    await writeFile(join(dir, 'big.txt'), 'x'.repeat(10_000));
    await makeSymlink(join(dir, 'to-big'), 'big.txt');
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const host = createHost({ env: {} });

    expect(await host.readTextFile(`${dir}/big.txt`, 100)).toBe('x'.repeat(100));
    expect(await host.readTextFile(`${dir}/to-big`, 20_000)).toHaveLength(10_000);
    expect((await host.lstat(`${dir}/pipe`))?.type).toBe('fifo');
    // Opening a FIFO for reading blocks until a writer comes; this would hang the test.
    expect(await host.readTextFile(`${dir}/pipe`, 100)).toBeUndefined();
    expect(await host.readTextFile('/dev/zero', 100)).toBeUndefined();
    expect(await host.readTextFile(dir, 100)).toBeUndefined();
    expect(await host.readTextFile(`${dir}/missing`, 100)).toBeUndefined();
  });

  it('lists processes with the kernel name, exact argv, exe and start time from /proc', async () => {
    // Like Claude up to 2.0: a node program that sets its title. ps-list would call it `node`.
    const started = Date.now();
    const child = await spawnLongRunning(process.execPath, ['-e', 'process.title = "claude"; setInterval(() => {}, 1000)', 'one arg', '']);
    const host = createHost();
    const listed = await waitFor(async () => {
      const found = (await host.listProcesses()).find((p) => p.pid === child.pid);
      return found?.name === 'claude' ? found : undefined;
    });
    expect(listed.ppid).toBe(process.pid);
    expect(listed.exe).toBe(realpathSync(process.execPath));
    // The title overwrote the argv area; the zeroed rest is not a list of empty arguments.
    expect(listed.argv).toEqual(['claude']);
    expect(listed.uid).toBe(process.getuid!());
    expect(Math.abs(Date.parse(listed.startTime!) - started)).toBeLessThan(3000);
  });

  it('splits argv on NUL, keeping spaces inside arguments', async () => {
    const child = await spawnLongRunning('/bin/sh', ['-c', 'sleep 300; :', 'arg with spaces', '--flag=a b']);
    const listed = (await createHost().listProcesses()).find((p) => p.pid === child.pid);
    expect(listed?.argv).toEqual(['/bin/sh', '-c', 'sleep 300; :', 'arg with spaces', '--flag=a b']);
    expect(listed?.cmd).toBe('/bin/sh -c sleep 300; : arg with spaces --flag=a b');
  });

  it('lists the same processes, parents and owners as ps does', async () => {
    await spawnLongRunning('/bin/sh', ['-c', 'sleep 300; :']);
    const psTable = () =>
      new Map(
        execFileSync('ps', ['-e', '-o', 'pid=,ppid=,uid=,args='], { encoding: 'utf8' })
          .split('\n')
          .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s(.*)$/.exec(line))
          .filter((found): found is RegExpExecArray => found !== null)
          .map((found) => [Number(found[1]), { ppid: Number(found[2]), uid: Number(found[3]), args: found[4]!.trim() }] as const),
      );
    // Other test files start and end processes meanwhile: compare only those ps saw alike before and after our listing.
    const before = psTable();
    const listing = await createHost().listProcesses();
    const after = psTable();
    const stable = [...before].filter(([pid, row]) => {
      const again = after.get(pid);
      return again !== undefined && again.ppid === row.ppid && again.uid === row.uid && again.args === row.args;
    });
    const ours = new Map(listing.map((p) => [p.pid, p]));
    expect(stable.length).toBeGreaterThan(10);
    for (const [pid, { ppid, uid }] of stable) expect([pid, ours.get(pid)?.ppid, ours.get(pid)?.uid]).toEqual([pid, ppid, uid]);
    // Kernel threads keep their bracketed name, as ps shows them.
    const kernelThreads = stable.filter(([, row]) => /^\[.+\]$/.test(row.args));
    for (const [pid, { args }] of kernelThreads) expect(ours.get(pid)?.cmd).toBe(args);
  });
});

describe('the chain of a process, on this machine', () => {
  it('runs from the process up through its parents, each with its own command line, and ends at pid 1', async () => {
    // sh, which starts another sh, which starts a sleep: three processes of this test's own, in a chain.
    const outer = await spawnLongRunning('/bin/sh', ['-c', 'sh -c "sleep 30; :" outer-marker-1; :', 'chain-test']);
    const sleepPid = await waitFor(() => {
      const inner = execFileSync('ps', ['-o', 'pid=', '--ppid', String(outer.pid)], { encoding: 'utf8' }).trim();
      if (!inner) return undefined;
      const sleep = execFileSync('ps', ['-o', 'pid=', '--ppid', inner], { encoding: 'utf8' }).trim();
      return sleep ? Number(sleep) : undefined;
    });
    const chain = await createHost({ env: {} }).processChain(sleepPid);
    expect(chain[0]).toMatchObject({ pid: sleepPid, argv: ['sleep', '30'] });
    expect(chain[1]!.argv).toEqual(['sh', '-c', 'sleep 30; :', 'outer-marker-1']);
    expect(chain[2]).toMatchObject({ pid: outer.pid, argv: ['/bin/sh', '-c', 'sh -c "sleep 30; :" outer-marker-1; :', 'chain-test'] });
    // Each one's parent is the next in the chain, this test's own process is in it, and it ends at the top.
    for (let i = 0; i + 1 < chain.length; i++) expect(chain[i]!.ppid).toBe(chain[i + 1]!.pid);
    expect(chain.map((raw) => raw.pid)).toContain(process.pid);
    expect(chain.at(-1)!.ppid).toBe(0);
  });

  it('is empty for a pid that names no process', async () => {
    expect(await createHost({ env: {} }).processChain(2 ** 22 + 12345)).toEqual([]);
  });
});

describe('createFixtureHost', () => {
  it('maps a macOS layout, following links whose targets are logical paths', async () => {
    const root = await makeTempDir();
    await writeFile(join(root, 'Users/ada/.local/share/claude/versions/2.1.197'), 'binary', 0o755);
    // An absolute target in the layout means the logical path, not this machine's /Users.
    await makeSymlink(join(root, 'Users/ada/.local/bin/claude'), '/Users/ada/.local/share/claude/versions/2.1.197');
    await makeSymlink(join(root, 'usr/local/bin/gemini'), '../lib/node_modules/@google/gemini-cli/dist/index.js');
    await writeFile(join(root, 'usr/local/lib/node_modules/@google/gemini-cli/dist/index.js'), 'js');
    await makeSymlink(join(root, 'loop'), '/loop');
    const host = createFixtureHost({ os: 'macos', root, home: '/Users/ada', env: { PATH: '/usr/local/bin:/Users/ada/.local/bin' } });

    expect(host.home).toBe('/Users/ada');
    expect(host.pathEntries()).toEqual(['/usr/local/bin', '/Users/ada/.local/bin']);
    expect(await host.realpath('/Users/ada/.local/bin/claude')).toBe('/Users/ada/.local/share/claude/versions/2.1.197');
    expect(await host.realpath('/usr/local/bin/gemini')).toBe('/usr/local/lib/node_modules/@google/gemini-cli/dist/index.js');
    expect((await host.stat('/Users/ada/.local/bin/claude'))?.mode).toBe(0o755);
    expect((await host.lstat('/Users/ada/.local/bin/claude'))?.type).toBe('symlink');
    expect(await host.readTextFile('/Users/ada/.local/bin/claude', 100)).toBe('binary');
    expect((await host.readdir('/Users/ada/.local/bin')).map((e) => e.name)).toEqual(['claude']);
    await expect(host.realpath('/loop')).rejects.toMatchObject({ code: 'ELOOP' });
    await expect(host.realpath('/Users/ada/missing')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('maps Windows drive paths, with either slash, to a drive folder and back', async () => {
    const root = await makeTempDir();
    await writeFile(join(root, 'C/Users/ada/AppData/Roaming/Claude/config.json'), '{}');
    const host = createFixtureHost({
      os: 'windows',
      root,
      home: 'C:\\Users\\ada',
      env: { Path: 'C:\\Users\\ada\\AppData\\Roaming\\npm;"C:\\Program Files\\nodejs";;C:\\Windows' },
    });

    expect(host.home).toBe('C:/Users/ada');
    expect(host.pathEntries()).toEqual(['C:/Users/ada/AppData/Roaming/npm', 'C:/Program Files/nodejs', '', 'C:/Windows']);
    expect((await host.lstat('C:\\Users\\ada\\AppData\\Roaming\\Claude'))?.type).toBe('directory');
    expect(await host.realpath('C:/Users/ada/AppData/Roaming/Claude/config.json')).toBe('C:/Users/ada/AppData/Roaming/Claude/config.json');
    expect(await host.readTextFile('C:/Users/ada/AppData/Roaming/Claude/config.json', 10)).toBe('{}');
  });

  it('returns the processes it was given', async () => {
    const root = await makeTempDir();
    const host = createFixtureHost({ os: 'linux', root, home: '/home/ada', processes: [{ pid: 7, ppid: 1, name: 'claude', cmd: 'claude' }] });
    expect(await host.listProcesses()).toEqual([{ pid: 7, ppid: 1, name: 'claude', cmd: 'claude' }]);
  });
});

describe('the Windows registry', () => {
  it('is read only on Windows hosts', async () => {
    expect(createHost({ env: {} }).readRegistryUninstall).toBeUndefined();
    const root = await makeTempDir();
    await writeFile(join(root, FIXTURE_REGISTRY_FILE), 'HKEY_CURRENT_USER\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Kiro\r\n');
    expect(createFixtureHost({ os: 'linux', root, home: '/home/ada' }).readRegistryUninstall).toBeUndefined();
    expect(createFixtureHost({ os: 'macos', root, home: '/Users/ada' }).readRegistryUninstall).toBeUndefined();
  });

  it('reads a Windows fixture layout from its captured reg query output, or no programs without one', async () => {
    const root = await makeTempDir();
    const captured = '\r\nHKEY_CURRENT_USER\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\Kiro\r\n    DisplayName    REG_SZ    Kiro (User)\r\n';
    await writeFile(join(root, '__registry__/uninstall.txt'), captured);
    const host = createFixtureHost({ os: 'windows', root, home: 'C:/Users/ada' });
    expect(await host.readRegistryUninstall!(new AbortController().signal)).toEqual({ text: captured, problems: [] });

    const empty = createFixtureHost({ os: 'windows', root: await makeTempDir(), home: 'C:/Users/ada' });
    expect(await empty.readRegistryUninstall!(new AbortController().signal)).toEqual({ text: '', problems: [] });

    const aborted = new AbortController();
    aborted.abort(new Error('budget'));
    await expect(host.readRegistryUninstall!(aborted.signal)).rejects.toThrow('budget');
  });

  it('reads no more of a capture than of reg.exe, cut at a whole line', async () => {
    const root = await makeTempDir();
    const line = '    Inno Setup: Selected Tasks    REG_SZ    addcontextmenufiles,addcontextmenufolders,addtopath\r\n';
    await writeFile(join(root, FIXTURE_REGISTRY_FILE), line.repeat(Math.ceil((REG_QUERY_MAX_BYTES + 1000) / line.length)));
    const read = await createFixtureHost({ os: 'windows', root, home: 'C:/Users/ada' }).readRegistryUninstall!(new AbortController().signal);
    expect(read.text.length).toBeLessThanOrEqual(REG_QUERY_MAX_BYTES);
    expect(read.text.endsWith(line)).toBe(true);
    expect(read.problems).toEqual([{ key: FIXTURE_REGISTRY_FILE, message: `larger than ${REG_QUERY_MAX_BYTES} bytes; only the lines before that were read` }]);
  });

  it('runs the system reg.exe by its absolute path under SystemRoot', () => {
    expect(regExePath({})).toBe('C:\\Windows\\System32\\reg.exe');
    expect(regExePath({ SystemRoot: 'D:\\WINDOWS\\' })).toBe('D:\\WINDOWS\\System32\\reg.exe');
    expect(regExePath({ SYSTEMROOT: 'E:/Win' })).toBe('E:\\Win\\System32\\reg.exe');
    // Not an absolute drive path, or one that climbs out: the default.
    expect(regExePath({ SystemRoot: 'Windows' })).toBe('C:\\Windows\\System32\\reg.exe');
    expect(regExePath({ SystemRoot: 'C:\\Users\\ada\\..\\..\\evil' })).toBe('C:\\Windows\\System32\\reg.exe');
    expect(regExePath({ SystemRoot: 'C:\\Windows" & calc' })).toBe('C:\\Windows\\System32\\reg.exe');
    expect(UNINSTALL_KEYS).toEqual([
      'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall',
      'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall',
      'HKCU\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall',
    ]);
  });

  describe('through a stand-in reg.exe', () => {
    /** Behaves like reg.exe by the key it is asked about; `query <key> /s` is echoed back as a value. */
    const STAND_IN = [
      '#!/bin/sh',
      'case "$2" in',
      '  *Missing*) echo "ERROR: The system was unable to find the specified registry key or value." >&2; exit 1 ;;',
      '  *Denied*) echo "ERROR: Access is denied." >&2; exit 1 ;;',
      '  *Slow*) exec sleep 30 ;;',
      '  *Big*) i=0; while [ $i -lt 5000 ]; do printf "%s\\\\App%d\\r\\n    DisplayName    REG_SZ    App %d\\r\\n\\r\\n" "$2" $i $i; i=$((i+1)); done; exit 0 ;;',
      'esac',
      // stdin must be closed: with an open pipe, `read` would wait until the timeout.
      'if read -r line; then echo "stdin was open"; fi',
      'printf "\\r\\n%s\\r\\n    Args    REG_SZ    %s %s %s (%d)\\r\\n\\r\\n" "$2" "$1" "$2" "$3" $#',
    ].join('\n');

    async function standIn(): Promise<string> {
      const dir = await makeTempDir();
      return writeFile(join(dir, 'reg.exe'), `${STAND_IN}\n`, 0o755);
    }

    it('queries each key with /s, concurrently, and passes over keys that do not exist', async () => {
      const reg = await standIn();
      const started = performance.now();
      const read = await queryRegistryKeys(reg, ['HKLM\\SOFTWARE\\Apps', 'HKCU\\Missing', 'HKCU\\SOFTWARE\\Apps'], new AbortController().signal);
      expect(read.problems).toEqual([]);
      expect(read.text).toBe(
        '\r\nHKLM\\SOFTWARE\\Apps\r\n    Args    REG_SZ    query HKLM\\SOFTWARE\\Apps /s (3)\r\n\r\n' +
          '\r\nHKCU\\SOFTWARE\\Apps\r\n    Args    REG_SZ    query HKCU\\SOFTWARE\\Apps /s (3)\r\n\r\n',
      );
      expect(performance.now() - started).toBeLessThan(1500);
    });

    it('reports a key that timed out or failed, and keeps the keys that were read', async () => {
      const reg = await standIn();
      const started = performance.now();
      const read = await queryRegistryKeys(reg, ['HKLM\\Slow', 'HKLM\\Denied', 'HKCU\\Apps'], new AbortController().signal, { timeoutMs: 300 });
      expect(read.problems).toEqual([
        { key: 'HKLM\\Slow', message: 'reg.exe timed out after 300 ms' },
        { key: 'HKLM\\Denied', message: 'reg.exe exited with code 1: ERROR: Access is denied.' },
      ]);
      expect(read.text).toContain('query HKCU\\Apps /s');
      expect(performance.now() - started).toBeLessThan(3000);
    });

    it('reads no more than the cap, cut at a whole line', async () => {
      const reg = await standIn();
      const read = await queryRegistryKeys(reg, ['HKCU\\Big'], new AbortController().signal, { maxBytes: 10_000 });
      expect(read.problems).toEqual([{ key: 'HKCU\\Big', message: 'reg.exe printed more than 10000 characters; only the lines before that were read' }]);
      expect(read.text.length).toBeGreaterThan(9000);
      expect(read.text.length).toBeLessThanOrEqual(10_000);
      expect(read.text.endsWith('\n')).toBe(true);
      expect(read.text.startsWith('HKCU\\Big\\App0\r\n    DisplayName    REG_SZ    App 0\r\n')).toBe(true);
    });

    it('reports a reg.exe that cannot be started', async () => {
      const dir = await makeTempDir();
      const read = await queryRegistryKeys(join(dir, 'missing', 'reg.exe'), ['HKCU\\Apps'], new AbortController().signal);
      expect(read).toEqual({ text: '', problems: [{ key: 'HKCU\\Apps', message: 'reg.exe could not be started (ENOENT)' }] });
    });

    it('stops reg.exe and rejects when the signal aborts', async () => {
      const reg = await standIn();
      const controller = new AbortController();
      const started = performance.now();
      const reading = queryRegistryKeys(reg, ['HKLM\\Slow'], controller.signal, { timeoutMs: 20_000 });
      setTimeout(() => controller.abort(new Error('budget')), 100);
      await expect(reading).rejects.toThrow('budget');
      expect(performance.now() - started).toBeLessThan(3000);
      const aborted = new AbortController();
      aborted.abort(new Error('already'));
      await expect(queryRegistryKeys(reg, ['HKCU\\Apps'], aborted.signal)).rejects.toThrow('already');
    });
  });
});
