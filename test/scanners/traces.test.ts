import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createFixtureHost, createHost } from '../../src/host.js';
import { tracesScanner } from '../../src/scanners/traces.js';
import type { TraceObservation } from '../../src/types.js';
import { runScanner } from '../helpers/scan.js';
import { makeTempDir, makeTree, removeTempDirs } from '../helpers/temp.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/host/', import.meta.url));

afterAll(removeTempDirs);

const PATTERNS = [
  '~/.claude',
  '~/.claude.json',
  '~/.gemini',
  '~/.codex',
  '~/.qwen',
  '~/.local/share/claude/versions/{version}',
  '$XDG_CONFIG_HOME/opencode',
  '~/Library/Application Support/Claude',
  '%APPDATA%/Claude',
  'node_modules/@openai/codex/**',
];

function summary(observations: TraceObservation[]): Array<[string, string, boolean, boolean]> {
  return observations.map((o) => [o.pattern, o.path, o.isDirectory, o.isSymlink ?? false]);
}

describe('traces scanner', () => {
  it('lstats home paths in a temp HOME without reading or following them', async () => {
    const home = await makeTempDir();
    const config = await makeTempDir();
    const elsewhere = await makeTempDir();
    await makeTree(home, {
      '.claude/settings.json': '{}',
      '.claude.json': '{}',
      // A link to a folder elsewhere: reported as the link, not followed.
      '.gemini': { symlink: elsewhere },
      '.local/share/claude/versions/2.1.196': { content: 'ELF', mode: 0o755 },
      '.local/share/claude/versions/2.1.197': { content: 'ELF', mode: 0o755 },
    });
    // A FIFO where a folder is expected: opening it would block the scan.
    execFileSync('mkfifo', [join(home, '.codex')]);
    await makeTree(config, { 'opencode/opencode.json': '{}' });
    const host = createHost({ env: { HOME: home, XDG_CONFIG_HOME: config } });

    const before = Date.now();
    const { observations, notes } = await runScanner<TraceObservation>(tracesScanner, host, { homePaths: PATTERNS });

    expect(summary(observations)).toEqual([
      ['~/.claude', `${home}/.claude`, true, false],
      ['~/.claude.json', `${home}/.claude.json`, false, false],
      ['~/.gemini', `${home}/.gemini`, false, true],
      ['~/.codex', `${home}/.codex`, false, false],
      ['~/.local/share/claude/versions/{version}', `${home}/.local/share/claude/versions/2.1.196`, false, false],
      ['~/.local/share/claude/versions/{version}', `${home}/.local/share/claude/versions/2.1.197`, false, false],
      ['$XDG_CONFIG_HOME/opencode', `${config}/opencode`, true, false],
    ]);
    for (const observation of observations) {
      expect(Math.abs(Date.parse(observation.modified!) - before)).toBeLessThan(60_000);
    }
    expect(notes).toEqual([]);
  });

  it('notes a pattern with `**` in the middle instead of walking the home folder', async () => {
    const home = await makeTempDir();
    await makeTree(home, { '.cache/copilot/pkg/linux-x64/1.0.102/index.js': '' });
    const host = createHost({ env: { HOME: home } });
    const { observations, notes } = await runScanner<TraceObservation>(tracesScanner, host, {
      homePaths: ['~/.cache/copilot/**/index.js', '~/.cache/copilot/pkg/*/{version}', '~/.cache/copilot/**'],
    });
    expect(summary(observations)).toEqual([
      ['~/.cache/copilot/pkg/*/{version}', `${home}/.cache/copilot/pkg/linux-x64/1.0.102`, true, false],
      ['~/.cache/copilot/**', `${home}/.cache/copilot`, true, false],
    ]);
    expect(notes).toEqual([{ path: '~/.cache/copilot/**/index.js', message: 'home pattern with `**` inside is not looked up' }]);
  });

  it('reads a macOS layout through a fixture host', async () => {
    const host = createFixtureHost({ os: 'macos', root: join(FIXTURES, 'macos'), home: '/Users/ada' });
    const { observations } = await runScanner<TraceObservation>(tracesScanner, host, { homePaths: PATTERNS });
    expect(summary(observations)).toEqual([
      ['~/.claude', '/Users/ada/.claude', true, false],
      ['~/Library/Application Support/Claude', '/Users/ada/Library/Application Support/Claude', true, false],
    ]);
  });

  it('reads a Windows layout through a fixture host, with %APPDATA% from the environment', async () => {
    const host = createFixtureHost({
      os: 'windows',
      root: join(FIXTURES, 'windows'),
      home: 'C:\\Users\\ada',
      env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' },
    });
    const { observations } = await runScanner<TraceObservation>(tracesScanner, host, { homePaths: PATTERNS });
    expect(summary(observations)).toEqual([['%APPDATA%/Claude', 'C:/Users/ada/AppData/Roaming/Claude', true, false]]);
    expect(Date.parse(observations[0]!.modified!)).not.toBeNaN();
  });
});
