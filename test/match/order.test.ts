// Findings are sorted as localeCompare sorts them, without paying for ICU's
// collator: kebab-case words compare by code unit, which is the same order;
// anything else still goes through localeCompare.
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/catalog/index.js';
import { compareWords } from '../../src/decide.js';

const KINDS = ['process', 'executable', 'session', 'package', 'extension', 'app', 'trace', 'mcp-server', 'config-change', 'artifact', 'commit', 'dependency', 'skill', 'browser-extension'];

describe('compareWords', () => {
  it('orders tool ids, kinds and kebab-case words exactly as localeCompare does', () => {
    const words = [...CATALOG.map((tool) => tool.id), ...KINDS, 'a', 'a-b', 'ab', 'a0', 'a-0', 'a--b', '0a', 'z9-x', 'zed', 'zed-ai', 'zedai'];
    for (let seed = 1; words.length < 600; seed++) {
      words.push(Array.from({ length: 1 + (seed % 7) }, (_, i) => 'ab-z09'[(seed * 31 + i * 17) % 6]).join(''));
    }
    for (const a of words) for (const b of words) expect(Math.sign(compareWords(a, b)), `${a} vs ${b}`).toBe(Math.sign(a.localeCompare(b)));
  });

  it('leaves other words to localeCompare (a code-unit order would put upper case first)', () => {
    expect(Math.sign(compareWords('Zeta', 'alpha'))).toBe(Math.sign('Zeta'.localeCompare('alpha')));
    expect(compareWords('Zeta', 'alpha')).toBeGreaterThan(0);
    expect(compareWords('éa', 'eb')).toBe('éa'.localeCompare('eb'));
  });
});
