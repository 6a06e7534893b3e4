// `aitool service install|uninstall --system`, through the built CLI, always
// into a staging tree (--root): never the real /etc, /Library or /var, and
// systemctl, launchctl and schtasks are never run (stand-ins on PATH prove it).
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, makeWorld, runCli, type World } from '../cli/run-cli.js';
import { treeSnapshot } from '../helpers/tree-snapshot.js';

let world: World;
let stage: string;
let env: Record<string, string>;
beforeEach(() => {
  world = makeWorld();
  stage = join(world.root, 'stage');
  mkdirSync(stage);
  // Stand-ins that leave a trace if anything runs them.
  const fakeBin = join(world.root, 'fake-bin');
  mkdirSync(fakeBin);
  for (const name of ['systemctl', 'launchctl', 'schtasks']) {
    writeFileSync(join(fakeBin, name), `#!/bin/sh\ntouch "${join(world.root, `${name}-ran`)}"\n`);
    chmodSync(join(fakeBin, name), 0o755);
  }
  env = { PATH: `${fakeBin}:${world.env.PATH}` };
});
afterEach(() => {
  for (const name of ['systemctl', 'launchctl', 'schtasks']) expect(existsSync(join(world.root, `${name}-ran`)), name).toBe(false);
  world.cleanup();
});

const cli = (args: string[]) => runCli(['service', ...args], world, env);

/** Every entry under `dir`: path, kind, mode, and a content hash for files. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const full = join(folder, name);
      const info = lstatSync(full);
      const kind = info.isDirectory() ? 'd' : info.isFile() ? 'f' : 'other';
      const hash = info.isFile() ? createHash('sha256').update(readFileSync(full)).digest('hex') : '';
      out.push(`${kind} ${(info.mode & 0o7777).toString(8)} ${full.slice(dir.length)} ${hash}`);
      if (info.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out;
}

/** Runs a short Python program with strict standard-library readers (plistlib, ElementTree): anything malformed raises. */
async function python(program: string, file: string): Promise<unknown> {
  const result = await execa('python3', ['-c', program, file], { reject: false });
  if (result.exitCode !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

/** Exec words of a systemd line whose words are all double-quoted without escapes (the paths here have none). */
const execWords = (unit: string) => [...unit.split('\n').find((l) => l.startsWith('ExecStart='))!.matchAll(/"([^"\\]*)"/g)].map((m) => m[1]);

describe('Linux: systemd system unit', () => {
  const unit = () => join(stage, 'etc/systemd/system/aitool-watch.service');

  it('is written with the watch as root under the managed policy, hardened, and systemd-analyze verify accepts it', async () => {
    const result = await cli(['install', '--system', '--write', '--root', stage, '--os', 'linux']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('Wrote /etc/systemd/system/aitool-watch.service (mode 644).');
    expect(result.stdout).toContain('  systemctl daemon-reload && systemctl enable --now aitool-watch\n');
    const text = readFileSync(unit(), 'utf8');
    expect(lstatSync(unit()).mode & 0o777).toBe(0o644);
    // Absolute node and aitool, the log in /var/log/aitool, and no --policy: the managed layer applies.
    expect(execWords(text)).toEqual([process.execPath, resolve(BIN), 'watch', '--interval', '30s', '--log', '/var/log/aitool/watch.ndjson']);
    const lines = text.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        'Restart=on-failure',
        'LogsDirectory=aitool',
        'LogsDirectoryMode=0750',
        'UMask=0077',
        'NoNewPrivileges=yes',
        'ProtectSystem=strict',
        'ProtectHome=read-only',
        'PrivateTmp=yes',
        'WantedBy=multi-user.target',
      ]),
    );
    // It must see and may signal every user's processes.
    expect(text).not.toMatch(/^(ProtectProc|PrivatePIDs|ProcSubset|User|DynamicUser)=/m);
    expect(lines.find((l) => l.startsWith('CapabilityBoundingSet='))).toContain('CAP_KILL');

    const verify = await execa('/usr/bin/systemd-analyze', ['verify', unit()], { reject: false });
    // Nothing is said about the unit file: any complaint would name it or its unit.
    const about = `${verify.stdout}\n${verify.stderr}`.split('\n').filter((l) => l.includes('aitool-watch'));
    expect(about, verify.stderr).toEqual([]);
    expect(verify.exitCode, verify.stderr).toBe(0);
  });

  it('a second install with nothing changed rewrites no file, its manifest included (an MDM re-runs it at every check-in)', async () => {
    expect((await cli(['install', '--system', '--write', '--root', stage, '--os', 'linux'])).exitCode).toBe(0);
    const before = treeSnapshot(stage);
    const again = await cli(['install', '--system', '--write', '--root', stage, '--os', 'linux']);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stdout).toContain('/etc/systemd/system/aitool-watch.service is already up to date.');
    expect(treeSnapshot(stage)).toEqual(before);
  });

  it('systemd-analyze verify here does catch a broken unit (so its acceptance above means something)', async () => {
    await cli(['install', '--system', '--write', '--root', stage, '--os', 'linux']);
    const broken = join(world.root, 'aitool-watch.service');
    writeFileSync(broken, readFileSync(unit(), 'utf8').replace(/^ExecStart="[^"]*"/m, 'ExecStart="relative/node"'));
    const verify = await execa('/usr/bin/systemd-analyze', ['verify', broken], { reject: false });
    expect(verify.exitCode).not.toBe(0);
    expect(verify.stderr).toContain('aitool-watch.service');
  });

  it('without --write prints the unit and where it goes, writes nothing', async () => {
    const result = await cli(['install', '--system', '--root', stage, '--os', 'linux', '--interval', '10s']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('# /etc/systemd/system/aitool-watch.service (mode 644, owner root)');
    expect(execWords(result.stdout)).toContain('10s');
    expect(result.stderr).toContain('systemctl daemon-reload && systemctl enable --now aitool-watch');
    expect(listing(stage)).toEqual([]);
  });
});

describe('macOS: LaunchDaemon', () => {
  it('is a valid property list with the label, the program, RunAtLoad, KeepAlive and logs under /Library/Logs/aitool', async () => {
    const result = await cli(['install', '--system', '--write', '--root', stage, '--os', 'macos', '--interval', '1m']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('launchctl bootstrap system /Library/LaunchDaemons/com.aitool.watch.plist');
    const plist = join(stage, 'Library/LaunchDaemons/com.aitool.watch.plist');
    expect(lstatSync(plist).mode & 0o777).toBe(0o644);
    expect(lstatSync(join(stage, 'Library/Logs/aitool')).mode & 0o777).toBe(0o750);
    const parsed = await python('import plistlib,sys,json; print(json.dumps(plistlib.load(open(sys.argv[1],"rb"), fmt=plistlib.FMT_XML)))', plist);
    expect(parsed).toEqual({
      Label: 'com.aitool.watch',
      ProgramArguments: [process.execPath, resolve(BIN), 'watch', '--interval', '1m', '--log', '/Library/Logs/aitool/watch.ndjson'],
      WorkingDirectory: '/',
      EnvironmentVariables: { AITOOL_NO_CACHE: '1' },
      RunAtLoad: true,
      KeepAlive: true,
      ThrottleInterval: 30,
      Umask: 0o077,
      StandardOutPath: '/Library/Logs/aitool/watch.out.log',
      StandardErrorPath: '/Library/Logs/aitool/watch.err.log',
    });
  });
});

describe('Windows: scheduled task XML', () => {
  const READ_TASK = `
import sys, json, xml.etree.ElementTree as ET
ns = {"t": "http://schemas.microsoft.com/windows/2004/02/mit/task"}
raw = open(sys.argv[1], "rb").read()
assert raw[:2] == b"\\xff\\xfe", "no UTF-16 LE byte order mark"
root = ET.fromstring(raw)
assert root.tag == "{%s}Task" % ns["t"], root.tag
one = lambda path: [e.text for e in root.findall(path, ns)]
print(json.dumps({
  "logon": len(root.findall("t:Triggers/t:LogonTrigger", ns)),
  "interval": one("t:Triggers/t:TimeTrigger/t:Repetition/t:Interval"),
  "start": one("t:Triggers/t:TimeTrigger/t:StartBoundary"),
  "user": one("t:Principals/t:Principal/t:UserId"),
  "runLevel": one("t:Principals/t:Principal/t:RunLevel"),
  "command": one("t:Actions/t:Exec/t:Command"),
  "arguments": one("t:Actions/t:Exec/t:Arguments"),
}))`;

  it('is well-formed UTF-16 task XML: logon and every N minutes, as SYSTEM with the highest privileges, running check --output', async () => {
    const result = await cli(['install', '--system', '--write', '--root', stage, '--os', 'windows', '--interval', '15m']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('  schtasks /Create /XML "C:\\ProgramData\\aitool\\service\\aitool-task.xml" /TN aitool /F\n');
    const task = await python(READ_TASK, join(stage, 'C/ProgramData/aitool/service/aitool-task.xml'));
    expect(task).toEqual({
      logon: 1,
      interval: ['PT15M'],
      start: ['2024-01-01T00:00:00'],
      user: ['S-1-5-18'],
      runLevel: ['HighestAvailable'],
      // Generated off Windows: the standalone binary where the recipes place it.
      command: ['C:\\Program Files\\aitool\\aitool.exe'],
      arguments: ['check --output C:\\ProgramData\\aitool\\check.json --format json'],
    });
  });

  it('repeats in whole minutes only, and defaults to 5', async () => {
    const odd = await cli(['install', '--system', '--os', 'windows', '--interval', '90s']);
    expect(odd.exitCode).toBe(2);
    expect(odd.stderr).toMatch(/^aitool: --interval: the Windows task repeats in whole minutes, got '90s'$/);
    const printed = await cli(['install', '--system', '--os', 'windows']);
    expect(printed.exitCode, printed.stderr).toBe(0);
    expect(printed.stdout).toContain('<Interval>PT5M</Interval>');
  });
});

describe('uninstall', () => {
  for (const os of ['linux', 'macos', 'windows']) {
    it(`${os}: install then uninstall leaves the tree exactly as before, folders that existed included`, async () => {
      // Something there already, in a folder install also uses: it and its folder stay.
      const keep = os === 'linux' ? 'etc/hostname' : os === 'macos' ? 'Library/Preferences/x.plist' : 'C/ProgramData/other.txt';
      mkdirSync(join(stage, keep, '..'), { recursive: true });
      writeFileSync(join(stage, keep), 'theirs\n');
      const before = listing(stage);

      const installed = await cli(['install', '--system', '--write', '--root', stage, '--os', os]);
      expect(installed.exitCode, installed.stderr).toBe(0);
      expect(listing(stage).length).toBeGreaterThan(before.length);
      // A second install changes nothing and is still removed cleanly.
      const again = await cli(['install', '--system', '--write', '--root', stage, '--os', os]);
      expect(again.stdout).toContain('is already up to date.');

      const removed = await cli(['uninstall', '--system', '--root', stage, '--os', os]);
      expect(removed.exitCode, removed.stderr).toBe(0);
      expect(removed.stderr).toBe('');
      expect(listing(stage)).toEqual(before);
    });
  }

  it('leaves a file changed since install (one line, exit 1) and removes the rest and the manifest', async () => {
    await cli(['install', '--system', '--write', '--root', stage, '--os', 'linux']);
    const unit = join(stage, 'etc/systemd/system/aitool-watch.service');
    writeFileSync(unit, `${readFileSync(unit, 'utf8')}# local edit\n`);
    const removed = await cli(['uninstall', '--system', '--root', stage, '--os', 'linux']);
    expect(removed.exitCode).toBe(1);
    expect(removed.stderr).toBe('aitool: service uninstall: /etc/systemd/system/aitool-watch.service changed since aitool wrote it; left as it is');
    expect(readFileSync(unit, 'utf8')).toContain('# local edit');
    expect(existsSync(join(stage, 'var'))).toBe(false);
    expect(listing(stage).map((l) => l.split(' ')[2])).toEqual(['/etc', '/etc/systemd', '/etc/systemd/system', '/etc/systemd/system/aitool-watch.service']);
  });

  it('keeps the log folder when the service wrote logs into it', async () => {
    await cli(['install', '--system', '--write', '--root', stage, '--os', 'macos']);
    writeFileSync(join(stage, 'Library/Logs/aitool/watch.ndjson'), '{}\n');
    const removed = await cli(['uninstall', '--system', '--root', stage, '--os', 'macos']);
    expect(removed.exitCode, removed.stderr).toBe(0);
    expect(removed.stdout).toContain('Left folder /Library/Logs/aitool: not empty.');
    expect(existsSync(join(stage, 'Library/LaunchDaemons'))).toBe(false);
  });

  it('with nothing installed says so', async () => {
    const result = await cli(['uninstall', '--system', '--root', stage, '--os', 'linux']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('Nothing to uninstall: /var/lib/aitool/service.json does not exist.');
  });
});

describe('refusals (exit 2, one line, nothing written)', () => {
  it('a unit aitool did not write', async () => {
    mkdirSync(join(stage, 'etc/systemd/system'), { recursive: true });
    writeFileSync(join(stage, 'etc/systemd/system/aitool-watch.service'), '[Service]\nExecStart=/bin/true\n');
    const before = listing(stage);
    const result = await cli(['install', '--system', '--write', '--root', stage, '--os', 'linux']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^aitool: service install: \/etc\/systemd\/system\/aitool-watch\.service exists and was not written by aitool[^\n]*$/);
    expect(listing(stage)).toEqual(before);
  });

  it('a link on the way', async () => {
    mkdirSync(join(world.root, 'elsewhere'));
    const { symlinkSync } = await import('node:fs');
    symlinkSync(join(world.root, 'elsewhere'), join(stage, 'etc'));
    const result = await cli(['install', '--system', '--write', '--root', stage, '--os', 'linux']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^aitool: service install: refusing \/etc\/systemd\/system\/aitool-watch\.service: .*symbolic link$/);
    expect(readdirSync(join(world.root, 'elsewhere'))).toEqual([]);
  });

  it('an unprivileged user without --root, for install and uninstall', async () => {
    chmodSync(world.root, 0o755);
    for (const args of [['install', '--system', '--write'], ['uninstall', '--system']]) {
      const result = await runCli(['service', ...args], world, env, { uid: 65534, gid: 65534 });
      expect(result.exitCode).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(`aitool: service ${args[0]}: the system service belongs to root: run it with sudo, or stage it into a folder with --root <dir>`);
    }
  });

  it('another OS without --root, and mixed --user/--system options', async () => {
    const other = await cli(['install', '--system', '--write', '--os', 'macos']);
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toMatch(/^aitool: service install: --os macos on this linux machine writes only into a staging folder: add --root <dir>$/);
    expect((await cli(['install', '--system', '--log', 'x.ndjson'])).exitCode).toBe(2);
    expect((await cli(['install', '--user', '--root', stage])).exitCode).toBe(2);
    expect((await cli(['uninstall'])).exitCode).toBe(2);
    expect(listing(stage)).toEqual([]);
  });
});
