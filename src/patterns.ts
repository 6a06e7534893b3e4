/**
 * Path patterns, as written in catalog entries and policies (see PathPattern in
 * src/catalog/schema.ts), compiled to regular expressions over logical paths
 * with forward slashes.
 */
import type { OperatingSystem } from './catalog/schema.js';
import { compileGlobPattern, type TextPattern } from './regex.js';

export interface PatternEnvironment {
  os: OperatingSystem;
  home: string;
  env: Readonly<Record<string, string | undefined>>;
}

export interface PathMatch {
  /** The `{version}` segment, when the pattern has one. */
  version?: string;
}

export interface CompiledPathPattern {
  source: string;
  match(path: string): PathMatch | undefined;
  /** What every path it matches holds, lower-cased: for indexes that test a path only against the patterns it could match. */
  required: RequiredText;
}

/**
 * Literal text a pattern's matches cannot do without. `segments`: whole path
 * segments (between slashes) free of wildcards; a matching path has each of
 * them as one of its own segments. `anchorSegments`: the same, from what the
 * pattern's anchor (`~`, `$XDG_…`, `%APPDATA%`) stands for on this host, which
 * many paths share. `fragments`: the literal runs of the segments with
 * wildcards; a matching path contains each. Lower-cased, so an index built on
 * them serves case-insensitive (Windows) patterns too.
 */
export interface RequiredText {
  segments: string[];
  anchorSegments: string[];
  fragments: string[];
}

/** Splits a pattern, its anchor expanded, as globToRegExpSource reads it; `anchorLength`: the expansion's length. */
function requiredText(glob: string, anchorLength: number): RequiredText {
  const required: RequiredText = { segments: [], anchorSegments: [], fragments: [] };
  let at = 0;
  for (const segment of glob.toLowerCase().split('/')) {
    const inAnchor = at + segment.length <= anchorLength;
    at += segment.length + 1;
    if (segment === '') continue;
    if (segment.includes('*') || segment.includes('{version}')) {
      required.fragments.push(...segment.split(/\*+|\{version\}/).filter((literal) => literal !== ''));
    } else {
      (inAnchor ? required.anchorSegments : required.segments).push(segment);
    }
  }
  return required;
}

/** Backslashes to slashes, no trailing slash (except the root). */
export function toSlashes(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  return slashed.length > 1 && slashed.endsWith('/') ? slashed.slice(0, -1) : slashed;
}

const XDG_DEFAULTS: Record<string, string> = {
  XDG_CONFIG_HOME: '.config',
  XDG_DATA_HOME: '.local/share',
  XDG_STATE_HOME: '.local/state',
  XDG_CACHE_HOME: '.cache',
};

/** Windows known folders: the variable that names each, and where it is when unset. */
const WINDOWS_FOLDERS: Record<string, { variable: string; fallback: (home: string) => string }> = {
  APPDATA: { variable: 'APPDATA', fallback: (home) => `${home}/AppData/Roaming` },
  LOCALAPPDATA: { variable: 'LOCALAPPDATA', fallback: (home) => `${home}/AppData/Local` },
  PROGRAMFILES: { variable: 'ProgramFiles', fallback: () => 'C:/Program Files' },
  PROGRAMDATA: { variable: 'ProgramData', fallback: () => 'C:/ProgramData' },
  USERPROFILE: { variable: 'USERPROFILE', fallback: (home) => home },
};

function readVariable(env: PatternEnvironment['env'], name: string): string | undefined {
  const value = env[name];
  return value && value.trim() !== '' ? toSlashes(value) : undefined;
}

/** The anchors expandAnchor replaces. */
const ANCHOR = /^(?:~(?=\/|$)|\$XDG_[A-Z_]+(?=\/|$)|%[A-Za-z]+%(?=\/|$))/;

/**
 * Resolves the anchor of a pattern (`~`, `$XDG_…`, `%APPDATA%`, …) to a
 * logical path prefix. Returns the pattern with its anchor replaced, the
 * pattern itself when it has no anchor, or undefined when the anchor does not
 * exist on this OS (`%APPDATA%` on Linux).
 */
export function expandAnchor(pattern: string, where: PatternEnvironment): string | undefined {
  const home = toSlashes(where.home);
  if (pattern === '~' || pattern.startsWith('~/')) return home + pattern.slice(1);

  const xdg = /^\$(XDG_[A-Z_]+)(?=\/|$)/.exec(pattern);
  if (xdg) {
    const name = xdg[1]!;
    const fallback = XDG_DEFAULTS[name];
    if (fallback === undefined || where.os === 'windows') return undefined;
    return (readVariable(where.env, name) ?? `${home}/${fallback}`) + pattern.slice(xdg[0].length);
  }

  const known = /^%([A-Za-z]+)%(?=\/|$)/.exec(pattern);
  if (known) {
    const folder = WINDOWS_FOLDERS[known[1]!.toUpperCase()];
    if (!folder || where.os !== 'windows') return undefined;
    return (readVariable(where.env, folder.variable) ?? folder.fallback(home)) + pattern.slice(known[0].length);
  }
  return pattern;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** Turns the glob part of a pattern into a regular-expression source, and counts its wildcards. */
function globToRegExpSource(glob: string): { source: string; wildcards: number } {
  let out = '';
  let wildcards = 0;
  for (let i = 0; i < glob.length; ) {
    if (glob.startsWith('**', i)) {
      // `a/**/b` also matches `a/b`.
      wildcards += 1;
      if (glob[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 3;
      } else {
        out += '.*';
        i += 2;
      }
    } else if (glob[i] === '*') {
      wildcards += 1;
      out += '[^/]*';
      i += 1;
    } else if (glob.startsWith('{version}', i)) {
      wildcards += 1;
      // The first is the version; a second (a policy's `/{version}/{version}`, or a home folder named so) is a plain
      // wildcard: a group named twice is an error, which would end the check at its first match.
      out += out.includes('(?<version>') ? '[^/]+' : '(?<version>[^/]+)';
      i += '{version}'.length;
    } else {
      out += escapeRegExp(glob[i]!);
      i += 1;
    }
  }
  return { source: out, wildcards };
}

/**
 * Compiles a pattern for one environment. A pattern matches a path equal to
 * it or anything inside it, so a folder pattern also matches the files below.
 * Returns undefined when the pattern's anchor does not exist on this OS.
 */
export function compilePathPattern(pattern: string, where: PatternEnvironment): CompiledPathPattern | undefined {
  const slashed = toSlashes(pattern);
  const expanded = expandAnchor(slashed, where);
  if (expanded === undefined) return undefined;
  const anchored = expanded.startsWith('/') || /^[A-Za-z]:\//.test(expanded);
  const globText = expanded.replace(/\/\*\*$/, '');
  // Compiled at its first use: with the matchers' indexes most patterns never run.
  let regExp: TextPattern | undefined;
  const compile = (): TextPattern => {
    const glob = globToRegExpSource(globText);
    const body = anchored ? `^${glob.source}` : `(?:^|/)${glob.source}`;
    // Windows paths ignore case; elsewhere a case difference is a different file.
    return compileGlobPattern(`${body}(?:/.*)?$`, glob.wildcards, where.os === 'windows');
  };
  return {
    source: pattern,
    required: requiredText(globText, expanded === slashed ? 0 : expanded.length - (slashed.length - (ANCHOR.exec(slashed)?.[0].length ?? 0))),
    match(path) {
      regExp ??= compile();
      const found = regExp.exec(toSlashes(path));
      if (!found) return undefined;
      const version = found.groups?.version;
      return version === undefined ? {} : { version };
    },
  };
}
