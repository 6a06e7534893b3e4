/**
 * The linear-time compiler for policy patterns: catastrophic patterns finish,
 * what the engine cannot run is refused with a reason, and the case-folding
 * rewrite matches exactly what a non-Unicode `i` expression matches.
 */
import { describe, expect, it } from 'vitest';
import { compileGlobPattern, compileUserPattern, inputLimit, PATTERN_SOURCE_MAX, requiredLowercaseText, UnsupportedPatternError } from '../src/regex.js';
import { seededRandom } from './helpers/random.js';

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

describe('compileUserPattern', () => {
  it.each([
    ['(a+)+$', '', 'a'.repeat(5000) + 'b', false],
    ['^(h+)+$', 'i', 'H'.repeat(100_000) + '!', false],
    ['(x+x+)+y', 'i', 'x'.repeat(100_000), false],
    ['(x+x+)+y', 'i', 'x'.repeat(1000) + 'Y', true],
  ] as const)('runs %s (%s) over a hostile input in linear time', (source, flags, input, expected) => {
    // The default engine takes hours on each of these.
    const pattern = compileUserPattern(source, flags);
    const { value, ms } = timed(() => pattern.test(input));
    expect(value).toBe(expected);
    expect(ms).toBeLessThan(2000);
  });

  it.each([
    ['(a)\\1', /backreference \\1/],
    ['(?<word>a)\\k<word>', /backreference \\k/],
    ['foo(?=bar)', /lookahead \(\?=/],
    ['foo(?!bar)', /lookahead \(\?!/],
    ['(?<=foo)bar', /lookbehind \(\?<=/],
    ['(?<!foo)bar', /lookbehind \(\?<!/],
    ['a{1,100}', /cannot run in linear time/],
    ['a'.repeat(PATTERN_SOURCE_MAX + 1), /longer than 1000 characters/],
  ])('refuses %s with a reason', (source, reason) => {
    let caught: unknown;
    try {
      compileUserPattern(source, '');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnsupportedPatternError);
    expect((caught as UnsupportedPatternError).reason).toMatch(reason);
  });

  it('throws a SyntaxError for what is not a regular expression at all', () => {
    expect(() => compileUserPattern('(unclosed', '')).toThrow(SyntaxError);
  });

  it('keeps named groups, and reports the source as written', () => {
    const pattern = compileUserPattern('v(?<version>[0-9.]+)-Beta', 'i');
    expect(pattern.source).toBe('v(?<version>[0-9.]+)-Beta');
    expect(pattern.exec('tool V1.2.3-BETA')?.groups?.version).toBe('1.2.3');
  });

  it('looks at a bounded prefix of a huge input', () => {
    const source = `marker|${'z'.repeat(993)}`;
    const pattern = compileUserPattern(source, '');
    const limit = inputLimit(source.length);
    expect(limit).toBeLessThan(64 * 1024);
    expect(pattern.test('x'.repeat(limit - 6) + 'marker')).toBe(true);
    expect(pattern.test('x'.repeat(limit) + 'marker')).toBe(false);
  });
});

const PIECES = [
  'a', 'B', 'z', 'K', 'é', 'É', 'µ', 'ſ', 'ß', '\u212a', '_', '-', '1', '.', '\\w', '\\W', '\\d', '\\D', '\\s', '\\b', '\\B',
  '\\x41', '\\x7a', '\\u00e9', '\\u00C9', '\\cJ', '\\c', '\\k', '\\p', '\\0', '\\n', '\\-', '\\.',
  '[a-f]', '[^a-f]', '[A-Z_]', '[\\d-z]', '[é-ë]', '[\\u00c0-\\u00ff]', '[^\\W]', '[\\B]', '[\\b]', '[a-]', '[-K]', '[\\c1]', '[\\101]', '[]', '[^]',
  '(?:', '(', '(?<g>', ')', '|', '*', '+', '?', '{2}', '{1,3}', '{x}', '^', '$',
];
const TEXT = ['a', 'A', 'b', 'B', 'z', 'Z', 'k', 'K', '\u212a', 'é', 'É', 'ë', 'Ë', 'µ', 'Μ', 'μ', 's', 'S', 'ſ', 'ß', 'e', 'E', '_', '-', '1', ' ', '\n', '\\', 'c', 'p', 'P', '\x0a', '\x01', '\0', 'à', 'À'];

function generate(next: () => number, from: readonly string[], max: number): string {
  let out = '';
  const length = 1 + Math.floor(next() * max);
  for (let i = 0; i < length; i++) out += from[Math.floor(next() * from.length)];
  return out;
}

describe('case folding without the i flag', () => {
  it('matches exactly what a non-Unicode i expression matches (4,000 generated patterns, fixed seed)', () => {
    const next = seededRandom(9);
    let compared = 0;
    for (let round = 0; round < 4000; round++) {
      const source = generate(next, PIECES, 6);
      let reference: RegExp;
      try {
        reference = new RegExp(source, 'i');
      } catch {
        continue;
      }
      let linear;
      try {
        linear = compileUserPattern(source, 'i');
      } catch (error) {
        if (error instanceof UnsupportedPatternError) continue;
        throw error;
      }
      for (let sample = 0; sample < 8; sample++) {
        const text = generate(next, TEXT, 8);
        const expected = reference.test(text);
        if (linear.test(text) !== expected) throw new Error(`/${source}/i on ${JSON.stringify(text)}: expected ${expected}`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(10_000);
  });

  it('matches exactly what the default engine matches without i', () => {
    const next = seededRandom(17);
    let compared = 0;
    for (let round = 0; round < 2000; round++) {
      const source = generate(next, PIECES, 6);
      let reference: RegExp;
      try {
        reference = new RegExp(source, '');
      } catch {
        continue;
      }
      let linear;
      try {
        linear = compileUserPattern(source, '');
      } catch (error) {
        if (error instanceof UnsupportedPatternError) continue;
        throw error;
      }
      for (let sample = 0; sample < 8; sample++) {
        const text = generate(next, TEXT, 8);
        const expected = reference.test(text);
        if (linear.test(text) !== expected) throw new Error(`/${source}/ on ${JSON.stringify(text)}: expected ${expected}`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(5000);
  });
});

describe('compileGlobPattern', () => {
  it('runs a many-wildcard glob expression in linear time', () => {
    const source = '^' + '[^/]*a'.repeat(8) + '[^/]*b$';
    const pattern = compileGlobPattern(source, 9, false);
    const { value, ms } = timed(() => pattern.test('a'.repeat(4000)));
    expect(value).toBe(false);
    expect(ms).toBeLessThan(2000);
  });
});

describe('where aitool compiles patterns itself', () => {
  it('runs every catalog file marker on the linear engine (the configs scanner compiles them all that way)', async () => {
    const { CATALOG } = await import('../src/catalog/index.js');
    const markers = CATALOG.flatMap((tool) => tool.signatures.fileMarkers ?? []);
    expect(markers.length).toBeGreaterThan(0);
    for (const marker of markers) expect(() => compileUserPattern(marker.pattern), marker.pattern).not.toThrow();
  });

  it('matches hostile globs from a policy (repository patterns, path patterns) in bounded time', async () => {
    const { repoPatternMatcher } = await import('../src/scanners/repo.js');
    const { compilePathPattern } = await import('../src/patterns.js');
    // Both took longer than a minute before.
    const started = performance.now();
    expect(repoPatternMatcher(['*a*a*a*a*a*a*b'])('a'.repeat(200))).toBeUndefined();
    expect(compilePathPattern('**a**a**a**a**a**b', { os: 'linux', home: '/h', env: {} })!.match(`/${'a'.repeat(200)}`)).toBeUndefined();
    expect(compilePathPattern('**a**a**a**a**a**b', { os: 'windows', home: 'C:/Users/h', env: {} })!.match(`/${'A'.repeat(200)}B`)).toEqual({});
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('requiredLowercaseText', () => {
  it.each([
    ['^Co-authored-by:\\s*Claude\\b.*<noreply@anthropic\\.com>', 'co-authored-by:'],
    ['\\(aider\\)$', '(aider)'],
    ['Generated with \\[Claude Code\\]', 'generated with [claude code]'],
    ['^cursoragent@cursor\\.com$', 'cursoragent@cursor.com'],
    ['abcd?e', 'abc'],
    ['abc?d', undefined],
    ['abcd*', 'abc'],
    ['abcd+', 'abc'],
    ['abcd{2}', 'abc'],
    ['abc\\d', 'abc'],
    ['abc\\u0041', 'abc'],
    ['abc\\(?', 'abc'],
    ['abcd|xyz', undefined],
    ['(ab|cd)efgh', undefined],
    ['x(ab|cd)', undefined],
    ['abcd(e|f)|', undefined],
    ['abc[|]def', 'abc'],
    ['abc\\|def', 'abc|def'],
    ['abc(?=d)', 'abc'],
    ['ABCé', 'abc'],
    ['a.bcd', undefined],
  ])('%s → %s', (source, expected) => {
    expect(requiredLowercaseText(source)).toBe(expected);
  });

  it('holds for every text the expression matches, with and without i (generated patterns and texts)', () => {
    const next = seededRandom(7);
    const pick = (alphabet: readonly string[], max: number) => Array.from({ length: Math.floor(next() * (max + 1)) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
    const patternParts = ['a', 'B', 'c', 'a', 'b', '-', ':', '\\.', '\\(', '\\s', '\\b', '?', '*', '+', '{1,2}', '|', '(a|b)', '[ab]', '.', '^', '$', 'K', '\\u212a'];
    const textParts = ['a', 'A', 'b', 'B', 'c', 'C', '-', ':', '.', '(', ' ', 'K', '\u212a', 'ſ', 'İ', 'ab', 'abc', 'aBc-'];
    let tested = 0;
    let matched = 0;
    for (let round = 0; round < 3000; round++) {
      // Most start with a few plain characters, so that there is a run to check.
      const source = pick(['a', 'B', 'c', '-', ':', '\\.'], 4) + pick(patternParts, 6);
      let compiled: RegExp[];
      try {
        compiled = [new RegExp(source, 'i'), new RegExp(source)];
      } catch {
        continue;
      }
      const needs = requiredLowercaseText(source);
      if (needs === undefined) continue;
      tested++;
      for (let i = 0; i < 40; i++) {
        // Texts that hold the run in some mix of cases, and texts that do not.
        const planted = needs.replace(/[a-z]/g, (c) => (next() < 0.5 ? c.toUpperCase() : c));
        const text = i % 2 === 0 ? pick(textParts, 6) + planted + pick(textParts, 3) : pick(textParts, 12);
        for (const regex of compiled) {
          if (!regex.test(text)) continue;
          matched++;
          expect(text.toLowerCase().includes(needs), JSON.stringify({ source, text, needs })).toBe(true);
        }
      }
    }
    expect(tested).toBeGreaterThan(200);
    expect(matched).toBeGreaterThan(2000);
  });
});
