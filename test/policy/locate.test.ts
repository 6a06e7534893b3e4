import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDefaultSearchPlaces } from 'cosmiconfig';
import { describe, expect, it } from 'vitest';
import { managedPolicyCandidates, PROJECT_SEARCH_PLACES, userPolicyCandidates } from '../../src/policy/locate.js';
import { BIN } from '../cli/run-cli.js';
import { makeTempDir } from '../helpers/temp.js';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

describe('policy locations', () => {
  it('puts the managed policy in the system folder of each OS', () => {
    expect(managedPolicyCandidates({ os: 'linux', env: {} })).toEqual(['/etc/aitool/policy.yaml', '/etc/aitool/policy.yml', '/etc/aitool/policy.json']);
    expect(managedPolicyCandidates({ os: 'macos', env: {} })[0]).toBe('/Library/Application Support/aitool/policy.yaml');
    expect(managedPolicyCandidates({ os: 'windows', env: {} })[0]).toBe('C:\\ProgramData\\aitool\\policy.yaml');
    expect(managedPolicyCandidates({ os: 'windows', env: { ProgramData: 'D:\\Data' } })[2]).toBe('D:\\Data\\aitool\\policy.json');
  });

  it('puts the user policy under XDG_CONFIG_HOME or APPDATA', () => {
    expect(userPolicyCandidates({ os: 'linux', env: {}, home: '/home/ann' })).toEqual([
      '/home/ann/.config/aitool/config.yaml',
      '/home/ann/.config/aitool/config.yml',
      '/home/ann/.config/aitool/config.json',
    ]);
    expect(userPolicyCandidates({ os: 'macos', env: { XDG_CONFIG_HOME: '/xdg' }, home: '/Users/ann' })[0]).toBe('/xdg/aitool/config.yaml');
    // A relative XDG_CONFIG_HOME is invalid per the XDG spec and ignored.
    expect(userPolicyCandidates({ os: 'linux', env: { XDG_CONFIG_HOME: 'rel' }, home: '/home/ann' })[0]).toBe('/home/ann/.config/aitool/config.yaml');
    expect(userPolicyCandidates({ os: 'windows', env: { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, home: 'C:\\Users\\ann' })[0]).toBe(
      'C:\\Users\\ann\\AppData\\Roaming\\aitool\\config.yaml',
    );
  });

  it('mirrors cosmiconfig’s search places (so the no-policy check never misses a file cosmiconfig would find)', () => {
    expect(PROJECT_SEARCH_PLACES).toEqual(getDefaultSearchPlaces('aitool'));
  });

  // Root may list any folder: the check runs as another user (the suite's CI runs as root).
  it.runIf(isRoot)('finds a project policy in a folder that may be entered but not listed, as cosmiconfig, which reads each name, finds it', async () => {
    const root = await makeTempDir('aitool-locate-');
    chmodSync(root, 0o755);
    const outer = join(root, 'outer');
    mkdirSync(join(outer, 'inner'), { recursive: true, mode: 0o755 });
    writeFileSync(join(outer, '.aitoolrc.yaml'), 'tools:\n  claude-code: block\n', { mode: 0o644 });
    chmodSync(outer, 0o311);
    try {
      const result = spawnSync(process.execPath, [BIN, 'check', '--format', 'json'], {
        cwd: join(outer, 'inner'),
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent' },
        uid: NOBODY,
        gid: NOBODY,
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout).policy.files).toEqual([{ layer: 'project', file: join(outer, '.aitoolrc.yaml') }]);
    } finally {
      chmodSync(outer, 0o755);
    }
  });
});
