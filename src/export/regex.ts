/**
 * A policy's case-insensitive regular expression (MCP rules: JavaScript
 * syntax, `i` flag) as a pattern for osquery's `regex_match(text, pattern,
 * 0)`, or the reason it cannot be one. Pure.
 *
 * osquery's regex_match (osquery/sql/sqlite_string.cpp) runs
 * `std::regex_search` with the default std::regex grammar (ECMAScript, no
 * flags) and refuses a pattern longer than 256 bytes (the hidden flag
 * `--regex_max_size`). It has no case-insensitive flag, so case is spelled
 * out: `a` → `[aA]`, and a class gets the other case of every letter in it.
 *
 * Only a subset is translated, the one whose meaning is the same in both
 * engines on ASCII text: literals, `.`, `\d \w \s \D \W \S`, `\b \B`, `^ $`,
 * `|`, `( )` and `(?: )`, the quantifiers `* + ? {n} {n,} {n,m}` (lazy or
 * not), classes of ASCII characters and ranges, and escaped punctuation.
 * Everything else (non-ASCII, `\x \u \c \0`, named groups, POSIX-looking
 * `[` inside a class, an empty class, Annex-B leniencies such as a lone `{`
 * or `]`) is refused with a reason rather than guessed at. On non-ASCII text,
 * `.` and negated classes see one UTF-16 unit in JavaScript and one byte in
 * std::regex, so a pattern that counts such characters can differ there.
 */

/** osquery's default `--regex_max_size`. */
export const OSQUERY_REGEX_MAX = 256;

export type RegexTranslation = { pattern: string } | { reason: string };

const CLASS_ESCAPES = 'dDwWsS';
const CONTROL_ESCAPES: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13 };
const SYNTAX = '\\^$.|?*+()[]{}';

const isLetter = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const otherCase = (code: number) => (code <= 90 ? code + 32 : code - 32);
const isPunctuation = (c: string) => /^[!-/:-@[-`{-~]$/.test(c);

class Refused extends Error {}

/** One character as it may stand in a class: printable ASCII as itself unless it means something there. */
function classChar(code: number): string {
  const c = String.fromCharCode(code);
  if (code === 9) return '\\t';
  if (code === 10) return '\\n';
  if (code === 11) return '\\v';
  if (code === 12) return '\\f';
  if (code === 13) return '\\r';
  return '\\]-^['.includes(c) ? `\\${c}` : c;
}

/** Code points as class items (`a-fA-F_`). */
function classItems(codes: ReadonlySet<number>): string {
  const sorted = [...codes].sort((a, b) => a - b);
  let out = '';
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    out += j - i >= 2 ? `${classChar(sorted[i]!)}-${classChar(sorted[j]!)}` : sorted.slice(i, j + 1).map(classChar).join('');
    i = j + 1;
  }
  return out;
}

function translate(source: string): string {
  let out = '';
  let i = 0;
  let depth = 0;
  /** Whether the last thing written can take a quantifier. */
  let quantifiable = false;

  const literal = (code: number) => {
    const c = String.fromCharCode(code);
    if (isLetter(code)) out += `[${c}${String.fromCharCode(otherCase(code))}]`;
    else if (SYNTAX.includes(c)) out += `\\${c}`;
    else out += code < 32 ? classChar(code) : c;
    quantifiable = true;
  };

  const readClass = () => {
    i += 1;
    const negated = source[i] === '^';
    if (negated) i += 1;
    const codes = new Set<number>();
    const escapes: string[] = [];
    const readAtom = (): number | string => {
      const c = source[i];
      if (c === undefined) throw new Refused('an unclosed class');
      if (c === '[') throw new Refused('`[` inside a class (std::regex reads `[:`, `[.` and `[=` as POSIX classes)');
      if (c === '\\') {
        const next = source[i + 1];
        if (next === undefined) throw new Refused('a trailing backslash');
        i += 2;
        if (CLASS_ESCAPES.includes(next)) return `\\${next}`;
        if (next in CONTROL_ESCAPES) return CONTROL_ESCAPES[next]!;
        if (isPunctuation(next)) return next.charCodeAt(0);
        throw new Refused(`the escape \\${next} inside a class`);
      }
      i += 1;
      return c.charCodeAt(0);
    };
    if (source[i] === ']') throw new Refused('an empty class');
    while (source[i] !== ']') {
      const first = readAtom();
      if (source[i] === '-' && source[i + 1] !== ']' && source[i + 1] !== undefined) {
        i += 1;
        const second = readAtom();
        if (typeof first !== 'number' || typeof second !== 'number') throw new Refused('a range with a class escape at one end');
        if (first > second) throw new Refused('a range out of order');
        for (let code = first; code <= second; code++) codes.add(code);
        continue;
      }
      if (typeof first === 'number') codes.add(first);
      else escapes.push(first);
    }
    i += 1;
    for (const code of [...codes]) if (isLetter(code)) codes.add(otherCase(code));
    out += `[${negated ? '^' : ''}${classItems(codes)}${escapes.join('')}]`;
    quantifiable = true;
  };

  while (i < source.length) {
    const c = source[i]!;
    const code = c.charCodeAt(0);
    if (code > 126 || (code < 32 && code !== 9)) throw new Refused('a character outside printable ASCII');
    if (c === '[') {
      readClass();
    } else if (c === '(') {
      if (source.startsWith('(?:', i)) {
        out += '(?:';
        i += 3;
      } else if (source[i + 1] === '?') {
        throw new Refused('a group other than ( ) and (?: )');
      } else {
        out += '(';
        i += 1;
      }
      depth += 1;
      quantifiable = false;
    } else if (c === ')') {
      if (depth === 0) throw new Refused('an unmatched )');
      depth -= 1;
      out += ')';
      i += 1;
      quantifiable = true;
    } else if (c === '|') {
      out += '|';
      i += 1;
      quantifiable = false;
    } else if (c === '^' || c === '$') {
      out += c;
      i += 1;
      quantifiable = false;
    } else if (c === '.') {
      out += '.';
      i += 1;
      quantifiable = true;
    } else if (c === '*' || c === '+' || c === '?' || c === '{') {
      if (!quantifiable) throw new Refused(`the quantifier ${c} with nothing to repeat`);
      if (c === '{') {
        const count = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
        if (!count) throw new Refused('a `{` that is not a counted repeat');
        if (count[3] && Number(count[3]) < Number(count[1])) throw new Refused('a counted repeat out of order');
        out += count[0];
        i += count[0].length;
      } else {
        out += c;
        i += 1;
      }
      if (source[i] === '?') {
        out += '?';
        i += 1;
      }
      quantifiable = false;
    } else if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined) throw new Refused('a trailing backslash');
      i += 2;
      if (next === 'b' || next === 'B') {
        out += `\\${next}`;
        quantifiable = false;
      } else if (CLASS_ESCAPES.includes(next)) {
        out += `\\${next}`;
        quantifiable = true;
      } else if (next in CONTROL_ESCAPES) {
        out += `\\${next}`;
        quantifiable = true;
      } else if (isPunctuation(next)) {
        literal(next.charCodeAt(0));
      } else {
        throw new Refused(`the escape \\${next}`);
      }
    } else if (c === ']' || c === '}') {
      throw new Refused(`a lone ${c}`);
    } else {
      literal(code);
      i += 1;
    }
  }
  if (depth !== 0) throw new Refused('an unclosed (');
  return out;
}

/** The case-insensitive pattern as a case-spelled std::regex pattern, or why not. */
export function toOsqueryRegex(source: string): RegexTranslation {
  let pattern: string;
  try {
    pattern = translate(source);
  } catch (error) {
    if (error instanceof Refused) return { reason: `it has ${error.message}` };
    throw error;
  }
  if (pattern.length > OSQUERY_REGEX_MAX) {
    return { reason: `with case spelled out it is ${pattern.length} bytes, over osquery's ${OSQUERY_REGEX_MAX}-byte regex_match limit` };
  }
  return { pattern };
}
