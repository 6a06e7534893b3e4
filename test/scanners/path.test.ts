import { cp } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureHost, createHost, type Host } from '../../src/host.js';
import { pathScanner, shimTarget } from '../../src/scanners/path.js';
import type { ExecutableObservation } from '../../src/types.js';
import { runScanner } from '../helpers/scan.js';
import { makeTempDir, makeTree, removeTempDirs, writePackageJson } from '../helpers/temp.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/host/', import.meta.url));
const NAMES = ['claude', 'gemini', 'codex', 'qwen', 'amp', 'opencode'];

afterAll(removeTempDirs);

describe('path scanner on a temp PATH', () => {
  let tmp: string;
  let home: string;
  let entries: Record<string, string>;

  beforeAll(async () => {
    tmp = await makeTempDir();
    home = join(tmp, 'home');
    await makeTree(tmp, {
      // npm global prefix: bin symlink into the package.
      'prefix/bin/gemini': { symlink: '../lib/node_modules/@google/gemini-cli/dist/index.js' },
      'prefix/lib/node_modules/@google/gemini-cli/dist/index.js': { content: '#!/usr/bin/env node\n', mode: 0o755 },
      // Native installer layout.
      'home/.local/bin/claude': { symlink: join(home, '.local/share/claude/versions/2.1.197') },
      'home/.local/share/claude/versions/2.1.197': { content: 'ELF', mode: 0o755 },
      // An earlier folder with its own claude shadows the native one.
      'early/claude': { content: '#!/bin/sh\n', mode: 0o755 },
      // Named like tools but not programs: a file nobody may run, a folder, a link loop, a dangling link.
      'odd/codex': { content: 'not a program', mode: 0o644 },
      'odd/amp': { dir: true },
      'odd/qwen': { symlink: 'qwen-loop' },
      'odd/qwen-loop': { symlink: 'qwen' },
      'odd/opencode': { symlink: 'gone/opencode' },
      // Names nobody asked about are never looked at.
      'odd/ls': { content: '', mode: 0o755 },
      // A PATH entry that is a file, and one that is a link into nowhere.
      'not-a-folder': 'just a file',
      'dangling-entry': { symlink: 'nowhere' },
      'relative-bin/claude': { content: '#!/bin/sh\n', mode: 0o755 },
    });
    await writePackageJson(join(tmp, 'prefix/lib/node_modules/@google/gemini-cli'), { name: '@google/gemini-cli', version: '0.61.0' });
    entries = {
      early: join(tmp, 'early'),
      prefix: join(tmp, 'prefix/bin'),
      local: join(home, '.local/bin'),
      odd: join(tmp, 'odd'),
      file: join(tmp, 'not-a-folder'),
      dangling: join(tmp, 'dangling-entry'),
      missing: join(tmp, 'missing'),
      // Relative to this test's working folder, it would reach relative-bin/claude if it were followed.
      relative: relative(process.cwd(), join(tmp, 'relative-bin')),
    };
  });

  function hostWithPath(...path: string[]): Host {
    return createHost({ env: { HOME: home, PATH: path.join(':') } });
  }

  it('finds executables, follows links into packages and installer folders, and marks shadowing', async () => {
    const host = hostWithPath(entries.early!, entries.prefix!, entries.local!, entries.prefix!);
    const { observations, notes } = await runScanner<ExecutableObservation>(pathScanner, host, { executableNames: NAMES });

    expect(observations).toEqual([
      { kind: 'executable', name: 'claude', path: `${entries.early}/claude`, realPath: `${entries.early}/claude`, packages: [], shadowed: false },
      {
        kind: 'executable',
        name: 'gemini',
        path: `${entries.prefix}/gemini`,
        realPath: join(tmp, 'prefix/lib/node_modules/@google/gemini-cli/dist/index.js'),
        packages: [{ name: '@google/gemini-cli', version: '0.61.0', dir: join(tmp, 'prefix/lib/node_modules/@google/gemini-cli') }],
        shadowed: false,
      },
      {
        kind: 'executable',
        name: 'claude',
        path: `${entries.local}/claude`,
        realPath: join(home, '.local/share/claude/versions/2.1.197'),
        packages: [],
        shadowed: true,
      },
    ]);
    // The duplicate prefix entry adds nothing and is not worth a note.
    expect(notes).toEqual([]);
  });

  it('passes over files that cannot run, notes loops and broken links, and does not hang', async () => {
    const host = hostWithPath(entries.odd!);
    const { observations, notes } = await runScanner<ExecutableObservation>(pathScanner, host, { executableNames: NAMES });

    expect(observations.map((o) => [o.name, o.broken ?? false])).toEqual(
      expect.arrayContaining([
        ['qwen', true],
        ['opencode', true],
      ]),
    );
    expect(observations).toHaveLength(2);
    expect(observations.find((o) => o.name === 'qwen')).toMatchObject({ path: `${entries.odd}/qwen`, realPath: `${entries.odd}/qwen`, packages: [] });
    expect(notes).toEqual(
      expect.arrayContaining([
        { path: `${entries.odd}/qwen`, message: 'symlink loop' },
        { path: `${entries.odd}/opencode`, message: 'broken symlink (ENOENT)' },
      ]),
    );
    expect(notes).toHaveLength(2);
  });

  it('notes PATH entries that are no folder or a link into nowhere, skips missing and relative ones', async () => {
    // Running as root, no folder is unreadable by permissions: a file and a dangling link stand in for one.
    const host = hostWithPath('', entries.file!, entries.dangling!, entries.missing!, entries.relative!, entries.prefix!);
    const { observations, notes } = await runScanner<ExecutableObservation>(pathScanner, host, { executableNames: NAMES });

    expect(observations.map((o) => o.path)).toEqual([`${entries.prefix}/gemini`]);
    expect(notes).toEqual([
      { path: entries.relative, message: 'relative PATH entry skipped (it depends on the current folder)' },
      { path: entries.file, message: 'PATH entry is not a folder' },
      { path: entries.dangling, message: 'PATH entry is a broken symlink' },
    ]);
  });

  it('lists each folder once and looks only at names it was asked about', async () => {
    const real = createHost({ env: { HOME: home, PATH: [entries.odd, entries.prefix].join(':') } });
    const calls: string[] = [];
    const counting: Host = {
      ...real,
      os: real.os,
      home: real.home,
      env: real.env,
      pid: real.pid,
      pathEntries: () => real.pathEntries(),
      listProcesses: () => real.listProcesses(),
      lstat: (path) => (calls.push(`lstat ${path}`), real.lstat(path)),
      stat: (path) => (calls.push(`stat ${path}`), real.stat(path)),
      readdir: (path) => (calls.push(`readdir ${path}`), real.readdir(path)),
      realpath: (path) => real.realpath(path),
      readTextFile: (path, max) => real.readTextFile(path, max),
    };
    await runScanner(pathScanner, counting, { executableNames: ['gemini'] });
    expect(calls.filter((call) => call.startsWith('readdir'))).toEqual([`readdir ${entries.odd}`, `readdir ${entries.prefix}`]);
    expect(calls.filter((call) => !call.startsWith('readdir')).every((call) => call.includes('gemini'))).toBe(true);
  });
});

describe('path scanner on a Windows layout', () => {
  it('reads the npm .cmd shim to find the package it runs', async () => {
    const root = await makeTempDir();
    await cp(join(FIXTURES, 'windows'), root, { recursive: true });
    // node_modules cannot live in the committed fixture (ignored by git), so the package is written here.
    const packageDir = join(root, 'C/Users/ada/AppData/Roaming/npm/node_modules/@anthropic-ai/claude-code');
    await writePackageJson(packageDir, { name: '@anthropic-ai/claude-code', version: '2.0.77' });
    await makeTree(packageDir, { 'cli.js': '#!/usr/bin/env node\n' });
    const host = createFixtureHost({
      os: 'windows',
      root,
      home: 'C:\\Users\\ada',
      env: { Path: 'C:\\Users\\ada\\AppData\\Roaming\\npm;C:\\Windows\\System32' },
    });
    const { observations, notes } = await runScanner<ExecutableObservation>(pathScanner, host, { executableNames: NAMES });

    // claude, claude.cmd and claude.ps1 are one program: the .cmd is what cmd.exe runs first.
    expect(observations).toEqual([
      {
        kind: 'executable',
        name: 'claude',
        path: 'C:/Users/ada/AppData/Roaming/npm/claude.cmd',
        realPath: 'C:/Users/ada/AppData/Roaming/npm/claude.cmd',
        target: 'C:/Users/ada/AppData/Roaming/npm/node_modules/@anthropic-ai/claude-code/cli.js',
        packages: [{ name: '@anthropic-ai/claude-code', version: '2.0.77', dir: 'C:/Users/ada/AppData/Roaming/npm/node_modules/@anthropic-ai/claude-code' }],
        shadowed: false,
      },
    ]);
    expect(notes).toEqual([]);
  });

  it.each([
    ['cmd', '"%_prog%"  "%dp0%\\node_modules\\@openai\\codex\\bin\\codex.js" %*', 'node_modules/@openai/codex/bin/codex.js'],
    ['old cmd', '"%~dp0\\node_modules\\opencode-ai\\bin\\opencode" %*', 'node_modules/opencode-ai/bin/opencode'],
    ['ps1', '& "node$exe"  "$basedir/node_modules/@google/gemini-cli/dist/index.js" $args', 'node_modules/@google/gemini-cli/dist/index.js'],
    ['not a shim', '@echo off\r\nnode C:\\tools\\x.js', undefined],
  ])('shimTarget reads a %s shim', (_kind, text, expected) => {
    expect(shimTarget(text)).toBe(expected);
  });
});
