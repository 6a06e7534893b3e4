/**
 * Regular expressions that come from a policy (custom tools' signatures, MCP
 * server rules, globs with several wildcards) run in linear time, so no
 * pattern and no input can hang aitool (a `(a+)+$` over a command line
 * backtracks for hours in V8's default engine).
 *
 * The engine is V8's own linear-time one (an automaton simulation in the
 * RE2 family, O(pattern × input)), reached through the `l` flag once
 * `--enable-experimental-regexp-engine` is set. Why this one: it ships with
 * every Node this runs on (no native addon to build, like `re2`, no
 * JavaScript engine to trust or to keep fast), and it speaks JavaScript's
 * own syntax, so a pattern means what the schema says it means. The flag is
 * set at run time, here, the first time a user pattern is compiled, in
 * whichever process compiles it (check, the hooks, watch and its reloads):
 * V8 reads it when it parses a pattern's flags, so it takes effect from the
 * next `new RegExp`. Node keeps V8's flags unfrozen for exactly this call.
 * The built CLI's loader (src/load.cts) sets it before any chunk runs, so
 * there node:v8 is never loaded for it.
 *
 * What the engine does not run is refused with a reason: backreferences,
 * lookahead and lookbehind, counted repeats above {16}, and the `i`, `u`
 * and `v` flags. Case-insensitive matching (commit signatures, MCP rules,
 * Windows paths) is kept by rewriting the pattern instead: each letter
 * becomes the class of its case forms (`a` → `[aA]`), with the same case
 * rules as a non-Unicode `i` regular expression.
 *
 * Linear is not free: the cost is the pattern's size times the input's. A
 * pattern is capped at PATTERN_SOURCE_MAX characters, and it sees at most
 * the first `inputLimit` characters of a text, so one test costs at most
 * about a second on a slow machine, whatever the policy.
 *
 * The built-in catalog's patterns are written and reviewed here, and keep
 * V8's default engine: it is many times faster on them, and they run on every
 * process of every scan.
 */
import { createRequire } from 'node:module';

/** The longest pattern source a policy may give. */
export const PATTERN_SOURCE_MAX = 1000;
/** Pattern length × input length a single test may cost. */
const MATCH_BUDGET = 32 * 1024 * 1024;
/** Every pattern sees at least this much of a text. */
const INPUT_MIN = 32 * 1024;

/** What the matchers need of a pattern; a RegExp is one, and so is a linear pattern. */
export interface TextPattern {
  /** The pattern as written in the policy. */
  readonly source: string;
  test(text: string): boolean;
  exec(text: string): RegExpExecArray | null;
}

/** A pattern the linear-time engine cannot run; `reason` says what in it. */
export class UnsupportedPatternError extends Error {
  override name = 'UnsupportedPatternError';
  constructor(readonly reason: string) {
    super(`pattern not supported: ${reason}`);
  }
}

/** The one-line explanation a policy error gives after the reason. */
export const LINEAR_NOTE = 'aitool runs policy patterns in linear time, so backreferences and lookaround are not available';

let engineEnabled = false;

function enableLinearEngine(): void {
  if (engineEnabled) return;
  if (!linearFlagAccepted()) (createRequire(import.meta.url)('node:v8') as typeof import('node:v8')).setFlagsFromString('--enable-experimental-regexp-engine');
  engineEnabled = true;
}

/** Whether V8 takes the `l` flag already (the loader set the engine's flag). */
function linearFlagAccepted(): boolean {
  try {
    new RegExp('', 'l');
    return true;
  } catch {
    return false;
  }
}

/** The characters of a text a pattern of this length looks at. */
export function inputLimit(sourceLength: number): number {
  return Math.max(INPUT_MIN, Math.floor(MATCH_BUDGET / Math.max(1, sourceLength)));
}

const compiled = new Map<string, TextPattern>();
const CACHE_MAX = 2000;

/**
 * Compiles a policy's pattern for the linear-time engine. `flags` may be ''
 * or 'i'. Throws a SyntaxError for a pattern that is not a regular
 * expression at all, an UnsupportedPatternError for one the engine cannot
 * run. Results are cached, so callers may compile where they match.
 */
export function compileUserPattern(source: string, flags: '' | 'i' = ''): TextPattern {
  return compileLinear(source, flags, PATTERN_SOURCE_MAX);
}

function compileLinear(source: string, flags: '' | 'i', maxLength: number): TextPattern {
  const cacheKey = `${maxLength}\0${flags}\0${source}`;
  const cached = compiled.get(cacheKey);
  if (cached) return cached;
  // Syntax first, with the default engine, so a typo reads as a typo.
  new RegExp(source, flags);
  if (source.length > maxLength) {
    throw new UnsupportedPatternError(`longer than ${maxLength} characters (${source.length})`);
  }
  const linearSource = rewriteForLinear(source, flags === 'i');
  enableLinearEngine();
  let regExp: RegExp;
  try {
    regExp = new RegExp(linearSource, 'l');
  } catch {
    throw new UnsupportedPatternError(
      `it cannot run in linear time (counted repeats above {16} are not available either)`,
    );
  }
  const limit = inputLimit(source.length);
  const clip = (text: string) => (text.length > limit ? text.slice(0, limit) : text);
  const pattern: TextPattern = {
    source,
    test: (text) => regExp.test(clip(text)),
    exec: (text) => regExp.exec(clip(text)),
  };
  if (compiled.size >= CACHE_MAX) compiled.clear();
  compiled.set(cacheKey, pattern);
  return pattern;
}

/**
 * A pattern aitool builds itself from a glob. Several wildcards in one
 * expression backtrack polynomially (`*a*a*a*b` over a long name), so those
 * run on the linear engine; a single wildcard costs at most the square of a
 * path's length, and keeps the faster default engine.
 */
export function compileGlobPattern(source: string, wildcards: number, ignoreCase: boolean): TextPattern {
  if (wildcards < 2) return new RegExp(source, ignoreCase ? 'i' : '');
  // A glob's expression grows with its path, not with its cost: no length cap.
  return compileLinear(source, ignoreCase ? 'i' : '', Infinity);
}

/** Characters that end a run of literal text in a pattern. */
const SYNTAX = new Set([...'.^$|?*+()[]{}']);
/** What makes the character before it optional or repeated (`{` also where it stands for itself: the run is only shorter). */
const QUANTIFIERS = new Set([...'?*+{']);

/**
 * Text every match of `source` contains, lower-cased, for a cheap test before
 * the regular expression itself (a commit's lines are tested against every
 * commit signature, and compiling them was most of that): the pattern's
 * opening run of plain ASCII characters, after a leading `^`, when the
 * pattern has no `|` outside a group. Undefined when there is no such run
 * of three characters or more.
 *
 * Sound for `i` patterns too: without the `u` flag, an ASCII character
 * matches only itself and its other ASCII case, so whatever matches holds
 * the run in some mix of cases, and lower-casing the text keeps the run's
 * characters together.
 */
export function requiredLowercaseText(source: string): string | undefined {
  if (hasTopLevelAlternative(source)) return undefined;
  let run = '';
  for (let i = source.startsWith('^') ? 1 : 0; i < source.length; i++) {
    let c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1];
      // An escaped punctuation character stands for itself; `\s`, `\b`, `\d`, `\u0041` and the like do not.
      if (next === undefined || !/^[!-/:-@[-`{-~]$/.test(next)) break;
      c = next;
      i++;
    } else if (SYNTAX.has(c) || c < ' ' || c > '~') {
      break;
    }
    // A quantifier after this character makes it optional: it is not part of the run.
    if (QUANTIFIERS.has(source[i + 1] ?? '')) break;
    run += c;
  }
  return run.length >= 3 ? run.toLowerCase() : undefined;
}

/** Whether a `|` outside any group or class splits the whole pattern into alternatives. */
function hasTopLevelAlternative(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// The rewrite: refuses what the engine cannot run with a readable reason, and
// spells case-insensitivity out as character classes. JavaScript's syntax
// without the `u` flag (Annex B), which is how policy patterns are compiled.

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isHex = (c: string | undefined) => c !== undefined && /^[0-9a-fA-F]$/.test(c);
const isAsciiLetter = (c: string | undefined) => c !== undefined && /^[A-Za-z]$/.test(c);
const CONTROL_ESCAPES: Record<string, number> = { f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b };
const CLASS_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'S']);

/** The case key a non-Unicode `i` regular expression compares by (ECMA-262 Canonicalize). */
function canonicalize(code: number): number {
  const upper = String.fromCharCode(code).toUpperCase();
  if (upper.length !== 1) return code;
  const cu = upper.charCodeAt(0);
  return code >= 128 && cu < 128 ? code : cu;
}

let caseGroups: Map<number, number[]> | undefined;

/** Every code unit that a non-Unicode `i` expression takes for `code`, itself included. */
function caseForms(code: number): number[] {
  if (code < 128) {
    const c = String.fromCharCode(code);
    return isAsciiLetter(c) ? [c.toUpperCase().charCodeAt(0), c.toLowerCase().charCodeAt(0)] : [code];
  }
  // Outside ASCII, case forms are found by their shared key; no key of a
  // character above 127 is below 128, so ASCII never joins these groups.
  if (!caseGroups) {
    caseGroups = new Map();
    for (let unit = 128; unit <= 0xffff; unit++) {
      const key = canonicalize(unit);
      const group = caseGroups.get(key);
      if (group) group.push(unit);
      else caseGroups.set(key, [unit]);
    }
  }
  return caseGroups.get(canonicalize(code)) ?? [code];
}

const unit = (code: number) => `\\u${code.toString(16).padStart(4, '0')}`;

/** `[aA]` for a cased letter, the text as written otherwise. */
function foldedChar(code: number, written: string): string {
  const forms = caseForms(code);
  return forms.length > 1 ? `[${forms.map(unit).join('')}]` : written;
}

/** Code units as class ranges (`\u0041-\u0046\u0061`). */
function rangesOf(codes: Iterable<number>): string {
  const sorted = [...new Set(codes)].sort((a, b) => a - b);
  let out = '';
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out += j > i ? `${unit(sorted[i]!)}-${unit(sorted[j]!)}` : unit(sorted[i]!);
    i = j + 1;
  }
  return out;
}

interface Escape {
  /** The code unit it stands for; undefined for a class (`\d`) or an assertion (`\b`). */
  code?: number;
  /** Characters consumed after the backslash. */
  length: number;
}

/** Reads the escape after the backslash at `at` (shared by classes and the rest). */
function readEscape(source: string, at: number, inClass: boolean): Escape {
  const c = source[at + 1];
  if (c === undefined) return { code: 0x5c, length: 0 };
  if (CLASS_ESCAPES.has(c)) return { length: 1 };
  if (c === '0' && !isDigit(source[at + 2])) return { code: 0, length: 1 };
  if (c === 'b') return inClass ? { code: 0x08, length: 1 } : { length: 1 };
  if (c === 'B' && !inClass) return { length: 1 };
  if (c in CONTROL_ESCAPES) return { code: CONTROL_ESCAPES[c]!, length: 1 };
  if (c === 'c') {
    const next = source[at + 2];
    if (isAsciiLetter(next) || (inClass && (isDigit(next) || next === '_'))) return { code: next!.charCodeAt(0) % 32, length: 2 };
    // Annex B: a lone `\c` is a backslash; the `c` is read next, as itself.
    return { code: 0x5c, length: 0 };
  }
  if (c === 'x' && isHex(source[at + 2]) && isHex(source[at + 3])) {
    return { code: parseInt(source.slice(at + 2, at + 4), 16), length: 3 };
  }
  if (c === 'u' && [2, 3, 4, 5].every((k) => isHex(source[at + k]))) {
    return { code: parseInt(source.slice(at + 2, at + 6), 16), length: 5 };
  }
  if (inClass && c >= '0' && c <= '7') {
    // A legacy octal escape: up to three digits, at most \377.
    let digits = c;
    while (digits.length < 3 && source[at + 1 + digits.length]! >= '0' && source[at + 1 + digits.length]! <= '7') {
      const more = digits + source[at + 1 + digits.length];
      if (parseInt(more, 8) > 0o377) break;
      digits = more;
    }
    return { code: parseInt(digits, 8), length: digits.length };
  }
  return { code: c.charCodeAt(0), length: 1 };
}

/** A `[...]` class: its items written out again, plus the case forms of every character in it. */
function rewriteClass(source: string, start: number, fold: boolean): { text: string; end: number } {
  let i = start + 1;
  const negated = source[i] === '^';
  if (negated) i++;
  const items: string[] = [];
  const codes: number[] = [];
  const ranges: Array<[number, number]> = [];
  const readAtom = (): { code?: number; text: string } => {
    if (source[i] === '\\') {
      const escape = readEscape(source, i, true);
      const written = source.slice(i, i + 1 + escape.length);
      i += 1 + escape.length;
      return escape.code === undefined ? { text: written } : { code: escape.code, text: unit(escape.code) };
    }
    const code = source.charCodeAt(i);
    i++;
    return { code, text: unit(code) };
  };
  while (i < source.length && source[i] !== ']') {
    const first = readAtom();
    if (source[i] === '-' && source[i + 1] !== ']' && i + 1 < source.length) {
      i++;
      const second = readAtom();
      if (first.code !== undefined && second.code !== undefined) {
        items.push(`${first.text}-${second.text}`);
        ranges.push([first.code, second.code]);
        continue;
      }
      // Annex B: a class escape at either end makes the `-` a character.
      items.push(first.text, '\\-', second.text);
      for (const atom of [first, second]) if (atom.code !== undefined) codes.push(atom.code);
      continue;
    }
    items.push(first.text);
    if (first.code !== undefined) codes.push(first.code);
  }
  let extra = '';
  if (fold) {
    const forms: number[] = [];
    const add = (code: number) => {
      for (const form of caseForms(code)) if (form !== code) forms.push(form);
    };
    codes.forEach(add);
    for (const [low, high] of ranges) for (let code = low; code <= high; code++) add(code);
    extra = rangesOf(forms);
  }
  return { text: `[${negated ? '^' : ''}${items.join('')}${extra}]`, end: i + 1 };
}

/**
 * The source the linear engine compiles: the same pattern, with letters
 * spelled in both cases when `fold`. Throws UnsupportedPatternError for a
 * backreference or a lookaround.
 */
export function rewriteForLinear(source: string, fold: boolean): string {
  const namedGroups = /\(\?<(?![=!])/.test(source);
  let out = '';
  for (let i = 0; i < source.length; ) {
    const c = source[i]!;
    if (c === '[') {
      const cls = rewriteClass(source, i, fold);
      out += fold ? cls.text : source.slice(i, cls.end);
      i = cls.end;
      continue;
    }
    if (c === '(') {
      const look = /^\(\?(<?[=!])/.exec(source.slice(i, i + 4));
      if (look) throw new UnsupportedPatternError(`${look[1]!.startsWith('<') ? 'lookbehind' : 'lookahead'} (?${look[1]}`);
      const named = /^\(\?<[^>]*>/.exec(source.slice(i));
      const written = named ? named[0] : source.startsWith('(?:', i) ? '(?:' : '(';
      out += written;
      i += written.length;
      continue;
    }
    if (c === '\\') {
      const next = source[i + 1];
      if (next !== undefined && next >= '1' && next <= '9') {
        throw new UnsupportedPatternError(`backreference \\${next} (write \\xHH for a character code)`);
      }
      if (next === '0' && isDigit(source[i + 2])) throw new UnsupportedPatternError(`octal escape \\0${source[i + 2]} (write \\xHH instead)`);
      if (next === 'k' && namedGroups) throw new UnsupportedPatternError('backreference \\k<...>');
      const escape = readEscape(source, i, false);
      const written = source.slice(i, i + 1 + escape.length);
      i += 1 + escape.length;
      if (escape.length === 0) out += '\\\\';
      else out += fold && escape.code !== undefined ? foldedChar(escape.code, written) : written;
      continue;
    }
    if (c === '{') {
      // A counted repeat (or a literal brace): digits and commas, nothing to fold.
      const count = /^\{\d+(,\d*)?\}/.exec(source.slice(i));
      if (count) {
        out += count[0];
        i += count[0].length;
        continue;
      }
    }
    out += fold ? foldedChar(source.charCodeAt(i), c) : c;
    i++;
  }
  return out;
}
