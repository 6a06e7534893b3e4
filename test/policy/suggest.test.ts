import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance } from '../../src/policy/suggest.js';

describe('did you mean', () => {
  it.each([
    ['blok', ['allow', 'warn', 'block'], 'block'],
    ['Block', ['allow', 'warn', 'block'], 'block'],
    ['cusror', ['cursor', 'codex'], 'cursor'],
    ['claude', ['claude-code', 'codex'], 'claude-code'],
    ['aitool:recomended', ['aitool:recommended', 'aitool:strict'], 'aitool:recommended'],
    ['zzz', ['allow', 'warn', 'block'], undefined],
    ['copilot', ['cursor', 'codex', 'qoder'], undefined],
  ])('%s → %s', (input, candidates, expected) => {
    expect(closest(input, candidates)).toBe(expected);
  });

  it('formats the hint, or nothing', () => {
    expect(didYouMean('defualt', ['default', 'tools'])).toBe(" (did you mean 'default'?)");
    expect(didYouMean('xyz', ['default'])).toBe('');
  });

  it('counts a swap as one edit', () => {
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});
