import { execFileSync } from 'node:child_process';
import { cp, mkdir, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/catalog/index.js';
import type { OperatingSystem, ToolEntry } from '../../src/catalog/schema.js';
import { createFixtureHost, createHost, type Host } from '../../src/host.js';
import { compileCatalog, match } from '../../src/match/index.js';
import { browsersScanner, MANIFEST_MAX_BYTES } from '../../src/scanners/browsers.js';
import type { BrowserExtensionObservation, ScanNote } from '../../src/types.js';
import { makeTempDir, removeTempDirs, writeFile } from '../helpers/temp.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/browsers/', import.meta.url));

afterAll(removeTempDirs);

/** An organisation's own Firefox assistant, declared as a policy's custom tool would be (the built-in catalog names no Firefox ids). */
const FIREFOX_TOOL: ToolEntry = {
  id: 'acme-assistant',
  name: 'Acme assistant',
  vendor: 'Acme',
  homepage: 'https://acme.example',
  category: 'browser-extension',
  signatures: { browserExtensions: { firefox: ['assistant@ai.example'] } },
};

async function scan(host: Host) {
  const catalog = compileCatalog([...CATALOG, FIREFOX_TOOL], { os: host.os, home: host.home, env: host.env });
  const notes: Array<Omit<ScanNote, 'scanner'>> = [];
  const observations = (await browsersScanner.scan({ host, probes: catalog.probes, signal: new AbortController().signal, note: (n) => notes.push(n) })) as BrowserExtensionObservation[];
  const detections = match(observations, catalog);
  const found = detections.map((d) => [d.tool, d.evidence.browser, d.evidence.profile, d.evidence.name, d.evidence.version]).sort();
  return { observations, detections, notes, found };
}

async function fixtureHost(os: OperatingSystem, home: string): Promise<Host> {
  const root = await makeTempDir();
  await cp(join(FIXTURES, os), root, { recursive: true });
  return createFixtureHost({ os, root, home });
}

describe('browsers scanner on each OS layout', () => {
  it('Linux: Chrome (newest version, localised name), Brave, Opera (the data folder is the profile) and Firefox profiles', async () => {
    const { found, observations, notes } = await scan(await fixtureHost('linux', '/home/ada'));
    expect(found).toEqual(
      [
        ['acme-assistant', 'Firefox', 'k1.default-release', 'AI Assistant', '2.0.1'],
        // No extensions.json in this profile: the .xpi alone says it is installed.
        ['acme-assistant', 'Firefox', 'k2.work', undefined, undefined],
        ['claude-in-chrome', 'Chrome', 'Default', 'Claude', '1.0.81'],
        ['monica', 'Brave', 'Profile 2', 'Monica - Your AI Copilot', '7.9.7'],
        ['sider', 'Opera', 'opera', 'Sider', '5.25.8'],
      ].sort(),
    );
    expect(observations.find((o) => o.id === 'fcoeoabgfenejglbffodgkkbkcdhcgfn')?.path).toBe(
      '/home/ada/.config/google-chrome/Default/Extensions/fcoeoabgfenejglbffodgkkbkcdhcgfn/1.0.81_0',
    );
    // The profile's other extensions (uBlock Origin in Chrome and Firefox) are neither listed nor read.
    expect(observations.some((o) => /cjpalhdlnbpafiamejdnhcphjbkeiagm|uBlock0/.test(o.id))).toBe(false);
    expect(notes).toEqual([]);
  });

  it('macOS: Edge and Arc under Application Support, a `__MSG_` name looked up case-insensitively, Firefox Profiles', async () => {
    const { found } = await scan(await fixtureHost('macos', '/Users/ada'));
    expect(found).toEqual(
      [
        ['acme-assistant', 'Firefox', 'm1.default-release', 'AI Assistant', '2.0.0'],
        ['maxai', 'Arc', 'Default', 'MaxAI', '8.1.0'],
        ['perplexity-companion', 'Edge', 'Default', 'Perplexity - AI Companion', '1.0.21'],
      ].sort(),
    );
  });

  it('Windows: Chrome and Edge under %LOCALAPPDATA%, Opera and Firefox under %APPDATA%', async () => {
    const { found, observations } = await scan(await fixtureHost('windows', 'C:/Users/ada'));
    expect(found).toEqual(
      [
        ['acme-assistant', 'Firefox', 'w1.default-release', 'AI Assistant', '2.0.2'],
        ['chatgpt-search', 'Edge', 'Default', 'ChatGPT search', '1.3'],
        ['harpa-ai', 'Chrome', 'Profile 1', 'HARPA AI', '10.2.0'],
        ['merlin', 'Opera', 'Opera Stable', 'Merlin', '7.4.3'],
      ].sort(),
    );
    expect(observations.find((o) => o.id === 'eanggfilgoajaocelnaflolkadkeghjp')?.path).toBe(
      'C:/Users/ada/AppData/Local/Google/Chrome/User Data/Profile 1/Extensions/eanggfilgoajaocelnaflolkadkeghjp/10.2.0_0',
    );
  });
});

describe('browsers scanner on this machine: hostile manifests', () => {
  it('reports an extension whose manifest is 50 MB or a FIFO by its id and folder version, without reading or blocking', async () => {
    const home = await makeTempDir();
    const profile = join(home, '.config/google-chrome/Default/Extensions');
    const big = await writeFile(join(profile, 'ofpnmcalabcbjgholdjcjblkibolbppb/7.9.7_0/manifest.json'), '{"name":"Monica","version":"7.9.7"}');
    await truncate(big, 50 * 1024 * 1024);
    await mkdir(join(profile, 'difoiogjjojoaoomphldepapgpbgkhkb/5.25.8_0'), { recursive: true });
    const fifo = join(profile, 'difoiogjjojoaoomphldepapgpbgkhkb/5.25.8_0/manifest.json');
    execFileSync('mkfifo', [fifo]);
    // A Firefox extensions.json that is a FIFO: noted, and the profile's .xpi files still count.
    const ffProfile = join(home, '.mozilla/firefox/x.default');
    await mkdir(ffProfile, { recursive: true });
    execFileSync('mkfifo', [join(ffProfile, 'extensions.json')]);

    const { found, notes } = await scan(createHost({ env: { HOME: home, PATH: '' } }));
    expect(found).toEqual([
      ['monica', 'Chrome', 'Default', undefined, '7.9.7'],
      ['sider', 'Chrome', 'Default', undefined, '5.25.8'],
    ]);
    expect(notes).toContainEqual({ path: big, message: `manifest.json over ${MANIFEST_MAX_BYTES} bytes (${50 * 1024 * 1024}), not read` });
    expect(notes).toContainEqual({ path: fifo, message: 'manifest.json is not a regular file (fifo), not read' });
    expect(notes).toContainEqual({ path: join(ffProfile, 'extensions.json'), message: 'extensions.json is not a regular file (fifo), not read' });
  });

  it('asks for nothing and reads nothing when the catalog names no extension', async () => {
    const home = await makeTempDir();
    await writeFile(join(home, '.config/google-chrome/Default/Extensions/fcoeoabgfenejglbffodgkkbkcdhcgfn/1.0_0/manifest.json'), '{}');
    const catalog = compileCatalog(CATALOG.filter((t) => t.category !== 'browser-extension'), { os: 'linux', home, env: {} });
    const observations = await browsersScanner.scan({ host: createHost({ env: { HOME: home } }), probes: catalog.probes, signal: new AbortController().signal, note: () => undefined });
    expect(observations).toEqual([]);
  });
});
