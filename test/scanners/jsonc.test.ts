import { describe, expect, it } from 'vitest';
import { parseJsonc, stripJsonComments, stripTrailingCommas } from '../../src/scanners/jsonc.js';

describe('parseJsonc', () => {
  it('parses plain JSON as JSON.parse does', () => {
    expect(parseJsonc('{"a": [1, 2, {"b": null}], "c": "d"}')).toEqual({ a: [1, 2, { b: null }], c: 'd' });
    expect(parseJsonc('[]')).toEqual([]);
  });

  it('ignores line and block comments outside strings', () => {
    const text = [
      '// leading comment',
      '{',
      '  /* block',
      '     over lines */ "a": 1, // after a value',
      '  "b": /* inline */ 2',
      '}',
      '// trailing comment without newline',
    ].join('\n');
    expect(parseJsonc(text)).toEqual({ a: 1, b: 2 });
  });

  it('keeps comment-like text and commas inside strings', () => {
    const text = '{"url": "https://example.com/a//b", "glob": "src/**/*.ts", "odd": "a,}", "esc": "q\\"// not a comment", /* c */ "x": "/*y*/"}';
    expect(parseJsonc(text)).toEqual({
      url: 'https://example.com/a//b',
      glob: 'src/**/*.ts',
      odd: 'a,}',
      esc: 'q"// not a comment',
      x: '/*y*/',
    });
  });

  it('accepts trailing commas in objects and arrays, across comments and newlines', () => {
    expect(parseJsonc('{"a": [1, 2,], "b": {"c": 3,},}')).toEqual({ a: [1, 2], b: { c: 3 } });
    expect(parseJsonc('{\n  "args": ["x", // last\n  ],\n}\n')).toEqual({ args: ['x'] });
  });

  it('accepts a byte order mark', () => {
    expect(parseJsonc('\uFEFF{"a": 1}')).toEqual({ a: 1 });
  });

  it('throws a SyntaxError for text that is not JSON even without comments', () => {
    expect(() => parseJsonc('{"a": 1')).toThrow(SyntaxError);
    expect(() => parseJsonc('{"a": }')).toThrow(SyntaxError);
    expect(() => parseJsonc('{,}')).toThrow(SyntaxError);
    expect(() => parseJsonc('[1,,]')).toThrow(SyntaxError);
    expect(() => parseJsonc('{"a": 1 /* unterminated')).toThrow(SyntaxError);
    expect(() => parseJsonc('')).toThrow(SyntaxError);
  });

  it('keeps line breaks and lengths, so error positions still point at the text', () => {
    const text = '{\n  // note\n  "a": 1, /* x */\n}';
    const stripped = stripJsonComments(text);
    expect(stripped).toHaveLength(text.length);
    expect(stripped.split('\n')).toHaveLength(text.split('\n').length);
    expect(stripped).toBe('{\n         \n  "a": 1,        \n}');
    expect(stripTrailingCommas(stripped)).toBe('{\n         \n  "a": 1         \n}');
  });
});
