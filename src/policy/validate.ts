/**
 * Validates the parsed data of one policy file against the schema and turns
 * the first problem into a one-line PolicyError (`<file>: <key>: <problem>`)
 * with a did-you-mean where one is close. A raw ZodError never escapes.
 *
 * Loads zod (through ./schema.js): src/policy/load.ts imports this module
 * lazily, only when there is a file to check.
 */
import type { z } from 'zod';
import { PolicyError } from '../errors.js';
import { compileUserPattern, LINEAR_NOTE, UnsupportedPatternError } from '../regex.js';
import { oneLine } from './parse.js';
import { policySchema, type PolicyFile } from './schema.js';
import { didYouMean } from './suggest.js';

type Path = readonly PropertyKey[];

/**
 * The schema-level check of one file. `knownToolIds` only feeds suggestions
 * (ids are checked against the catalog later, across all files: see
 * ./references.ts).
 */
export function validatePolicyData(file: string, raw: unknown, knownToolIds: Iterable<string> = []): PolicyFile {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    // The value is not quoted: a file that is not a policy at all (a key, a
    // token file reached by mistake) must not end up in a CI log.
    throw new PolicyError(file, undefined, `expected a mapping of policy keys (default, tools, ...) at the top level, got ${Array.isArray(raw) ? 'a list' : `a ${typeof raw === 'string' ? 'text' : typeof raw} value`}`);
  }
  checkReservedKeys(file, raw, []);
  const result = policySchema.safeParse(raw);
  if (!result.success) {
    const first = result.error.issues[0];
    if (!first) throw new PolicyError(file, undefined, 'invalid policy');
    throw issueToError(file, first, raw, [], [...knownToolIds]);
  }
  checkCustomTools(file, result.data);
  checkMcpPatterns(file, result.data);
  return result.data;
}

/**
 * Keys that name parts of JavaScript objects rather than policy entries.
 * `mcp.servers.constructor` or `tools.__proto__` would otherwise reach
 * objects' prototypes in the merge, silently dropping the rule or setting
 * properties where no rule belongs.
 */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** No policy nests deeper than a handful of levels; far deeper data is refused before anything recurses into it. */
const MAX_DEPTH = 32;

function checkReservedKeys(file: string, root: unknown, rootPath: PropertyKey[]): void {
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: root, path: rootPath }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (path.length > MAX_DEPTH) throw new PolicyError(file, formatKeyPath(path.slice(0, 3)), `nested more than ${MAX_DEPTH} levels deep; no policy key goes that deep`);
    if (Array.isArray(value)) {
      value.forEach((item, index) => stack.push({ value: item, path: [...path, index] }));
      continue;
    }
    for (const key of Object.keys(value)) {
      if (RESERVED_KEYS.has(key)) {
        throw new PolicyError(file, formatKeyPath([...path, key]), `'${key}' is a reserved word and cannot be used as a key or id`);
      }
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, key] });
    }
  }
}

/** Custom tools: ids unique within the file, every regular expression compiles. */
function checkCustomTools(file: string, policy: PolicyFile): void {
  const seen = new Map<string, number>();
  policy.customTools?.forEach((tool, index) => {
    const base = `customTools[${index}]`;
    const earlier = seen.get(tool.id);
    if (earlier !== undefined) {
      throw new PolicyError(file, `${base}.id`, `duplicate custom tool id '${tool.id}' (also customTools[${earlier}])`);
    }
    seen.set(tool.id, index);
    const sig = tool.signatures;
    sig.processes?.args?.forEach((source, i) => compiles(file, `${base}.signatures.processes.args[${i}]`, source, ''));
    sig.env?.forEach((env, i) => {
      if (env.value !== undefined) compiles(file, `${base}.signatures.env[${i}].value`, env.value, '');
    });
    sig.commits?.forEach((commit, i) => compiles(file, `${base}.signatures.commits[${i}].pattern`, commit.pattern, 'i'));
    sig.fileMarkers?.forEach((marker, i) => compiles(file, `${base}.signatures.fileMarkers[${i}].pattern`, marker.pattern, ''));
  });
}

/** MCP server rules: every pattern compiles, with the flag decide.ts matches with. */
function checkMcpPatterns(file: string, policy: PolicyFile): void {
  for (const [id, rule] of Object.entries(policy.mcp?.servers ?? {})) {
    if (typeof rule === 'string') continue;
    for (const field of ['name', 'command', 'url'] as const) {
      const source = rule[field];
      if (source !== undefined) compiles(file, `mcp.servers.${id}.${field}`, source, 'i');
    }
  }
}

/** With the compiler matching uses (src/regex.ts), so what validates also runs, in linear time. */
function compiles(file: string, key: string, source: string, flags: '' | 'i'): void {
  try {
    compileUserPattern(source, flags);
  } catch (error) {
    if (error instanceof UnsupportedPatternError) throw new PolicyError(file, key, `${error.message}; ${LINEAR_NOTE}`);
    throw new PolicyError(file, key, `invalid pattern: ${oneLine(String((error as Error).message))}`);
  }
}

/** `tools.claude-code.action`, `customTools[0].signatures.processes.args[1]`. */
export function formatKeyPath(path: Path): string | undefined {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? undefined : out;
}

function issueToError(file: string, issue: z.core.$ZodIssue, raw: unknown, base: Path, knownToolIds: string[]): PolicyError {
  const path = [...base, ...issue.path];
  const value = valueAt(raw, path);
  const key = formatKeyPath(path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const unknown = issue.keys[0] ?? '';
      const allowed = allowedKeysAt(path);
      const what = path.length === 1 && path[0] === 'categories' ? 'unknown category' : 'unknown key';
      const hint = didYouMean(unknown, allowed);
      const list = hint === '' && allowed.length > 0 ? `; expected one of ${allowed.join(', ')}` : hint;
      return new PolicyError(file, formatKeyPath([...path, unknown]), `${what} '${unknown}'${list}`);
    }
    case 'invalid_union': {
      const branch = matchingBranch(issue.errors, value);
      const inner = branch?.[0];
      if (inner) return issueToError(file, inner, raw, path, knownToolIds);
      const expected = issue.errors.map(describeExpected).filter((e): e is string => e !== undefined);
      return new PolicyError(file, key, `expected ${expected.join(' or ')}, got ${describeValue(value)}`);
    }
    case 'invalid_value': {
      const values = issue.values.map(String);
      const hint = typeof value === 'string' ? didYouMean(value, values) : '';
      return new PolicyError(file, key, `expected one of ${values.join(' | ')}, got ${describeValue(value)}${hint}`);
    }
    case 'invalid_type': {
      if (value === undefined) return new PolicyError(file, key, `missing: expected ${typeName(issue.expected)}`);
      return new PolicyError(file, key, `expected ${typeName(issue.expected)}, got ${describeValue(value)}`);
    }
    case 'invalid_key': {
      const id = String(path[path.length - 1]);
      const parent = path[path.length - 2];
      if (parent === 'servers' && path[path.length - 3] === 'mcp') {
        return new PolicyError(file, key, `${describeValue(id)} is not a valid MCP server rule id: expected a server name without leading or trailing spaces`);
      }
      const hint = parent === 'tools' ? didYouMean(id.toLowerCase().replace(/[^a-z0-9]+/g, '-'), knownToolIds) : '';
      return new PolicyError(file, key, `'${id}' is not a valid id: expected a kebab-case id such as "acme-assistant"${hint}`);
    }
    case 'invalid_format': {
      const expected = issue.message.startsWith('Invalid') ? `text matching ${String(issue.pattern ?? issue.format)}` : issue.message;
      return new PolicyError(file, key, `expected ${expected}, got ${describeValue(value)}`);
    }
    case 'too_small':
      return new PolicyError(file, key, 'must not be empty');
    default:
      return new PolicyError(file, key, oneLine(issue.message));
  }
}

/**
 * Of a union's failed branches, the one meant for this value: the branch whose
 * type matched (a string for the `block` shorthand, a mapping for a rule
 * object), so the error talks about the branch the author had in mind.
 */
function matchingBranch(branches: z.core.$ZodIssue[][], value: unknown): z.core.$ZodIssue[] | undefined {
  return branches.find((issues) =>
    issues.every((issue) => {
      if (issue.path.length > 0) return true;
      if (issue.code === 'invalid_type') return false;
      if (issue.code === 'invalid_value') return typeof value === 'string';
      return true;
    }),
  );
}

function describeExpected(issues: z.core.$ZodIssue[]): string | undefined {
  const top = issues.find((issue) => issue.path.length === 0);
  if (!top) return undefined;
  if (top.code === 'invalid_value') return `one of ${top.values.map(String).join(' | ')}`;
  if (top.code === 'invalid_type') return typeName(top.expected);
  return undefined;
}

function typeName(expected: string): string {
  switch (expected) {
    case 'object':
    case 'record':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'boolean':
      return 'true or false';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    default:
      return expected;
  }
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

function valueAt(raw: unknown, path: Path): unknown {
  let current: unknown = raw;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

// --- walking the schema to list the keys allowed at a path (for "did you mean") ---

interface LooseDef {
  type: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  in?: unknown;
  element?: unknown;
  valueType?: unknown;
  keyType?: unknown;
  options?: unknown[];
  entries?: Record<string, unknown>;
}

function defOf(schema: unknown): LooseDef | undefined {
  return (schema as { _zod?: { def?: LooseDef } } | undefined)?._zod?.def;
}

function unwrap(schema: unknown): unknown {
  let current = schema;
  for (let depth = 0; depth < 10; depth++) {
    const def = defOf(current);
    if (!def) return current;
    if (def.innerType !== undefined) current = def.innerType;
    else if (def.type === 'pipe') current = def.in;
    else return current;
  }
  return current;
}

function step(schema: unknown, segment: PropertyKey): unknown {
  const s = unwrap(schema);
  const def = defOf(s);
  if (!def) return undefined;
  switch (def.type) {
    case 'object':
      return def.shape?.[String(segment)];
    case 'record':
      return def.valueType;
    case 'array':
      return typeof segment === 'number' ? def.element : undefined;
    case 'union':
      for (const option of def.options ?? []) {
        const next = step(option, segment);
        if (next !== undefined) return next;
      }
      return undefined;
    default:
      return undefined;
  }
}

function keysOf(schema: unknown): string[] {
  const s = unwrap(schema);
  const def = defOf(s);
  if (!def) return [];
  switch (def.type) {
    case 'object':
      return Object.keys(def.shape ?? {});
    case 'record': {
      const keyDef = defOf(unwrap(def.keyType));
      return keyDef?.type === 'enum' ? Object.values(keyDef.entries ?? {}).map(String) : [];
    }
    case 'union':
      for (const option of def.options ?? []) {
        const keys = keysOf(option);
        if (keys.length > 0) return keys;
      }
      return [];
    default:
      return [];
  }
}

function allowedKeysAt(path: Path): string[] {
  let schema: unknown = policySchema;
  for (const segment of path) {
    schema = step(schema, segment);
    if (schema === undefined) return [];
  }
  return keysOf(schema);
}
