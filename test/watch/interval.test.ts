import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { formatInterval, MIN_INTERVAL_MS, parseInterval } from '../../src/watch/interval.js';

describe('parseInterval', () => {
  it.each([
    ['30s', 30_000],
    ['500ms', 500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['45', 45_000],
    ['0.5', 500],
    ['1.5s', 1500],
    ['.25m', 15_000],
    ['100ms', 100],
    [' 10S ', 10_000],
    ['2 m', 120_000],
  ])('%j is %d ms', (text, ms) => {
    expect(parseInterval(text)).toBe(ms);
  });

  it.each(['', 's', 'soon', '30 seconds', '1d', '-1s', '+5s', '1e3', '5s5', '0x10', 'NaN', 'Infinity', '1,5s'])('refuses %j', (text) => {
    expect(() => parseInterval(text)).toThrow(UserError);
    expect(() => parseInterval(text)).toThrow(/^--interval: expected a duration such as 30s, 500ms, 2m or 1h \(a bare number is seconds\), got '/);
  });

  it(`refuses less than ${MIN_INTERVAL_MS}ms and more than setTimeout can wait`, () => {
    for (const text of ['99ms', '0', '0s', '0.05']) expect(() => parseInterval(text)).toThrow(/^--interval: at least 100ms, got '/);
    expect(() => parseInterval('1000h')).toThrow(/^--interval: at most 24 days/);
    expect(parseInterval('500h')).toBe(1_800_000_000);
  });

  it('names the flag it was given in its one-line message', () => {
    expect(() => parseInterval('x', '--every')).toThrow(/^--every: /);
    expect(() => parseInterval('x')).not.toThrow(/\n/);
  });
});

describe('formatInterval', () => {
  it.each([
    [30_000, '30s'],
    [500, '500ms'],
    [1500, '1500ms'],
    [120_000, '2m'],
    [90_000, '90s'],
    [3_600_000, '1h'],
  ])('%d ms is %j, which parses back', (ms, text) => {
    expect(formatInterval(ms)).toBe(text);
    expect(parseInterval(text)).toBe(ms);
  });
});
