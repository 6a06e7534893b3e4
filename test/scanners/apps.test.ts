import { execFileSync } from 'node:child_process';
import { cp, readFile, writeFile as fsWriteFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureHost, createHost, type Host } from '../../src/host.js';
import {
  appImageNames,
  appImageVersion,
  appsScanner,
  execProgram,
  isAppImageOf,
  parseDesktopEntry,
  REGISTRY_NOTE,
  shortcutTarget,
  snapYamlVersion,
} from '../../src/scanners/apps.js';
import { emptyProbes } from '../../src/scanners/probes.js';
import type { Probes } from '../../src/scanners/types.js';
import type { AppObservation, ScanNote } from '../../src/types.js';
import { makeTempDir, makeTree, removeTempDirs, writeFile } from '../helpers/temp.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/apps/', import.meta.url));

afterAll(removeTempDirs);

interface AppProbes {
  bundleNames?: string[];
  bundleIds?: string[];
  desktopFiles?: string[];
  paths?: string[];
  displayNames?: string[];
  snap?: string[];
  flatpak?: string[];
}

function probesOf(apps: AppProbes): Probes {
  const base = emptyProbes();
  return emptyProbes({
    apps: {
      bundleNames: new Set(apps.bundleNames),
      bundleIds: new Set(apps.bundleIds),
      desktopFiles: new Set(apps.desktopFiles),
      paths: apps.paths ?? [],
      displayNames: new Set(apps.displayNames),
    },
    packages: { ...base.packages, snap: new Set(apps.snap), flatpak: new Set(apps.flatpak) },
  });
}

async function scanApps(
  host: Host,
  apps: AppProbes,
  signal = new AbortController().signal,
): Promise<{ observations: AppObservation[]; notes: Array<Omit<ScanNote, 'scanner'>> }> {
  const notes: Array<Omit<ScanNote, 'scanner'>> = [];
  const observations = await appsScanner.scan({ host, probes: probesOf(apps), signal, note: (note) => notes.push(note) });
  return { observations: observations as AppObservation[], notes };
}

/** A host that records the files it is asked to read (FileSystemHost keeps its methods on the prototype, so wrap it). */
function recordingReads(host: Host, reads: string[]): Host {
  return new Proxy(host, {
    get(target, property, receiver) {
      if (property === 'readFileBytes' || property === 'readTextFile') {
        return (path: string, ...rest: [number]) => {
          reads.push(path);
          return (target[property] as (path: string, max: number) => Promise<unknown>).call(target, path, ...rest);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

describe('apps scanner on a macOS layout', () => {
  const host = createFixtureHost({ os: 'macos', root: join(FIXTURES, 'macos'), home: '/Users/ada' });

  it('reports probed bundles with their XML or binary Info.plist, and bundles whose id is probed', async () => {
    const { observations, notes } = await scanApps(host, {
      bundleNames: ['Cursor.app', 'Windsurf.app', 'zed.app', 'Missing.app'],
      bundleIds: ['com.anthropic.claudefordesktop'],
    });
    expect(observations).toEqual([
      {
        kind: 'app',
        source: 'bundle',
        name: 'Claude Beta.app',
        path: '/Applications/Claude Beta.app',
        bundleId: 'com.anthropic.claudefordesktop',
        displayName: 'Claude (beta)',
        version: '0.14.1',
      },
      {
        kind: 'app',
        source: 'bundle',
        name: 'Cursor.app',
        path: '/Applications/Cursor.app',
        bundleId: 'com.todesktop.230313mzl4w4u92',
        displayName: 'Cursor',
        version: '1.4.2',
        exec: '/Applications/Cursor.app/Contents/MacOS/Cursor',
      },
      {
        kind: 'app',
        source: 'bundle',
        name: 'Windsurf.app',
        path: '/Applications/Windsurf.app',
        bundleId: 'com.exafunction.windsurf',
        displayName: 'Windsurf',
        version: '1.12.4',
        exec: '/Applications/Windsurf.app/Contents/MacOS/Electron',
      },
      // ~/Applications; bundle names are compared ignoring case, as APFS does.
      {
        kind: 'app',
        source: 'bundle',
        name: 'Zed.app',
        path: '/Users/ada/Applications/Zed.app',
        bundleId: 'dev.zed.Zed',
        version: '0.201.5',
        exec: '/Users/ada/Applications/Zed.app/Contents/MacOS/zed',
      },
    ]);
    expect(notes).toEqual([]);
  });

  it('opens only the bundles asked about by name when no bundle id is probed', async () => {
    const reads: string[] = [];
    const { observations } = await scanApps(recordingReads(host, reads), { bundleNames: ['Cursor.app'] });
    expect(observations.map((o) => o.name)).toEqual(['Cursor.app']);
    expect(reads).toEqual(['/Applications/Cursor.app/Contents/Info.plist']);
  });

  it('reads every bundle to find probed ids, and reports nothing else', async () => {
    const reads: string[] = [];
    const { observations } = await scanApps(recordingReads(host, reads), { bundleIds: ['DEV.ZED.ZED'] });
    expect(observations.map((o) => o.path)).toEqual(['/Users/ada/Applications/Zed.app']);
    expect(reads).toContain('/Applications/Notes.app/Contents/Info.plist');
  });

  describe('with broken bundles', () => {
    let root: string;
    let broken: Host;

    beforeAll(async () => {
      root = await makeTempDir();
      await cp(join(FIXTURES, 'macos'), root, { recursive: true });
      const windsurf = await readFile(join(FIXTURES, 'macos/Applications/Windsurf.app/Contents/Info.plist'));
      await makeTree(root, {
        // Cut inside the objects: the trailer is gone.
        'Applications/Truncated.app/Contents/Info.plist': { content: '' },
        'Applications/Piped.app/Contents/MacOS/Piped': { content: '' },
        'Applications/Loop.app': { symlink: 'Loop.app' },
        'Applications/Linked.app': { symlink: '/Applications/Cursor.app' },
        'Applications/Dangling.app': { symlink: 'Gone.app' },
        'Applications/Huge.app/Contents/Info.plist': { content: '' },
      });
      await fsWriteFile(join(root, 'Applications/Truncated.app/Contents/Info.plist'), windsurf.subarray(0, 120));
      await fsWriteFile(join(root, 'Applications/Huge.app/Contents/Info.plist'), Buffer.alloc(1024 * 1024 + 1, 0x20));
      mkfifo(join(root, 'Applications/Piped.app/Contents/Info.plist'));
      broken = createFixtureHost({ os: 'macos', root, home: '/Users/ada' });
    });

    it('notes a truncated or oversized plist, a FIFO, a loop and a dangling link, and goes on', async () => {
      const { observations, notes } = await scanApps(broken, {
        bundleNames: ['Truncated.app', 'Piped.app', 'Loop.app', 'Dangling.app', 'Huge.app', 'Cursor.app'],
        bundleIds: ['com.todesktop.230313mzl4w4u92'],
      });
      expect(observations.map((o) => [o.name, o.bundleId])).toEqual([
        ['Cursor.app', 'com.todesktop.230313mzl4w4u92'],
        ['Huge.app', undefined],
        // A link to a bundle is a bundle: found by its id.
        ['Linked.app', 'com.todesktop.230313mzl4w4u92'],
        ['Piped.app', undefined],
        ['Truncated.app', undefined],
      ]);
      expect(notes).toEqual(
        expect.arrayContaining([
          { path: '/Applications/Truncated.app/Contents/Info.plist', message: expect.stringMatching(/^Info\.plist unreadable: binary property list is truncated or corrupt/) },
          { path: '/Applications/Piped.app/Contents/Info.plist', message: 'Info.plist is a fifo, not a regular file: not read' },
          { path: '/Applications/Loop.app', message: 'symlink loop' },
          { path: '/Applications/Dangling.app', message: 'broken symlink (ENOENT)' },
          { path: '/Applications/Huge.app/Contents/Info.plist', message: `Info.plist is larger than ${1024 * 1024} bytes: not read` },
        ]),
      );
      expect(notes).toHaveLength(5);
    });

    it('stays cheap with 150 bundles, every Info.plist read', async () => {
      const many = await makeTempDir();
      const plist = await readFile(join(FIXTURES, 'macos/Applications/Cursor.app/Contents/Info.plist'));
      for (let i = 0; i < 150; i++) await writeFile(join(many, `Applications/App ${i}.app/Contents/Info.plist`), plist);
      const reads: string[] = [];
      const manyHost = recordingReads(createFixtureHost({ os: 'macos', root: many, home: '/Users/ada' }), reads);
      const started = performance.now();
      const { observations } = await scanApps(manyHost, { bundleIds: ['com.todesktop.230313mzl4w4u92'] });
      const elapsed = performance.now() - started;
      expect(observations).toHaveLength(150);
      expect(reads).toHaveLength(150);
      // Well inside the scanner's budget (typically ~50 ms here).
      expect(elapsed).toBeLessThan(appsScanner.budgetMs / 3);
    });
  });

  it('stops when its budget runs out', async () => {
    const controller = new AbortController();
    controller.abort(new Error('budget'));
    await expect(scanApps(host, { bundleNames: ['Cursor.app'] }, controller.signal)).rejects.toThrow('budget');
  });
});

describe('apps scanner on a Windows layout', () => {
  const host = createFixtureHost({
    os: 'windows',
    root: join(FIXTURES, 'windows'),
    home: 'C:/Users/ada',
    env: {
      LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local',
      APPDATA: 'C:\\Users\\ada\\AppData\\Roaming',
      ProgramData: 'C:\\ProgramData',
      ProgramFiles: 'C:\\Program Files',
    },
  });
  const local = 'C:/Users/ada/AppData/Local';

  it('reports Programs and Program Files installs the paths name, and shortcuts by name or by target', async () => {
    const { observations, notes } = await scanApps(host, {
      paths: [
        '%LOCALAPPDATA%/Programs/cursor/Cursor.exe',
        // Case differs from the folder on disk: Windows ignores it.
        '%LOCALAPPDATA%/Programs/windsurf/windsurf.exe',
        '%LOCALAPPDATA%/AnthropicClaude/claude.exe',
        '%PROGRAMFILES%/Ollama/ollama app.exe',
        '%LOCALAPPDATA%/Programs/Zed',
        '%LOCALAPPDATA%/Programs/Missing',
      ],
      displayNames: ['Cursor', 'windsurf'],
    });
    expect(observations).toEqual([
      {
        kind: 'app',
        source: 'programs',
        name: 'cursor',
        path: `${local}/Programs/cursor`,
        exec: `${local}/Programs/cursor/Cursor.exe`,
        version: '1.4.2',
      },
      { kind: 'app', source: 'programs', name: 'Windsurf', path: `${local}/Programs/Windsurf`, exec: `${local}/Programs/Windsurf/Windsurf.exe` },
      // Squirrel installs: the newest app-<version> folder.
      { kind: 'app', source: 'programs', name: 'AnthropicClaude', path: `${local}/AnthropicClaude`, exec: `${local}/AnthropicClaude/claude.exe`, version: '0.12.10' },
      { kind: 'app', source: 'program-files', name: 'Ollama', path: 'C:/Program Files/Ollama', exec: 'C:/Program Files/Ollama/ollama app.exe' },
      {
        kind: 'app',
        source: 'start-menu',
        name: 'Cursor',
        path: 'C:/Users/ada/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Cursor/Cursor.lnk',
        exec: `${local}/Programs/cursor/Cursor.exe`,
      },
      // Not a shell link at all: still a shortcut with a probed name.
      { kind: 'app', source: 'start-menu', name: 'Windsurf', path: 'C:/ProgramData/Microsoft/Windows/Start Menu/Programs/Windsurf.lnk' },
      // Not named as probed, but it points into a probed install folder.
      {
        kind: 'app',
        source: 'start-menu',
        name: 'Zed Nightly',
        path: 'C:/ProgramData/Microsoft/Windows/Start Menu/Programs/Local Tools/Zed Nightly.lnk',
        exec: `${local}/Programs/Zed/zed.exe`,
      },
    ]);
    expect(notes).toEqual([{ message: REGISTRY_NOTE }]);
  });

  it('reads no shortcut when it has neither names nor paths to compare them with', async () => {
    const reads: string[] = [];
    const { observations, notes } = await scanApps(recordingReads(host, reads), { bundleNames: ['Cursor.app'] });
    expect(observations).toEqual([]);
    expect(reads).toEqual([]);
    expect(notes).toEqual([{ message: REGISTRY_NOTE }]);
  });

  it('reads a shortcut target, and nothing from a malformed or cut one', async () => {
    const lnk = await readFile(join(FIXTURES, 'windows/C/Users/ada/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Cursor/Cursor.lnk'));
    expect(shortcutTarget(lnk)).toBe('C:/Users/ada/AppData/Local/Programs/cursor/Cursor.exe');
    expect(shortcutTarget(Buffer.from('not a shell link'))).toBeUndefined();
    const targets = new Set([...Array(lnk.length).keys()].map((length) => shortcutTarget(lnk.subarray(0, length))));
    // Cut before the end of its LinkInfo, a shortcut has no target; never a part of one.
    expect([...targets]).toEqual([undefined, 'C:/Users/ada/AppData/Local/Programs/cursor/Cursor.exe']);
    expect(shortcutTarget(lnk.subarray(0, 0x4c + 2 + 22 + 40))).toBeUndefined();
  });
});

describe('apps scanner on Linux, user locations (real temp HOME)', () => {
  let home: string;
  let host: Host;

  beforeAll(async () => {
    const tmp = await makeTempDir();
    home = join(tmp, 'home');
    await makeTree(home, {
      '.local/share/applications/aitooltest-cursor.desktop': [
        '# A comment',
        '[Desktop Entry]',
        'Type=Application',
        'Version=1.0',
        'Name=AitoolTest Cursor',
        'Name[de]=Nicht dieser',
        `Exec="${home}/Applications/AitoolTest-Cursor-1.2.3-x86_64.AppImage" --no-sandbox %U`,
        'X-AppImage-Version=1.2.3',
        '',
        '[Desktop Action new-window]',
        'Name=decoy',
        'Exec=/decoy',
      ].join('\n'),
      // Not named as probed, but it runs a program inside a probed install path (through a link).
      '.local/share/applications/tool.desktop': `[Desktop Entry]\nName=Tool\nExec=env FOO=1 ${home}/.local/bin/aitooltest-tool %F\n`,
      '.local/share/applications/plain.desktop': '[Desktop Entry]\nName=Plain\nExec=/usr/bin/true\n',
      '.local/bin/aitooltest-tool': { symlink: '../../aitooltest-install/bin/tool' },
      'aitooltest-install/bin/tool': { content: '', mode: 0o755 },
      'aitooltest-install/resources/app/package.json': '{"name":"tool","version":"2.0.0"}',
      'Applications/AitoolTest-Cursor-1.2.3-x86_64.AppImage': { content: '', mode: 0o755 },
      'Downloads/AitoolTest-Studio-0.3.5-x64.AppImage': { content: '', mode: 0o755 },
      'Downloads/unrelated-1.0.AppImage': { content: '', mode: 0o755 },
      '.local/share/flatpak/app/dev.aitooltest.Editor/current': { symlink: 'x86_64/stable' },
      '.local/share/flatpak/app/dev.aitooltest.Editor/x86_64/stable/active': { symlink: 'c0ffee' },
      '.local/share/flatpak/app/dev.aitooltest.Editor/x86_64/stable/c0ffee/files/share/metainfo/dev.aitooltest.Editor.metainfo.xml':
        '<component><releases><release version="0.201.5" date="2025-01-01"/><release version="0.200.0"/></releases></component>',
      '.local/share/flatpak/app/org.aitooltest.Other/current': { symlink: 'x86_64/stable' },
    });
    // Named like a probed AppImage, but a FIFO: never opened.
    mkfifo(join(home, 'Downloads/aitooltest-cursor.AppImage'));
    host = createHost({ env: { HOME: home, PATH: '/usr/bin:/bin' } });
  });

  it('finds desktop files, AppImages, install folders and user flatpaks', async () => {
    const { observations, notes } = await scanApps(host, {
      desktopFiles: ['aitooltest-cursor.desktop'],
      paths: ['~/aitooltest-install', 'AitoolTest-Studio-*.AppImage'],
      flatpak: ['dev.aitooltest.Editor'],
    });
    const appImage = `${home}/Applications/AitoolTest-Cursor-1.2.3-x86_64.AppImage`;
    expect(observations).toEqual([
      {
        kind: 'app',
        source: 'desktop-file',
        name: 'aitooltest-cursor.desktop',
        path: `${home}/.local/share/applications/aitooltest-cursor.desktop`,
        displayName: 'AitoolTest Cursor',
        version: '1.2.3',
        exec: appImage,
      },
      {
        kind: 'app',
        source: 'desktop-file',
        name: 'tool.desktop',
        path: `${home}/.local/share/applications/tool.desktop`,
        displayName: 'Tool',
        exec: `${home}/aitooltest-install/bin/tool`,
      },
      // By name: the stem of a probed desktop file.
      { kind: 'app', source: 'appimage', name: 'AitoolTest-Cursor-1.2.3-x86_64.AppImage', path: appImage, exec: appImage, version: '1.2.3' },
      // By an install-path pattern that matches at any folder.
      {
        kind: 'app',
        source: 'appimage',
        name: 'AitoolTest-Studio-0.3.5-x64.AppImage',
        path: `${home}/Downloads/AitoolTest-Studio-0.3.5-x64.AppImage`,
        exec: `${home}/Downloads/AitoolTest-Studio-0.3.5-x64.AppImage`,
        version: '0.3.5',
      },
      { kind: 'app', source: 'opt', name: 'aitooltest-install', path: `${home}/aitooltest-install`, version: '2.0.0' },
      {
        kind: 'app',
        source: 'flatpak',
        name: 'dev.aitooltest.Editor',
        bundleId: 'dev.aitooltest.Editor',
        path: `${home}/.local/share/flatpak/app/dev.aitooltest.Editor`,
        version: '0.201.5',
      },
    ]);
    expect(notes).toEqual([]);
  });
});

describe('apps scanner on a Linux layout, system locations', () => {
  let host: Host;

  beforeAll(async () => {
    const root = await makeTempDir();
    await makeTree(root, {
      'opt/Cursor/cursor': { content: '', mode: 0o755 },
      'opt/Cursor/resources/app/package.json': '{"version":"1.4.2"}',
      'opt/Cursor-0.9.1-x86_64.AppImage': { content: '', mode: 0o755 },
      'opt/google/chrome/chrome': { content: '', mode: 0o755 },
      'usr/share/applications/cursor.desktop': '[Desktop Entry]\nName=Cursor\nExec=/opt/Cursor/cursor %F\n',
      'usr/share/applications/qoder.desktop': '[Desktop Entry]\nName=Qoder\nExec=/usr/bin/qoder %F\n',
      'usr/share/applications/firefox.desktop': '[Desktop Entry]\nName=Firefox\nExec=/usr/lib/firefox/firefox %u\n',
      'usr/bin/qoder': { symlink: '/usr/share/qoder/bin/qoder' },
      'usr/share/qoder/bin/qoder': { content: '', mode: 0o755 },
      'usr/share/qoder/resources/app/package.json': '{"version":"0.2.1"}',
      'var/lib/snapd/desktop/applications/ollama_ollama.desktop':
        '[Desktop Entry]\nName=Ollama\nExec=env BAMF_DESKTOP_FILE_HINT=/var/lib/snapd/desktop/applications/ollama_ollama.desktop /snap/bin/ollama\n',
      'snap/ollama/current': { symlink: '123' },
      'snap/ollama/123/meta/snap.yaml': "name: ollama\nversion: '0.12.3' # upstream\nsummary: x\n",
      'snap/zed-ed/current': { symlink: '7' },
      'snap/zed-ed/7/meta/other': '',
      'snap/core22/current': { symlink: '1' },
      'snap/loopy/current': { symlink: 'current' },
      'var/lib/flatpak/app/dev.zed.Zed/current': { symlink: 'x86_64/stable' },
      'var/lib/flatpak/app/dev.zed.Zed/x86_64/stable/active': { symlink: '1a2b' },
      'var/lib/flatpak/app/dev.zed.Zed/x86_64/stable/1a2b/files/share/appdata/dev.zed.Zed.appdata.xml':
        '<component><releases>\n<release date="2025-02-01" version="0.175.6"/>\n</releases></component>',
      'var/lib/flatpak/app/org.gimp.GIMP/current': { symlink: 'x86_64/stable' },
      'home/ada/Applications/cursor.AppImage': { content: '', mode: 0o755 },
      'home/ada/Applications/cursors-2.0.AppImage': { content: '', mode: 0o755 },
    });
    host = createFixtureHost({ os: 'linux', root, home: '/home/ada' });
  });

  it('finds /opt and /usr/share installs, system desktop files, snaps and flatpaks', async () => {
    const { observations, notes } = await scanApps(host, {
      desktopFiles: ['cursor.desktop'],
      paths: ['/opt/Cursor', 'Cursor-*.AppImage', '/usr/share/qoder/bin/qoder', '/opt/*/missing'],
      snap: ['ollama', 'zed-ed', 'loopy'],
      flatpak: ['dev.zed.Zed'],
    });
    expect(observations).toEqual([
      { kind: 'app', source: 'desktop-file', name: 'cursor.desktop', path: '/usr/share/applications/cursor.desktop', displayName: 'Cursor', exec: '/opt/Cursor/cursor' },
      // /usr/bin/qoder is a link into a probed install path.
      { kind: 'app', source: 'desktop-file', name: 'qoder.desktop', path: '/usr/share/applications/qoder.desktop', displayName: 'Qoder', exec: '/usr/share/qoder/bin/qoder' },
      { kind: 'app', source: 'appimage', name: 'cursor.AppImage', path: '/home/ada/Applications/cursor.AppImage', exec: '/home/ada/Applications/cursor.AppImage' },
      {
        kind: 'app',
        source: 'appimage',
        name: 'Cursor-0.9.1-x86_64.AppImage',
        path: '/opt/Cursor-0.9.1-x86_64.AppImage',
        exec: '/opt/Cursor-0.9.1-x86_64.AppImage',
        version: '0.9.1',
      },
      { kind: 'app', source: 'opt', name: 'Cursor', path: '/opt/Cursor', version: '1.4.2' },
      { kind: 'app', source: 'opt', name: 'qoder', path: '/usr/share/qoder/bin/qoder', version: '0.2.1' },
      { kind: 'app', source: 'snap', name: 'loopy', path: '/snap/loopy' },
      { kind: 'app', source: 'snap', name: 'ollama', path: '/snap/ollama', version: '0.12.3' },
      // No snap.yaml: the revision folder.
      { kind: 'app', source: 'snap', name: 'zed-ed', path: '/snap/zed-ed', version: '7' },
      { kind: 'app', source: 'flatpak', name: 'dev.zed.Zed', bundleId: 'dev.zed.Zed', path: '/var/lib/flatpak/app/dev.zed.Zed', version: '0.175.6' },
    ]);
    expect(notes).toEqual([{ path: '/snap/loopy/current', message: 'symlink loop' }]);
  });

  it('reads only the probed desktop files when there are no install paths', async () => {
    const reads: string[] = [];
    const { observations } = await scanApps(recordingReads(host, reads), { desktopFiles: ['cursor.desktop'] });
    expect(observations.map((o) => o.path)).toEqual([
      '/usr/share/applications/cursor.desktop',
      // AppImages named after the probed desktop file.
      '/home/ada/Applications/cursor.AppImage',
      '/opt/Cursor-0.9.1-x86_64.AppImage',
    ]);
    expect(reads).toEqual(['/usr/share/applications/cursor.desktop']);
  });
});

describe('apps helpers', () => {
  it('parses Exec lines as the Desktop Entry specification quotes them', () => {
    expect(execProgram('/opt/Cursor/cursor %F')).toBe('/opt/Cursor/cursor');
    expect(execProgram('"/opt/LM Studio/lm-studio" --no-sandbox %U')).toBe('/opt/LM Studio/lm-studio');
    expect(execProgram('"/opt/with \\"quote\\"/x"')).toBe('/opt/with "quote"/x');
    expect(execProgram('env A=1 B=2 /snap/bin/tool %U')).toBe('/snap/bin/tool');
    expect(execProgram('/usr/bin/env -u X VAR=1 app')).toBe('app');
    expect(execProgram('env -i')).toBeUndefined();
    expect(execProgram('%U')).toBeUndefined();
    expect(parseDesktopEntry('[Other]\nName=x\n[Desktop Entry]\nName=Has\\sspace\nExec=a\\\\b\n').name).toBe('Has space');
  });

  it('matches AppImage file names to app names at a separator', () => {
    expect(isAppImageOf('Cursor-1.2.3-x86_64.AppImage', 'cursor')).toBe(true);
    expect(isAppImageOf('cursor.AppImage', 'cursor')).toBe(true);
    expect(isAppImageOf('cursors.AppImage', 'cursor')).toBe(false);
    expect([...appImageNames({ desktopFiles: new Set(['cursor.desktop']), paths: ['/opt/Cursor', 'LM-Studio-*.AppImage', '~/.local/zed.app', '/usr/local/bin', '/usr/share/qoder/bin/qoder'] })]).toEqual([
      'cursor',
      'lm-studio',
      'zed',
      'qoder',
    ]);
    expect(appImageVersion('LM-Studio-0.3.5-2-x64.AppImage')).toBe('0.3.5');
    expect(appImageVersion('cursor.AppImage')).toBeUndefined();
  });

  it('reads the top-level version of a snap.yaml', () => {
    expect(snapYamlVersion('name: x\nversion: "1.2"\napps:\n  x:\n    version: 9\n')).toBe('1.2');
    expect(snapYamlVersion('name: x\n  version: 9\n')).toBeUndefined();
  });
});
