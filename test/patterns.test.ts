import { describe, expect, it } from 'vitest';
import { compilePathPattern, expandAnchor, type PatternEnvironment } from '../src/patterns.js';

const linux: PatternEnvironment = { os: 'linux', home: '/home/ada', env: {} };
const mac: PatternEnvironment = { os: 'macos', home: '/Users/ada', env: {} };
const windows: PatternEnvironment = {
  os: 'windows',
  home: 'C:\\Users\\ada',
  env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' },
};

describe('expandAnchor', () => {
  it.each([
    ['~/.claude', linux, '/home/ada/.claude'],
    ['$XDG_CONFIG_HOME/opencode', linux, '/home/ada/.config/opencode'],
    ['$XDG_CONFIG_HOME/opencode', { ...linux, env: { XDG_CONFIG_HOME: '/cfg' } }, '/cfg/opencode'],
    ['$XDG_DATA_HOME/amp', mac, '/Users/ada/.local/share/amp'],
    ['%APPDATA%/Claude', windows, 'C:/Users/ada/AppData/Roaming/Claude'],
    ['%LOCALAPPDATA%/Programs/cursor', windows, 'C:/Users/ada/AppData/Local/Programs/cursor'],
    ['node_modules/x', linux, 'node_modules/x'],
  ])('%s on %o', (pattern, where, expected) => {
    expect(expandAnchor(pattern, where)).toBe(expected);
  });

  it('has no Windows folders on Linux and no XDG folders on Windows', () => {
    expect(expandAnchor('%APPDATA%/Claude', linux)).toBeUndefined();
    expect(expandAnchor('$XDG_CONFIG_HOME/opencode', windows)).toBeUndefined();
  });
});

describe('compilePathPattern', () => {
  const cases: Array<[string, PatternEnvironment, string, unknown]> = [
    ['node_modules/@openai/codex/**', linux, '/usr/lib/node_modules/@openai/codex/bin/codex.js', {}],
    ['node_modules/@openai/codex/**', linux, '/usr/lib/node_modules/@openai/codex', {}],
    ['node_modules/@openai/codex/**', linux, '/usr/lib/node_modules/@openai/codex-linux-x64/codex', undefined],
    ['node_modules/@openai/codex/**', linux, '/home/ada/src/codex/run.js', undefined],
    ['node_modules/@kilocode/cli-*/**', linux, '/p/node_modules/@kilocode/cli-linux-x64/bin/kilo', {}],
    ['~/.local/share/claude/versions/{version}', linux, '/home/ada/.local/share/claude/versions/2.1.197', { version: '2.1.197' }],
    ['~/.local/share/claude/versions/{version}', linux, '/home/bob/.local/share/claude/versions/2.1.197', undefined],
    // A second `{version}` is a plain wildcard: the first is the version.
    ['/opt/{version}/lib/{version}', linux, '/opt/1.2/lib/3.4', { version: '1.2' }],
    ['/opt/{version}-{version}', linux, '/opt/1.2-3', { version: '1.2' }],
    ['~/.codex/packages/**/bin/codex', linux, '/home/ada/.codex/packages/app-server-daemon/releases/0.169.0/bin/codex', {}],
    ['~/.codex/packages/**/bin/codex', linux, '/home/ada/.codex/packages/bin/codex', {}],
    ['/usr/share/qoder/**', linux, '/usr/share/qoder/bin/qoder', {}],
    ['/usr/share/qoder/**', linux, '/opt/usr/share/qoder/bin/qoder', undefined],
    ['%APPDATA%/npm/node_modules/**', windows, 'c:\\users\\ada\\appdata\\roaming\\npm\\node_modules\\x', {}],
    ['node_modules/a.b/**', linux, '/n/node_modules/aXb/c', undefined],
  ];
  it.each(cases)('%s on %s: %s', (pattern, where, path, expected) => {
    expect(compilePathPattern(pattern, where)?.match(path)).toEqual(expected);
  });
});
