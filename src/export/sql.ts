/**
 * SQL text for osquery: literals, and the catalog's path patterns and
 * command-line regular expressions turned into what stock osquery (SQLite)
 * can evaluate: `=`, `IN`, `GLOB`, `LIKE` and `lower()`. Pure.
 *
 * GLOB is used wherever aitool compares case-sensitively (paths on macOS and
 * Linux, command lines), because GLOB is case-sensitive and SQLite's LIKE is
 * not; case-insensitive comparisons lower-case both sides. LIKE is used only
 * against osquery's `file` table, which turns a LIKE pattern into a
 * filesystem glob (`%` one level, `%%` any depth) and needs it to find files.
 */
import { UserError } from '../errors.js';

/** The osquery platforms aitool writes queries for (osquery's own names). */
export type Platform = 'darwin' | 'linux' | 'windows';
export const PLATFORMS: readonly Platform[] = ['darwin', 'linux', 'windows'];

/** A SQL string literal. A NUL cannot be written in one, so a value holding it is refused. */
export function sqlString(text: string): string {
  if (text.includes('\0')) throw new UserError(`export: ${JSON.stringify(text)}: a NUL character cannot be written in an osquery query`);
  return `'${text.replace(/'/g, "''")}'`;
}

/** `(<a>, <b>)`: distinct values, sorted so the output is stable. */
export function sqlList(values: Iterable<string>): string {
  return `(${[...new Set(values)].sort().map(sqlString).join(', ')})`;
}

/** Text GLOB must take literally: `*`, `?` and `[` become one-character classes. */
export function globLiteral(text: string): string {
  return text.replace(/[*?[]/g, (c) => `[${c}]`);
}

/**
 * Where a catalog path pattern points on one platform, with its anchor
 * resolved as far as a query can: the home folder stays symbolic (osquery
 * reads it from `users.directory`), the XDG and Windows known folders take
 * their default places (osquery cannot read a user's environment), and an
 * anchor the platform does not have makes the pattern not apply.
 */
export interface PlacedPattern {
  anchor: 'root' | 'home' | 'anywhere';
  /** The rest, with `/` separators and the catalog's glob syntax (`*`, `**`, `{version}`). */
  rest: string;
}

const XDG_DEFAULTS: Record<string, string> = {
  XDG_CONFIG_HOME: '.config',
  XDG_DATA_HOME: '.local/share',
  XDG_STATE_HOME: '.local/state',
  XDG_CACHE_HOME: '.cache',
};

/** Windows known folders, relative to the home folder (`home`) or absolute (`root`), at their default places. */
const WINDOWS_FOLDERS: Record<string, PlacedPattern> = {
  APPDATA: { anchor: 'home', rest: 'AppData/Roaming' },
  LOCALAPPDATA: { anchor: 'home', rest: 'AppData/Local' },
  USERPROFILE: { anchor: 'home', rest: '' },
  PROGRAMFILES: { anchor: 'root', rest: 'C:/Program Files' },
  PROGRAMDATA: { anchor: 'root', rest: 'C:/ProgramData' },
};

function join(head: string, tail: string): string {
  if (head === '') return tail;
  return tail === '' ? head : `${head}/${tail}`;
}

/** Resolves a pattern's anchor for one platform, as src/patterns.ts does for one machine; undefined where it cannot exist. */
export function placePattern(pattern: string, platform: Platform): PlacedPattern | undefined {
  const slashed = pattern.replace(/\\/g, '/').replace(/\/+$/, '');
  const windows = platform === 'windows';
  if (slashed === '~' || slashed.startsWith('~/')) return { anchor: 'home', rest: slashed.slice(2) };
  const xdg = /^\$(XDG_[A-Z_]+)(?=\/|$)/.exec(slashed);
  if (xdg) {
    const fallback = XDG_DEFAULTS[xdg[1]!];
    if (fallback === undefined || windows) return undefined;
    return { anchor: 'home', rest: join(fallback, slashed.slice(xdg[0].length + 1)) };
  }
  const known = /^%([A-Za-z]+)%(?=\/|$)/.exec(slashed);
  if (known) {
    const folder = WINDOWS_FOLDERS[known[1]!.toUpperCase()];
    if (!folder || !windows) return undefined;
    return { anchor: folder.anchor, rest: join(folder.rest, slashed.slice(known[0].length + 1)) };
  }
  if (/^[A-Za-z]:\//.test(slashed)) return windows ? { anchor: 'root', rest: slashed } : undefined;
  if (slashed.startsWith('/')) return windows ? undefined : { anchor: 'root', rest: slashed };
  return { anchor: 'anywhere', rest: slashed };
}

/** A pattern that matches a folder also matches what is inside it (src/patterns.ts): a trailing `/**` adds nothing. */
function withoutInside(rest: string): string {
  return rest.replace(/\/\*\*$/, '');
}

/** True when the rest of a pattern has wildcards (`*`, `**`, `{version}`). */
export function hasWildcards(rest: string): boolean {
  return /\*|\{version\}/.test(withoutInside(rest));
}

/** The separator osquery reports paths with on a platform. */
export function separatorOf(platform: Platform): '/' | '\\' {
  return platform === 'windows' ? '\\' : '/';
}

/**
 * A placed pattern as a GLOB over an absolute path, and the GLOB for what is
 * inside it. The home folder and "anywhere" become `*`: a process's path does
 * not say whose home it is in, so any folder that ends the same way counts,
 * which is as wide as aitool's own match for unanchored patterns. `*` within a
 * segment also crosses separators here (GLOB has no segment wildcard), which
 * only widens the match. On Windows the GLOB is lower-case, for comparison
 * with `lower(column)`, because Windows paths ignore case.
 */
export function pathGlobs(placed: PlacedPattern, platform: Platform): { self: string; inside: string } {
  const sep = separatorOf(platform);
  const rest = withoutInside(placed.rest);
  let body = '';
  for (let i = 0; i < rest.length; ) {
    if (rest.startsWith('**', i)) {
      body += '*';
      i += 2;
    } else if (rest[i] === '*') {
      body += '*';
      i += 1;
    } else if (rest.startsWith('{version}', i)) {
      body += '*';
      i += '{version}'.length;
    } else {
      body += globLiteral(rest[i]!);
      i += 1;
    }
  }
  body = body.replace(/\*+/g, '*');
  const head = placed.anchor === 'root' ? '' : '*/';
  let self = `${head}${body}`.replace(/\/+$/, '');
  if (sep === '\\') self = self.replace(/\//g, '\\').toLowerCase();
  return { self, inside: `${self}${sep}*` };
}

/**
 * A placed pattern as a path expression over osquery's `file` table: a SQL
 * expression for the exact path, or (with wildcards) a LIKE pattern. Home
 * patterns read the home folder from `users.directory` (alias `u`); an
 * "anywhere" pattern has no place to look and gives undefined.
 */
export function filePath(placed: PlacedPattern, platform: Platform): { expr: string; like: boolean } | undefined {
  if (placed.anchor === 'anywhere') return undefined;
  const sep = separatorOf(platform);
  const rest = withoutInside(placed.rest);
  const like = hasWildcards(rest);
  // `**` is osquery's `%%` (any depth); `*` and `{version}` are one level, `%`.
  let text = like ? rest.replace(/\*\*/g, '%%').replace(/\*|\{version\}/g, '%') : rest;
  if (sep === '\\') text = text.replace(/\//g, '\\');
  if (placed.anchor === 'root') return { expr: sqlString(text), like };
  return { expr: text === '' ? 'u.directory' : `u.directory || ${sqlString(`${sep}${text}`)}`, like };
}

/**
 * A command-line regular expression from the catalog as a GLOB that matches
 * at least everything the expression matches, or undefined when GLOB cannot
 * say it. Literal text, escaped punctuation, single-character classes (`.`,
 * `\w`, `[...]`) with or without `*`, `+`, `?` or `{n,m}`, and `^`/`$`
 * anchors translate; a word boundary `\b` is dropped (GLOB cannot say it;
 * dropping it only widens the match); alternation, groups and quantified
 * literals do not translate.
 */
export function regexToGlob(source: string): string | undefined {
  type Token = { kind: 'literal'; text: string } | { kind: 'any'; many: boolean };
  const tokens: Token[] = [];
  let i = 0;
  let anchoredStart = false;
  let anchoredEnd = false;
  if (source.startsWith('^')) {
    anchoredStart = true;
    i = 1;
  }
  let end = source.length;
  if (source.endsWith('$') && !source.endsWith('\\$')) {
    anchoredEnd = true;
    end -= 1;
  }
  while (i < end) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined) return undefined;
      i += 2;
      if (next === 'b') continue;
      if ('wWdDsS'.includes(next)) tokens.push({ kind: 'any', many: false });
      else if (/[A-Za-z0-9]/.test(next)) return undefined;
      else tokens.push({ kind: 'literal', text: next });
    } else if (c === '.') {
      tokens.push({ kind: 'any', many: false });
      i += 1;
    } else if (c === '[') {
      const close = findClassEnd(source, i);
      if (close === undefined || close >= end) return undefined;
      tokens.push({ kind: 'any', many: false });
      i = close + 1;
    } else if (c === '*' || c === '+' || c === '?' || c === '{') {
      const last = tokens.at(-1);
      if (!last || last.kind !== 'any') return undefined;
      if (c === '{') {
        const close = source.indexOf('}', i);
        if (close === -1 || !/^\{\d*,?\d*\}$/.test(source.slice(i, close + 1))) return undefined;
        i = close + 1;
      } else {
        i += 1;
      }
      // `x?`, `x*`, `x+` and `x{n,m}` all fit in "any run of characters".
      last.many = true;
    } else if ('()|^$'.includes(c)) {
      return undefined;
    } else {
      tokens.push({ kind: 'literal', text: c });
      i += 1;
    }
  }
  let glob = anchoredStart ? '' : '*';
  for (const token of tokens) glob += token.kind === 'literal' ? globLiteral(token.text) : token.many ? '*' : '?';
  if (!anchoredEnd) glob += '*';
  return glob.replace(/\*+/g, '*');
}

/** The index of the `]` that closes the class opening at `open`. */
function findClassEnd(source: string, open: number): number | undefined {
  let i = open + 1;
  if (source[i] === '^') i += 1;
  if (source[i] === ']') i += 1;
  for (; i < source.length; i += 1) {
    if (source[i] === '\\') i += 1;
    else if (source[i] === ']') return i;
  }
  return undefined;
}
