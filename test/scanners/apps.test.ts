import { execFileSync } from 'node:child_process';
import { cp, readFile, writeFile as fsWriteFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG, findTool } from '../../src/catalog/index.js';
import { createFixtureHost, createHost, type Host, type RegistryRead } from '../../src/host.js';
import { compileCatalog, match } from '../../src/match/index.js';
import { remediationFor } from '../../src/remedy.js';
import { displayNameStem } from '../../src/scanners/display-name.js';
import {
  appImageNames,
  appImageVersion,
  appsScanner,
  displayIconProgram,
  execProgram,
  isAppImageOf,
  parseDesktopEntry,
  parseRegQuery,
  REGISTRY_NOTE,
  shortcutTarget,
  snapYamlVersion,
  uninstallEntries,
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

/** The same host with another registry reader (undefined: a Windows host without registry access). */
function withRegistry(host: Host, read: Host['readRegistryUninstall']): Host {
  return new Proxy(host, {
    get(target, property, receiver) {
      if (property === 'readRegistryUninstall') return read;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const noRegistry = async (): Promise<RegistryRead> => ({ text: '', problems: [] });

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
  const env = {
    LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local',
    APPDATA: 'C:\\Users\\ada\\AppData\\Roaming',
    ProgramData: 'C:\\ProgramData',
    ProgramFiles: 'C:\\Program Files',
  };
  // The layout's registry is __registry__/uninstall.txt: `reg query <key> /s` output (CRLF) for HKLM, its
  // WOW6432Node view and HKCU, modelled on what the installers write (Inno Setup for the VS Code forks and
  // Git, Squirrel for Claude and Slack, MSI for the C++ runtime), with the WOW6432Node output cut mid-line.
  const host = createFixtureHost({ os: 'windows', root: join(FIXTURES, 'windows'), home: 'C:/Users/ada', env });
  const local = 'C:/Users/ada/AppData/Local';
  const uninstall = 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall';
  const probedPaths = [
    '%LOCALAPPDATA%/Programs/cursor/Cursor.exe',
    // Case differs from the folder on disk: Windows ignores it.
    '%LOCALAPPDATA%/Programs/windsurf/windsurf.exe',
    '%LOCALAPPDATA%/AnthropicClaude/claude.exe',
    '%PROGRAMFILES%/Ollama/ollama app.exe',
    '%LOCALAPPDATA%/Programs/Zed',
    '%LOCALAPPDATA%/Programs/Missing',
  ];
  const folderAndShortcutFinds: AppObservation[] = [
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
  ];

  it('reports Programs and Program Files installs the paths name, and shortcuts by name or by target', async () => {
    const { observations, notes } = await scanApps(withRegistry(host, noRegistry), { paths: probedPaths, displayNames: ['Cursor', 'windsurf'] });
    expect(observations).toEqual(folderAndShortcutFinds);
    expect(notes).toEqual([]);
  });

  it('reports Uninstall entries whose DisplayName or install folder is probed, and no other', async () => {
    const { observations, notes } = await scanApps(host, { paths: probedPaths, displayNames: ['Cursor', 'windsurf', 'Kiro'] });
    const registry: AppObservation[] = [
      // Not named as probed (`Ollama version 0.12.3`), but its REG_EXPAND_SZ DisplayIcon, expanded, is a probed program.
      {
        kind: 'app',
        source: 'registry',
        name: 'Ollama version 0.12.3',
        displayName: 'Ollama version 0.12.3',
        path: 'C:/Program Files/Ollama',
        version: '0.12.3',
        exec: 'C:/Program Files/Ollama/ollama app.exe',
      },
      // Per-user installs (HKCU): the name without the ` (User)` the installer appends is probed.
      {
        kind: 'app',
        source: 'registry',
        name: 'Cursor (User)',
        displayName: 'Cursor (User)',
        path: `${local}/Programs/cursor`,
        version: '1.4.2',
        exec: `${local}/Programs/cursor/Cursor.exe`,
      },
      {
        kind: 'app',
        source: 'registry',
        name: 'Windsurf (User)',
        displayName: 'Windsurf (User)',
        path: `${local}/Programs/Windsurf`,
        version: '1.12.4',
        exec: `${local}/Programs/Windsurf/Windsurf.exe`,
      },
      // Only the registry knows of this one: its folder is not in the layout.
      {
        kind: 'app',
        source: 'registry',
        name: 'Kiro (User)',
        displayName: 'Kiro (User)',
        path: `${local}/Programs/Kiro`,
        version: '0.2.13',
        exec: `${local}/Programs/Kiro/Kiro.exe`,
      },
    ];
    // The same folder and program found in Programs and Program Files is reported once, from the registry.
    const alsoInRegistry = new Set(['cursor', 'Windsurf', 'Ollama']);
    expect(observations).toEqual([
      ...registry,
      ...folderAndShortcutFinds.filter((found) => !(found.source !== 'start-menu' && alsoInRegistry.has(found.name))),
    ]);
    // 7-Zip, Git, Slack, Notepad++, the C++ runtime and Claude (neither named nor installed where a path points) are not reported;
    // nor is the WOW6432Node entry whose DisplayName line was cut.
    expect(observations.filter((o) => o.source === 'registry').map((o) => o.name)).toEqual(['Ollama version 0.12.3', 'Cursor (User)', 'Windsurf (User)', 'Kiro (User)']);
    expect(notes).toEqual([]);
  });

  it('is found and matched end to end with the built-in catalog, with a remedy that does not run the uninstaller', async () => {
    const catalog = compileCatalog(CATALOG, { os: 'windows', home: host.home, env: host.env });
    const notes: Array<Omit<ScanNote, 'scanner'>> = [];
    const observations = await appsScanner.scan({ host, probes: catalog.probes, signal: new AbortController().signal, note: (note) => notes.push(note) });
    const fromRegistry = match(
      observations.filter((o) => o.kind === 'app' && o.source === 'registry'),
      catalog,
    );
    expect(fromRegistry.map((d) => [d.tool, d.evidence.matched, d.evidence.version, d.evidence.path])).toEqual([
      ['ollama', 'installed app Ollama version 0.12.3', '0.12.3', 'C:/Program Files/Ollama'],
      ['claude-desktop', 'installed app Claude', '0.12.10', `${local}/AnthropicClaude`],
      ['cursor', 'installed app Cursor (User)', '1.4.2', `${local}/Programs/cursor`],
      ['windsurf', 'installed app Windsurf (User)', '1.12.4', `${local}/Programs/Windsurf`],
      ['kiro', 'installed app Kiro (User)', '0.2.13', `${local}/Programs/Kiro`],
    ]);
    const cursor = fromRegistry.find((d) => d.tool === 'cursor')!;
    expect(cursor.evidence).toMatchObject({ source: 'registry', installMethod: 'app', exe: `${local}/Programs/cursor/Cursor.exe` });
    expect(remediationFor(cursor, findTool('cursor')!)).toBe('uninstall Cursor from Settings → Apps → Installed apps');
    expect(notes).toEqual([]);
  });

  it('notes each key reg.exe could not read, keeps what the others gave, and still scans folders and shortcuts', async () => {
    const text = await readFile(join(FIXTURES, 'windows/__registry__/uninstall.txt'), 'utf8');
    const hkcu = text.slice(text.indexOf(`HKEY_CURRENT_USER\\${uninstall}`));
    const partly = withRegistry(host, async () => ({
      text: hkcu,
      problems: [
        { key: `HKLM\\${uninstall}`, message: 'reg.exe timed out after 1500 ms' },
        { key: 'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall', message: 'reg.exe exited with code 5: ERROR: Access is denied.' },
      ],
    }));
    const { observations, notes } = await scanApps(partly, { paths: probedPaths, displayNames: ['Cursor', 'windsurf'] });
    expect(notes).toEqual([
      { path: `HKLM\\${uninstall}`, message: `${REGISTRY_NOTE}: reg.exe timed out after 1500 ms` },
      { path: 'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Uninstall', message: `${REGISTRY_NOTE}: reg.exe exited with code 5: ERROR: Access is denied.` },
    ]);
    // HKCU was read: Cursor and Windsurf come from it; Ollama (HKLM) from its Program Files folder.
    expect(observations.map((o) => [o.source, o.name])).toEqual([
      ['registry', 'Cursor (User)'],
      ['registry', 'Windsurf (User)'],
      ['programs', 'AnthropicClaude'],
      ['program-files', 'Ollama'],
      ['start-menu', 'Cursor'],
      ['start-menu', 'Windsurf'],
      ['start-menu', 'Zed Nightly'],
    ]);
  });

  it('notes a registry read that fails outright, or a host without one, and reports the folders and shortcuts', async () => {
    const failing = withRegistry(host, async () => {
      throw new Error('reg.exe could not be started (ENOENT)');
    });
    const failed = await scanApps(failing, { paths: probedPaths, displayNames: ['Cursor', 'windsurf'] });
    expect(failed.notes).toEqual([{ message: `${REGISTRY_NOTE}: reg.exe could not be started (ENOENT)` }]);
    expect(failed.observations).toEqual(folderAndShortcutFinds);

    const without = await scanApps(withRegistry(host, undefined), { paths: probedPaths, displayNames: ['Cursor', 'windsurf'] });
    expect(without.notes).toEqual([{ message: `${REGISTRY_NOTE}: this host has no registry access; apps are found from Programs folders and Start-menu shortcuts` }]);
    expect(without.observations).toEqual(folderAndShortcutFinds);
  });

  it('stops when its budget runs out while reg.exe runs', async () => {
    const controller = new AbortController();
    const waiting = withRegistry(host, (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))));
    const scanning = scanApps(waiting, { displayNames: ['Cursor'] }, controller.signal);
    setTimeout(() => controller.abort(new Error('budget')), 20);
    await expect(scanning).rejects.toThrow('budget');
  });

  it('reads no shortcut and no registry when it has neither names nor paths to compare them with', async () => {
    const reads: string[] = [];
    let registryReads = 0;
    const counting = withRegistry(recordingReads(host, reads), async () => {
      registryReads++;
      return { text: '', problems: [] };
    });
    const { observations, notes } = await scanApps(counting, { bundleNames: ['Cursor.app'] });
    expect(observations).toEqual([]);
    expect(reads).toEqual([]);
    expect(registryReads).toBe(0);
    expect(notes).toEqual([]);
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

describe('reg query output', () => {
  const KEY = 'HKEY_CURRENT_USER\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall';
  const sample = [
    '',
    KEY,
    '',
    `${KEY}\\{5A8B3C1D-7E2F-4A6B-9C0D-1E2F3A4B5C6D}_is1`,
    '    (Default)    REG_SZ    (value not set)',
    '    Inno Setup: App Path    REG_SZ    C:\\Users\\ada\\AppData\\Local\\Programs\\Windsurf',
    '    Inno Setup: Deselected Tasks    REG_SZ    ',
    '    DisplayName    REG_SZ    Windsurf (User)',
    '    NoModify    REG_DWORD    0x1',
    '    Size    REG_QWORD    0x1d4c00',
    '    Tags    REG_MULTI_SZ    ai\\0editor',
    '    DisplayIcon    REG_EXPAND_SZ    %LocalAppData%\\Programs\\Windsurf\\Windsurf.exe,0',
    '    InstallLocation    REG_EXPAND_SZ    %UNSET_VARIABLE%\\Windsurf\\',
    '    Comments    REG_SZ',
    '',
    `${KEY}\\Kiro`,
    '    (Default)    REG_SZ    Kiro default',
    '    displayname    REG_SZ       Kiro   ',
    '    DisplayVersion    REG_DWORD    0x2',
    '    Publisher    REG_SZ    Amazon    Web    Services',
    '    UninstallString    REG_SZ    "C:\\Users\\ada\\AppData\\Local\\Programs\\Kiro\\unins000.exe" /SILENT',
    '',
    // A key below an entry is not an installed program.
    `${KEY}\\Kiro\\Nested`,
    '    DisplayName    REG_SZ    Cursor',
    '',
  ];

  it('parses keys and values, with CRLF or LF, spaces in names and data, empty and (Default) values', () => {
    const lf = parseRegQuery(sample.join('\n'));
    expect(parseRegQuery(sample.join('\r\n'))).toEqual(lf);
    expect(lf.truncated).toBe(false);
    expect(lf.keys.map((key) => key.path)).toEqual([KEY, `${KEY}\\{5A8B3C1D-7E2F-4A6B-9C0D-1E2F3A4B5C6D}_is1`, `${KEY}\\Kiro`, `${KEY}\\Kiro\\Nested`]);
    expect(lf.keys[0]!.values.size).toBe(0);
    expect(Object.fromEntries(lf.keys[1]!.values)).toEqual({
      '': { type: 'REG_SZ', data: '' },
      'inno setup: app path': { type: 'REG_SZ', data: 'C:\\Users\\ada\\AppData\\Local\\Programs\\Windsurf' },
      'inno setup: deselected tasks': { type: 'REG_SZ', data: '' },
      displayname: { type: 'REG_SZ', data: 'Windsurf (User)' },
      nomodify: { type: 'REG_DWORD', data: '0x1' },
      size: { type: 'REG_QWORD', data: '0x1d4c00' },
      tags: { type: 'REG_MULTI_SZ', data: 'ai\\0editor' },
      displayicon: { type: 'REG_EXPAND_SZ', data: '%LocalAppData%\\Programs\\Windsurf\\Windsurf.exe,0' },
      installlocation: { type: 'REG_EXPAND_SZ', data: '%UNSET_VARIABLE%\\Windsurf\\' },
      comments: { type: 'REG_SZ', data: '' },
    });
    expect(lf.keys[2]!.values.get('')).toEqual({ type: 'REG_SZ', data: 'Kiro default' });
    expect(lf.keys[2]!.values.get('publisher')).toEqual({ type: 'REG_SZ', data: 'Amazon    Web    Services' });
  });

  it('extracts the entries directly below an Uninstall key, expanding REG_EXPAND_SZ and ignoring other types', () => {
    const entries = uninstallEntries(parseRegQuery(sample.join('\r\n')).keys, { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' });
    expect(entries).toEqual([
      {
        key: `${KEY}\\{5A8B3C1D-7E2F-4A6B-9C0D-1E2F3A4B5C6D}_is1`,
        displayName: 'Windsurf (User)',
        // Environment names ignore case; an unknown one is left as it is.
        displayIcon: 'C:\\Users\\ada\\AppData\\Local\\Programs\\Windsurf\\Windsurf.exe,0',
        installLocation: '%UNSET_VARIABLE%\\Windsurf\\',
      },
      {
        key: `${KEY}\\Kiro`,
        displayName: 'Kiro',
        publisher: 'Amazon    Web    Services',
        uninstallString: '"C:\\Users\\ada\\AppData\\Local\\Programs\\Kiro\\unins000.exe" /SILENT',
      },
    ]);
  });

  it('passes over stray, cut and foreign lines', () => {
    const text = [
      '    Orphan    REG_SZ    before any key',
      'ERROR: Invalid syntax.',
      `${KEY}\\Cut`,
      '    InstallLocation    REG_SZ    C:\\Program Files\\Cut\\',
      '    DisplayName    REG_S',
      '    DisplayVersion',
      'some text without a type',
      `${KEY}\\Whole`,
      '    DisplayName    REG_SZ    Whole',
    ].join('\r\n');
    const parsed = parseRegQuery(text);
    expect(parsed.keys.map((key) => [key.path, Object.fromEntries(key.values)])).toEqual([
      [`${KEY}\\Cut`, { installlocation: { type: 'REG_SZ', data: 'C:\\Program Files\\Cut\\' }, displayname: { type: 'REG_S', data: '' } }],
      [`${KEY}\\Whole`, { displayname: { type: 'REG_SZ', data: 'Whole' } }],
    ]);
    expect(uninstallEntries(parsed.keys).map((entry) => entry.displayName)).toEqual([undefined, 'Whole']);
    expect(parseRegQuery('').keys).toEqual([]);
  });

  it('stops after a number of keys or characters, at a whole line', () => {
    const many = Array.from({ length: 50 }, (_, i) => `${KEY}\\App${i}\r\n    DisplayName    REG_SZ    Application number ${i}\r\n\r\n`).join('');
    const byKeys = parseRegQuery(many, { maxKeys: 10 });
    expect(byKeys.truncated).toBe(true);
    expect(byKeys.keys).toHaveLength(10);
    const cutAt = many.indexOf('Application number 3') + 5;
    const byChars = parseRegQuery(many, { maxChars: cutAt });
    expect(byChars.truncated).toBe(true);
    // The cut line (`    DisplayName    REG_SZ    Appli`) is dropped, not read as a shorter name.
    expect(uninstallEntries(byChars.keys).map((entry) => entry.displayName)).toEqual(['Application number 0', 'Application number 1', 'Application number 2', undefined]);
    expect(parseRegQuery(many).truncated).toBe(false);
  });

  it('takes off the scope, architecture and version installers append to a DisplayName', () => {
    expect(displayNameStem('Windsurf (User)')).toBe('Windsurf');
    expect(displayNameStem('Cursor')).toBe('Cursor');
    expect(displayNameStem('7-Zip 24.08 (x64)')).toBe('7-Zip');
    expect(displayNameStem('Ollama version 0.12.3')).toBe('Ollama');
    expect(displayNameStem('LM Studio 0.3.5')).toBe('LM Studio');
    expect(displayNameStem('Python 3.12.1 (64-bit)')).toBe('Python');
    expect(displayNameStem('Microsoft Visual C++ 2022 X64 Minimum Runtime - 14.40.33810')).toBe('Microsoft Visual C++ 2022 X64 Minimum Runtime');
    expect(displayNameStem('Qoder v0.2.1 (Machine)')).toBe('Qoder');
    // Words and bare numbers are part of the name.
    expect(displayNameStem('Cursor Helper')).toBe('Cursor Helper');
    expect(displayNameStem('Zed 2')).toBe('Zed 2');
    expect(displayNameStem('1.2.3')).toBe('1.2.3');
  });

  it('reads the program a DisplayIcon names, not an icon file', () => {
    expect(displayIconProgram('"C:\\Program Files\\Ollama\\ollama app.exe",0')).toBe('C:/Program Files/Ollama/ollama app.exe');
    expect(displayIconProgram('C:\\Users\\ada\\AppData\\Local\\Programs\\cursor\\Cursor.exe')).toBe('C:/Users/ada/AppData/Local/Programs/cursor/Cursor.exe');
    expect(displayIconProgram('C:\\Tools\\x.EXE,-101')).toBe('C:/Tools/x.EXE');
    expect(displayIconProgram('C:\\Users\\ada\\AppData\\Local\\AnthropicClaude\\app.ico')).toBeUndefined();
    expect(displayIconProgram('Cursor.exe')).toBeUndefined();
    expect(displayIconProgram(undefined)).toBeUndefined();
  });
});
