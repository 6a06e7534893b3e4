// `aitool service install`: the systemd unit and the LaunchAgent, for both
// OSes on any machine (the OS is an input), their quoting, and --write.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { readPlistStrings } from '../../src/scanners/plist.js';
import {
  launchAgentPlist,
  PLIST_MARKER,
  serviceFile,
  serviceInstallCommand,
  SYSTEMD_MARKER,
  systemdQuote,
  systemdUnit,
  xmlEscape,
  type ServiceContext,
} from '../../src/watch/service.js';
import { BIN, makeWorld, runCli, type World } from '../cli/run-cli.js';

/**
 * An Exec line split the way systemd documents it (systemd.syntax(7),
 * systemd.service(5)): words separated by spaces, double-quoted words with
 * C-style escapes, `%%` → `%` everywhere, `$$` → `$` in the arguments. Written
 * from the documentation, apart from the code under test, so the two check each other.
 */
function splitExecLine(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ') {
      i++;
      continue;
    }
    if (line[i] !== '"') throw new Error(`unquoted word at ${i}: ${line.slice(i)}`);
    i++;
    let word = '';
    for (;;) {
      const c = line[i++];
      if (c === undefined) throw new Error('unterminated quote');
      if (c === '"') break;
      if (c === '\\') {
        const e = line[i++];
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" };
        if (e === 'x') {
          word += String.fromCharCode(parseInt(line.slice(i, i + 2), 16));
          i += 2;
        } else if (e !== undefined && simple[e] !== undefined) word += simple[e];
        else throw new Error(`unknown escape \\${e}`);
        continue;
      }
      if (c === '%') {
        if (line[i] !== '%') throw new Error(`specifier %${line[i]} in ${line}`);
        i++;
      }
      if (c === '$' && words.length > 0) {
        if (line[i] !== '$') throw new Error(`variable in ${line}`);
        i++;
      }
      word += c;
    }
    words.push(word);
  }
  return words;
}

function execStart(unit: string): string[] {
  const line = unit.split('\n').find((l) => l.startsWith('ExecStart='));
  if (!line) throw new Error('no ExecStart');
  return splitExecLine(line.slice('ExecStart='.length));
}

/** The <string> items of ProgramArguments, XML entities decoded. */
function programArguments(plist: string): string[] {
  const array = /<key>ProgramArguments<\/key>\s*<array>([\s\S]*?)<\/array>/.exec(plist)?.[1] ?? '';
  const decode = (s: string) => s.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name]!);
  return [...array.matchAll(/<string>([^<]*)<\/string>/g)].map((m) => decode(m[1]!));
}

const WEIRD = `/opt/my tools/a"b'c\\d $HOME %h &<x>;`;

function context(os: ServiceContext['os'], overrides: Partial<ServiceContext> = {}): ServiceContext {
  return {
    os,
    home: os === 'macos' ? '/Users/ada' : '/home/ada',
    env: {},
    cwd: '/work/repo',
    nodePath: '/usr/local/bin/node',
    binPath: '/usr/local/lib/node_modules/aitool/bin/aitool.js',
    ...overrides,
  };
}

describe('systemd unit', () => {
  it('runs this node and aitool by absolute paths, restarts on failure, and says it was written by aitool', () => {
    const file = serviceFile({ interval: '45', log: 'logs/watch.jsonl' }, context('linux'));
    expect(file.path).toBe('/home/ada/.config/systemd/user/aitool-watch.service');
    const lines = file.text.split('\n');
    expect(lines[0]).toBe(SYSTEMD_MARKER);
    expect(lines).toEqual(expect.arrayContaining(['[Unit]', '[Service]', 'Restart=on-failure', 'WorkingDirectory=~', '[Install]', 'WantedBy=default.target']));
    // The interval normalised, the log made absolute (the service does not run in this folder).
    expect(execStart(file.text)).toEqual([
      '/usr/local/bin/node',
      '/usr/local/lib/node_modules/aitool/bin/aitool.js',
      'watch',
      '--interval',
      '45s',
      '--log',
      '/work/repo/logs/watch.jsonl',
    ]);
    expect(file.enable).toEqual(['systemctl --user daemon-reload && systemctl --user enable --now aitool-watch']);
    expect(file.output).toBe('its JSON lines go to /work/repo/logs/watch.jsonl');
  });

  it('without --log, the lines go to the journal; $XDG_CONFIG_HOME is honoured when absolute', () => {
    const file = serviceFile({ interval: '30s' }, context('linux', { env: { XDG_CONFIG_HOME: '/cfg' } }));
    expect(file.path).toBe('/cfg/systemd/user/aitool-watch.service');
    expect(execStart(file.text)).toEqual(['/usr/local/bin/node', '/usr/local/lib/node_modules/aitool/bin/aitool.js', 'watch', '--interval', '30s']);
    expect(file.output).toMatch(/journalctl --user -u aitool-watch/);
    expect(serviceFile({ interval: '30s' }, context('linux', { env: { XDG_CONFIG_HOME: 'relative' } })).path).toBe('/home/ada/.config/systemd/user/aitool-watch.service');
  });

  it('quotes paths with spaces, quotes, backslashes, $, % and control characters so systemd reads them back exactly', () => {
    const log = `${WEIRD}\tx\ny\u0001.jsonl`;
    const unit = systemdUnit({ nodePath: '/opt/node $v %i/bin/node', binPath: `${WEIRD}/bin/aitool.js`, interval: '30s', log });
    expect(execStart(unit)).toEqual(['/opt/node $v %i/bin/node', `${WEIRD}/bin/aitool.js`, 'watch', '--interval', '30s', '--log', log]);
    // The whole Exec line stays one line.
    expect(unit.split('\n').filter((l) => l.startsWith('ExecStart='))).toHaveLength(1);
    expect(systemdQuote('a"b')).toBe('"a\\"b"');
    expect(systemdQuote('100%$')).toBe('"100%%$$"');
  });

  it('refuses a node path systemd will not run (quotes, backslashes, control characters in the executable)', () => {
    for (const nodePath of [`/opt/it's/node`, '/opt/a"b/node', '/opt/a\\b/node', '/opt/a\tb/node']) {
      expect(() => serviceFile({ interval: '30s' }, context('linux', { nodePath }))).toThrow(UserError);
    }
  });

  it('refuses a bad interval before writing anything', () => {
    expect(() => serviceFile({ interval: 'often' }, context('linux'))).toThrow(/^--interval: expected a duration/);
    expect(() => serviceFile({ interval: '10ms' }, context('macos'))).toThrow(/^--interval: at least 100ms/);
  });
});

describe('LaunchAgent', () => {
  it('is a property list with the label, the program arguments, RunAtLoad, KeepAlive and where its output goes', () => {
    const file = serviceFile({ interval: '2m', log: '/var/log/aitool.jsonl' }, context('macos'));
    expect(file.path).toBe('/Users/ada/Library/LaunchAgents/com.aitool.watch.plist');
    expect(file.text.split('\n').slice(0, 3)).toEqual([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
      PLIST_MARKER,
    ]);
    expect(programArguments(file.text)).toEqual([
      '/usr/local/bin/node',
      '/usr/local/lib/node_modules/aitool/bin/aitool.js',
      'watch',
      '--interval',
      '2m',
      '--log',
      '/var/log/aitool.jsonl',
    ]);
    const strings = readPlistStrings(Buffer.from(file.text));
    expect(Object.fromEntries(strings)).toEqual({
      Label: 'com.aitool.watch',
      StandardOutPath: '/Users/ada/Library/Logs/aitool-watch.log',
      StandardErrorPath: '/Users/ada/Library/Logs/aitool-watch.err.log',
    });
    expect(file.text).toMatch(/<key>RunAtLoad<\/key>\s*<true\/>/);
    expect(file.text).toMatch(/<key>KeepAlive<\/key>\s*<dict>\s*<key>SuccessfulExit<\/key>\s*<false\/>\s*<\/dict>/);
    expect(file.enable).toEqual([
      'launchctl bootout gui/$(id -u)/com.aitool.watch 2>/dev/null; launchctl bootstrap gui/$(id -u) /Users/ada/Library/LaunchAgents/com.aitool.watch.plist',
    ]);
    // An XML comment may not hold `--`.
    expect(PLIST_MARKER.slice(4, -3)).not.toContain('--');
  });

  it('escapes XML in every path, and refuses characters XML cannot hold', () => {
    const plist = launchAgentPlist({ nodePath: '/n', binPath: `${WEIRD}/aitool.js`, interval: '30s', log: `${WEIRD}\t.jsonl`, stdoutPath: '/a&b', stderrPath: '/c<d' });
    expect(programArguments(plist)).toEqual(['/n', `${WEIRD}/aitool.js`, 'watch', '--interval', '30s', '--log', `${WEIRD}\t.jsonl`]);
    expect(Object.fromEntries(readPlistStrings(Buffer.from(plist)))).toMatchObject({ StandardOutPath: '/a&b', StandardErrorPath: '/c<d' });
    expect(xmlEscape(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&apos;');
    expect(() => xmlEscape('a\u0001b')).toThrow(UserError);
    // The launchctl command quotes a home with spaces for the shell.
    const spaced = serviceFile({ interval: '30s' }, context('macos', { home: "/Users/Ada O'Neil" }));
    expect(spaced.enable[0]).toContain(`bootstrap gui/$(id -u) '/Users/Ada O'\\''Neil/Library/LaunchAgents/com.aitool.watch.plist'`);
  });
});

describe('Windows', () => {
  it('is not supported: one line, a UserError (exit 2)', async () => {
    await expect(serviceInstallCommand({ interval: '30s' }, { cwd: '/', env: {} }, context('windows'))).rejects.toThrow(
      /^service install: Windows is not supported; [^\n]*$/,
    );
  });
});

describe('aitool service install (--write)', () => {
  let world: World;
  beforeEach(() => {
    world = makeWorld();
  });
  afterEach(() => world.cleanup());

  const linux = () => context('linux', { home: world.home, env: world.env, cwd: world.cwd });
  const unitPath = () => join(world.home, '.config/systemd/user/aitool-watch.service');

  it('prints the file on stdout and what to do on stderr, and writes nothing', async () => {
    const result = await serviceInstallCommand({ interval: '30s', user: true }, world, linux());
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(serviceFile({ interval: '30s' }, linux()).text);
    expect(result.stderr).toContain(`save this as ${unitPath()}`);
    expect(result.stderr).toContain('systemctl --user daemon-reload && systemctl --user enable --now aitool-watch');
    expect(existsSync(unitPath())).toBe(false);
  });

  it('writes a new file, leaves an identical one, replaces its own, and never a file aitool did not write', async () => {
    const first = await serviceInstallCommand({ interval: '30s', write: true }, world, linux());
    expect(first.stdout).toMatch(new RegExp(`^Wrote ${unitPath()}\\.\\nTo start it now and at every login, run:\\n  systemctl --user daemon-reload && systemctl --user enable --now aitool-watch\\n`));
    expect(readFileSync(unitPath(), 'utf8')).toBe(serviceFile({ interval: '30s' }, linux()).text);
    expect(statSync(unitPath()).mode & 0o777).toBe(0o644);

    expect((await serviceInstallCommand({ interval: '30s', write: true }, world, linux())).stdout).toMatch(/is already up to date\./);
    const updated = await serviceInstallCommand({ interval: '1m', write: true }, world, linux());
    expect(updated.stdout).toMatch(/^Updated /);
    expect(execStart(readFileSync(unitPath(), 'utf8'))).toContain('1m');

    // The marker removed (the user's own version now): left alone.
    const mine = readFileSync(unitPath(), 'utf8').replace(`${SYSTEMD_MARKER}\n`, '');
    writeFileSync(unitPath(), mine);
    await expect(serviceInstallCommand({ interval: '30s', write: true }, world, linux())).rejects.toThrow(/exists and was not written by aitool/);
    expect(readFileSync(unitPath(), 'utf8')).toBe(mine);
  });

  it('the same for the LaunchAgent', async () => {
    const mac = context('macos', { home: world.home, env: world.env, cwd: world.cwd });
    const plist = join(world.home, 'Library/LaunchAgents/com.aitool.watch.plist');
    mkdirSync(join(world.home, 'Library/LaunchAgents'), { recursive: true });
    writeFileSync(plist, '<plist>someone else</plist>\n');
    await expect(serviceInstallCommand({ interval: '30s', write: true }, world, mac)).rejects.toThrow(UserError);
    expect(readFileSync(plist, 'utf8')).toBe('<plist>someone else</plist>\n');
    writeFileSync(plist, `<?xml version="1.0"?>\n${PLIST_MARKER}\n<plist/>\n`);
    const result = await serviceInstallCommand({ interval: '30s', write: true }, world, mac);
    expect(result.stdout).toContain('launchctl bootstrap gui/$(id -u) ');
    expect(programArguments(readFileSync(plist, 'utf8'))).toEqual([mac.nodePath, mac.binPath, 'watch', '--interval', '30s']);
  });

  it('through the CLI: this node and this bin/aitool.js, absolute; and neither systemctl nor launchctl is run', async () => {
    // Stand-ins that would leave a trace if anything ran them.
    const fakeBin = join(world.root, 'fake-bin');
    mkdirSync(fakeBin);
    for (const name of ['systemctl', 'launchctl']) {
      writeFileSync(join(fakeBin, name), `#!/bin/sh\ntouch "${join(world.root, `${name}-ran`)}"\n`);
      chmodSync(join(fakeBin, name), 0o755);
    }
    const env = { PATH: `${fakeBin}:${world.env.PATH}` };
    const printed = await runCli(['service', 'install', '--user', '--interval', '10s', '--log', 'watch.jsonl'], world, env);
    expect(printed.exitCode, printed.stderr).toBe(0);
    expect(execStart(printed.stdout)).toEqual([process.execPath, resolve(BIN), 'watch', '--interval', '10s', '--log', join(world.cwd, 'watch.jsonl')]);
    expect(printed.stderr).toMatch(/^aitool: save this as .*aitool-watch\.service/);

    const written = await runCli(['service', 'install', '--user', '--write'], world, env);
    expect(written.exitCode, written.stderr).toBe(0);
    expect(written.stdout).toContain(`Wrote ${unitPath()}.`);
    expect(existsSync(unitPath())).toBe(true);
    expect(existsSync(join(world.root, 'systemctl-ran'))).toBe(false);
    expect(existsSync(join(world.root, 'launchctl-ran'))).toBe(false);

    const bad = await runCli(['service', 'install', '--interval', 'soon'], world);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^aitool: --interval: expected a duration[^\n]*$/);
  });
});
