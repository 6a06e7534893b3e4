// The SQL text helpers: literals, path patterns and command-line patterns as osquery SQL.
import { describe, expect, it } from 'vitest';
import { filePath, pathGlobs, placePattern, regexToGlob, sqlList, sqlString } from '../../src/export/sql.js';

describe('sqlString', () => {
  it('doubles quotes, and refuses a NUL', () => {
    expect(sqlString("it's")).toBe("'it''s'");
    expect(sqlString('a\\b%_')).toBe("'a\\b%_'");
    expect(() => sqlString('a\0b')).toThrow(/NUL/);
    expect(sqlList(['b', "a'", 'b'])).toBe("('a''', 'b')");
  });
});

describe('regexToGlob', () => {
  it.each([
    ['\\.claude/shell-snapshots/snapshot-', '*.claude/shell-snapshots/snapshot-*'],
    ['\\.codex/shell_snapshots/', '*.codex/shell_snapshots/*'],
    ['\\bapp-server\\b.*--managed-daemon', '*app-server*--managed-daemon*'],
    ['gemini-shell-\\w+/bgpids\\.tmp', '*gemini-shell-*/bgpids.tmp*'],
    ['^--flag$', '--flag'],
    ['a[*]b', '*a?b*'],
    ['x\\*y\\?z\\[', '*x[*]y[?]z[[]*'],
  ])('%s → %s', (source, glob) => {
    expect(regexToGlob(source)).toBe(glob);
  });

  it.each(['(foo|bar)', 'ab+c', 'colou?r', '\\d{3}x\\n', 'a\\Bb'])('%s has no GLOB', (source) => {
    expect(regexToGlob(source)).toBeUndefined();
  });
});

describe('path patterns', () => {
  it('resolve their anchors per platform, or not at all', () => {
    expect(placePattern('~/.claude', 'linux')).toEqual({ anchor: 'home', rest: '.claude' });
    expect(placePattern('$XDG_CONFIG_HOME/amp', 'darwin')).toEqual({ anchor: 'home', rest: '.config/amp' });
    expect(placePattern('$XDG_CONFIG_HOME/amp', 'windows')).toBeUndefined();
    expect(placePattern('%APPDATA%/Cursor', 'windows')).toEqual({ anchor: 'home', rest: 'AppData/Roaming/Cursor' });
    expect(placePattern('%APPDATA%/Cursor', 'linux')).toBeUndefined();
    expect(placePattern('%PROGRAMFILES%/Tool', 'windows')).toEqual({ anchor: 'root', rest: 'C:/Program Files/Tool' });
    expect(placePattern('/Applications/Cursor.app/**', 'windows')).toBeUndefined();
    expect(placePattern('node_modules/@x/y/**', 'linux')).toEqual({ anchor: 'anywhere', rest: 'node_modules/@x/y/**' });
  });

  it('become GLOBs over a path, lower-cased with backslashes on Windows', () => {
    expect(pathGlobs(placePattern('node_modules/@anthropic-ai/claude-code-*/**', 'linux')!, 'linux')).toEqual({
      self: '*/node_modules/@anthropic-ai/claude-code-*',
      inside: '*/node_modules/@anthropic-ai/claude-code-*/*',
    });
    expect(pathGlobs(placePattern('%LOCALAPPDATA%/Programs/Cursor/**', 'windows')!, 'windows')).toEqual({
      self: '*\\appdata\\local\\programs\\cursor',
      inside: '*\\appdata\\local\\programs\\cursor\\*',
    });
    expect(pathGlobs(placePattern('/opt/[weird]/**', 'linux')!, 'linux').self).toBe('/opt/[[]weird]');
  });

  it("become file paths under each user's home, or LIKE patterns where they have wildcards", () => {
    expect(filePath(placePattern('~/.claude', 'linux')!, 'linux')).toEqual({ expr: "u.directory || '/.claude'", like: false });
    expect(filePath(placePattern('%APPDATA%/Claude', 'windows')!, 'windows')).toEqual({ expr: "u.directory || '\\AppData\\Roaming\\Claude'", like: false });
    expect(filePath(placePattern('~/.cache/copilot/pkg/*/{version}', 'linux')!, 'linux')).toEqual({ expr: "u.directory || '/.cache/copilot/pkg/%/%'", like: true });
    expect(filePath(placePattern('/usr/share/qoder/**', 'linux')!, 'linux')).toEqual({ expr: "'/usr/share/qoder'", like: false });
    expect(filePath(placePattern('Cursor-*.AppImage', 'linux')!, 'linux')).toBeUndefined();
  });
});
