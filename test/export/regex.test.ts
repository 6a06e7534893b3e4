// Policy patterns (case-insensitive JavaScript) as osquery regex_match patterns (no flags):
// the same answer on every ASCII text, within osquery's 256-byte limit, or refused with a reason.
import { describe, expect, it } from 'vitest';
import { OSQUERY_REGEX_MAX, toOsqueryRegex } from '../../src/export/regex.js';

const PATTERNS = [
  'server-filesystem',
  '^https?://([a-z0-9-]+\\.)?evil\\.example(:\\d+)?/',
  '^(sh|shell)[-_]?\\w*$',
  '\\brm\\b',
  '[^a-c]x',
  '[A-Fz_.-]+',
  '[\\d\\s]{2,3}?q',
  'a.b|^c$',
  '(?:npx|uvx)\\s+-y\\s+\\S+',
  '\\W\\D\\S\\B',
  'x{3}',
  'Mcp\\[\\]\\{\\}\\(\\)\\*\\+\\?\\.\\^\\$\\|\\\\\\/',
  '[\\]\\-\\^]',
  '\\t',
];

/** Texts over a small ASCII alphabet with the characters the patterns care about. */
function texts(): string[] {
  const alphabet = ['a', 'A', 'b', 'c', 'C', 'q', 'x', 'X', 'z', 'Z', '_', '-', '.', ' ', '\t', '/', ':', '1', '9', 'h', 'H', 's', 'S', 'r', 'm', 'M', '[', ']', '^', '\\', '$', '|', '(', ')', '{', '}', '*', '+', '?'];
  const out = ['', 'server-filesystem', 'SERVER-FILESYSTEM', 'https://api.EVIL.example:8443/mcp', 'http://evil.example/', 'https://notevil.example/', 'shell_x', 'SH', 'rm -rf', 'form', 'npx -y pkg', 'UVX  -Y x', 'xxx', 'XxX', 'MCP[]{}()*+?.^$|\\/', 'a b', 'C', 'a\tb'];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let n = 0; n < 3000; n++) {
    const length = Math.floor(next() * 12);
    out.push(Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join(''));
  }
  return out;
}

describe('toOsqueryRegex', () => {
  it.each(PATTERNS)('%s answers as the case-insensitive pattern does, on every text', (source) => {
    const translated = toOsqueryRegex(source);
    if (!('pattern' in translated)) throw new Error(translated.reason);
    expect(/[A-Za-z]/.test(translated.pattern.replace(/\[[^\]]*\]|\\[a-zA-Z]/g, ''))).toBe(false);
    const original = new RegExp(source, 'i');
    const osquery = new RegExp(translated.pattern);
    const differ = texts().filter((text) => original.test(text) !== osquery.test(text));
    expect(differ).toEqual([]);
  });

  it('spells case out compactly', () => {
    expect(toOsqueryRegex('^Mcp-[a-c]\\d$')).toEqual({ pattern: '^[Mm][cC][pP]-[A-Ca-c]\\d$' });
  });

  it.each([
    ['café', 'a character outside printable ASCII'],
    ['(?<host>x)', 'a group other than ( ) and (?: )'],
    ['\\x41', 'the escape \\x'],
    ['\\u0041', 'the escape \\u'],
    ['\\cA', 'the escape \\c'],
    ['[[:alpha:]]', '`[` inside a class'],
    ['[]', 'an empty class'],
    ['a{', 'a `{` that is not a counted repeat'],
    ['a]', 'a lone ]'],
    ['*a', 'the quantifier * with nothing to repeat'],
    ['^*', 'the quantifier * with nothing to repeat'],
    ['(a', 'an unclosed ('],
    ['[\\w-z]', 'a range with a class escape at one end'],
  ])('refuses %s: %s', (source, reason) => {
    const translated = toOsqueryRegex(source);
    expect('reason' in translated && translated.reason).toContain(reason);
  });

  it("refuses a pattern whose spelled-out case is over osquery's 256 bytes", () => {
    const letters = 'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnop';
    expect(toOsqueryRegex(letters.slice(0, 64))).toEqual({ pattern: [...letters.slice(0, 64)].map((c) => `[${c}${c.toUpperCase()}]`).join('') });
    expect(toOsqueryRegex(letters.slice(0, 65))).toEqual({ reason: `with case spelled out it is 260 bytes, over osquery's ${OSQUERY_REGEX_MAX}-byte regex_match limit` });
  });
});
