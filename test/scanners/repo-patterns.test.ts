// Repository patterns (gitignore-like): the matcher looks patterns without
// wildcards up by name and prefix instead of compiling an expression for each.
// Held here to the plain definition, one regular expression per pattern tried
// in order, over the catalog's own patterns and over generated patterns and
// paths full of the characters that could tell the two apart.
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/catalog/index.js';
import { compileCatalog } from '../../src/match/compile.js';
import { repoPatternMatcher } from '../../src/scanners/repo.js';
import { seededRandom } from '../helpers/random.js';

/** The definition: `(?:^|/)` or `^`, the glob (`**` any text, `*` and `?` within a segment), then `(?:/|$)` or `/`. */
function reference(patterns: readonly string[]): (file: string) => string | undefined {
  const compiled = patterns.map((pattern) => {
    const folder = pattern.endsWith('/');
    const body = folder ? pattern.slice(0, -1) : pattern;
    let glob = '';
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!;
      if (c === '*' && body[i + 1] === '*') {
        glob += '.*';
        i++;
      } else if (c === '*') glob += '[^/]*';
      else if (c === '?') glob += '[^/]';
      else glob += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    return { pattern, regex: new RegExp(`${body.includes('/') ? '^' : '(?:^|/)'}${glob}${folder ? '/' : '(?:/|$)'}`) };
  });
  return (file) => compiled.find((c) => c.regex.test(file))?.pattern;
}

describe('repoPatternMatcher', () => {
  it('answers as one regular expression per pattern does, for the catalog\'s patterns', () => {
    const patterns = compileCatalog(CATALOG, { os: 'linux', home: '/home/ada', env: {} }).probes.repoPatterns;
    expect(patterns.length).toBeGreaterThan(50);
    expect(patterns.some((p) => p.includes('*'))).toBe(true);
    const fast = repoPatternMatcher(patterns);
    const plain = reference(patterns);
    const files = patterns.flatMap((p) => {
      const name = p.replace(/\*+/g, 'x').replace(/\?/g, 'y');
      const bare = name.replace(/\/$/, '');
      return [name, bare, `${bare}/inside.md`, `sub/${bare}`, `sub/${bare}/deep/file`, `${bare}.bak`, `x${bare}`, `a/b/${name}z`];
    });
    let matched = 0;
    for (const file of [...files, 'README.md', 'src/index.ts', '', '/', 'a//b']) {
      expect(fast(file), file).toBe(plain(file));
      if (plain(file) !== undefined) matched++;
    }
    // The paths do hit patterns: the comparison is not of two undefineds.
    expect(matched).toBeGreaterThan(patterns.length);
  });

  it('answers as the definition does over generated patterns and paths, first pattern first', () => {
    const next = seededRandom(20261207);
    const pick = (alphabet: readonly string[], max: number) => Array.from({ length: Math.floor(next() * (max + 1)) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    // Few letters, so that patterns overlap and paths hit them; every character a regular expression or a
    // split could take differently.
    const patternChars = ['a', 'b', 'a', 'b', '.', '/', '/', '*', '?', '(', '[', '+', '$', '^', '\\', '\n', 'é'];
    const pathChars = ['a', 'b', 'a', 'b', '.', '/', '/', '(', '[', '+', '$', '^', '\\', '\n', 'é', 'A'];
    let hits = 0;
    let literalHits = 0;
    for (let round = 0; round < 400; round++) {
      const patterns = Array.from({ length: 1 + Math.floor(next() * 8) }, () => pick(patternChars, 6));
      const fast = repoPatternMatcher(patterns);
      const plain = reference(patterns);
      for (let i = 0; i < 60; i++) {
        const file = pick(pathChars, 10);
        const expected = plain(file);
        expect(fast(file), JSON.stringify({ patterns, file })).toBe(expected);
        if (expected !== undefined) {
          hits++;
          if (!/[*?]/.test(expected)) literalHits++;
        }
      }
    }
    expect(hits).toBeGreaterThan(1000);
    expect(literalHits).toBeGreaterThan(500);
  });

  it('takes the first pattern that matches, literal or not', () => {
    expect(repoPatternMatcher(['*.md', 'CLAUDE.md'])('docs/CLAUDE.md')).toBe('*.md');
    expect(repoPatternMatcher(['CLAUDE.md', '*.md'])('docs/CLAUDE.md')).toBe('CLAUDE.md');
    expect(repoPatternMatcher(['.claude/', 'settings.json', '.claude/settings.json'])('.claude/settings.json')).toBe('.claude/');
    expect(repoPatternMatcher(['settings.json', '.claude/'])('.claude/settings.json')).toBe('settings.json');
    expect(repoPatternMatcher(['.claude/settings.json', 'settings.json'])('.claude/settings.json')).toBe('.claude/settings.json');
  });
});
