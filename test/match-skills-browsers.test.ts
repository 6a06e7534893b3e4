import { describe, expect, it } from 'vitest';
import { CATALOG } from '../src/catalog/index.js';
import type { ToolEntry } from '../src/catalog/schema.js';
import { compileCatalog, match } from '../src/match/index.js';
import { builtInPolicy } from '../src/policy/merge.js';
import type { BrowserExtensionObservation, SkillObservation } from '../src/types.js';

const FIREFOX_TOOL: ToolEntry = {
  id: 'acme-assistant',
  name: 'Acme assistant',
  vendor: 'Acme',
  homepage: 'https://acme.example',
  category: 'browser-extension',
  signatures: { browserExtensions: { firefox: ['Assistant@AI.example'] } },
};
const catalog = compileCatalog([...CATALOG, FIREFOX_TOOL], { os: 'linux', home: '/home/ada', env: {} });

const extension = (family: 'chromium' | 'firefox', id: string): BrowserExtensionObservation => ({
  kind: 'browser-extension',
  family,
  browser: family === 'chromium' ? 'Chrome' : 'Firefox',
  profile: 'Default',
  id,
  path: '/x',
});
const skill = (folder: string): SkillObservation => ({ kind: 'skill', folder, path: `/x/${folder}/s`, scope: 'user', name: 's' });
const tools = (observation: SkillObservation | BrowserExtensionObservation) => match([observation], catalog).map((d) => d.tool);

describe('matching skills and browser extensions', () => {
  it.each([
    ['a Chrome Web Store id', extension('chromium', 'fcoeoabgfenejglbffodgkkbkcdhcgfn'), ['claude-in-chrome']],
    ['the same id in capitals (Windows folders ignore case)', extension('chromium', 'FCOEOABGFENEJGLBFFODGKKBKCDHCGFN'), ['claude-in-chrome']],
    ['a Chromium id seen as a Firefox add-on id', extension('firefox', 'fcoeoabgfenejglbffodgkkbkcdhcgfn'), []],
    ['an id one letter longer', extension('chromium', 'fcoeoabgfenejglbffodgkkbkcdhcgfna'), []],
    ['an ordinary extension', extension('chromium', 'cjpalhdlnbpafiamejdnhcphjbkeiagm'), []],
    ['a custom tool\'s Firefox id, any case', extension('firefox', 'assistant@ai.example'), ['acme-assistant']],
    ['Claude Code\'s user skills folder', skill('~/.claude/skills'), ['claude-code']],
    ['the plugin cache', skill('~/.claude/plugins/cache/*/*/*/skills'), ['claude-code']],
    ['the shared folder', skill('~/.agents/skills'), ['agent-instructions']],
    ['a folder no entry names', skill('~/skills'), []],
  ] as const)('%s', (_label, observation, expected) => {
    expect(tools(observation)).toEqual(expected);
  });

  it('carries the skill and extension facts into the evidence, confirmed', () => {
    const [found] = match([{ ...skill('~/.codex/skills'), description: 'd', shell: { injection: false, preapprovedBash: true, scripts: true } }], catalog);
    expect(found).toEqual({
      tool: 'codex',
      kind: 'skill',
      confidence: 'confirmed',
      evidence: { path: '/x/~/.codex/skills/s', name: 's', scope: 'user', skill: { description: 'd', shell: { injection: false, preapprovedBash: true, scripts: true } }, matched: 'skill in ~/.codex/skills' },
    });
    const [ext] = match([{ ...extension('chromium', 'ofpnmcalabcbjgholdjcjblkibolbppb'), name: 'Monica', version: '7.9.7' }], catalog);
    expect(ext).toMatchObject({ tool: 'monica', kind: 'browser-extension', confidence: 'confirmed', evidence: { browser: 'Chrome', profile: 'Default', extensionId: 'ofpnmcalabcbjgholdjcjblkibolbppb', name: 'Monica', version: '7.9.7', installMethod: 'extension' } });
  });
});

describe('the built-in policy', () => {
  it('runs both scanners in check and leaves them out of git hooks, like the other host scanners', () => {
    const policy = builtInPolicy();
    expect([policy.scanners.skills, policy.scanners.browsers]).toEqual([true, true]);
    expect([policy.hookScanners.skills, policy.hookScanners.browsers]).toEqual([false, false]);
  });
});
