// Expanding a path pattern whose anchor is resolved: a pattern without `*` or
// `{version}` names one path, its empty segments dropped, and lists no folder;
// one with them lists each parent on the way down.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFixtureHost, type Host } from '../../src/host.js';
import { expandPaths } from '../../src/scanners/expand.js';
import { noteTempDir } from '../helpers/temp.js';

let root: string | undefined;
afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

/** A fixture host that counts the folders it is asked to list. */
function countingHost(os: 'linux' | 'windows'): { host: Host; listed: string[] } {
  root = noteTempDir(mkdtempSync(join(tmpdir(), 'aitool-expand-')));
  mkdirSync(join(root, 'opt', 'tool-1.2', 'bin'), { recursive: true });
  mkdirSync(join(root, 'opt', 'tool-2.0', 'bin'), { recursive: true });
  const host = createFixtureHost({ os, root, home: os === 'windows' ? 'C:/Users/ada' : '/home/ada' });
  const listed: string[] = [];
  const readdir = host.readdir.bind(host);
  host.readdir = (path) => {
    listed.push(path);
    return readdir(path);
  };
  return { host, listed };
}

describe('expandPaths', () => {
  it.each([
    ['/home/ada/.claude', '/home/ada/.claude'],
    ['/home/ada//.claude/', '/home/ada/.claude'],
    ['/home/ada/.claude/**', '/home/ada/.claude'],
    ['/', ''],
    ['relative/./x', 'relative/./x'],
  ])('names %s as %s, listing nothing', async (pattern, path) => {
    const { host, listed } = countingHost('linux');
    expect(await expandPaths(host, pattern, () => undefined)).toEqual([{ path }]);
    expect(listed).toEqual([]);
  });

  it('keeps a Windows drive and turns backslashes to slashes', async () => {
    const { host, listed } = countingHost('windows');
    expect(await expandPaths(host, 'C:\\Users\\ada\\.codex', () => undefined)).toEqual([{ path: 'C:/Users/ada/.codex' }]);
    expect(listed).toEqual([]);
  });

  it('lists the parents of `*` and `{version}` segments, and gives up on an inner `**`', async () => {
    const { host, listed } = countingHost('linux');
    expect(await expandPaths(host, '/opt/tool-{version}/bin', () => undefined)).toEqual([
      { path: '/opt/tool-1.2/bin', version: '1.2' },
      { path: '/opt/tool-2.0/bin', version: '2.0' },
    ]);
    expect(listed).toEqual(['/opt']);
    expect(await expandPaths(host, '/opt/**/bin', () => undefined)).toBeUndefined();
  });
});
