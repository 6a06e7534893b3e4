/**
 * `aitool apply` never loosens a machine-wide file: the settings aitool
 * exports are merged into what is already there, key by key, and for every
 * key the stricter of the two values wins. This file is the whole rulebook:
 * one strictness table per file `apply` writes, naming a rule for every key
 * an exporter in ../export/native/ can emit (a test walks the exporters'
 * keys against these tables).
 *
 * Keys with no rule: the existing value stays, whatever aitool would say (a
 * note says so when the two differ); a key only aitool has is added. Pure: no
 * I/O.
 */
import { NO_SERVER } from '../export/native/gemini-cli.js';

export type MergeRule =
  /** A deny list: both lists' entries, duplicates (deep equality) once. */
  | 'union'
  /** An allow list: only entries both allow; whichever exists when only one does. */
  | 'intersection'
  /** Gemini CLI's allow list, where an empty list means "no filter": intersection, and an empty result becomes the no-server sentinel. */
  | 'gemini-allowlist'
  /** A switch whose `true` is the stricter value. */
  | 'true-wins'
  /** A switch whose `false` is the stricter value (VS Code's ChatAgentMode). */
  | 'false-wins'
  /** Claude Code's `"disable"` values: `"disable"` if either side says so. */
  | 'disable-wins'
  | 'higher-version'
  | 'lower-version'
  /** forceLoginOrgUUID: a string or a list of organisations a login must belong to; an empty list blocks every login. */
  | 'org-allowlist'
  /** managed-mcp.json's server map is the only servers that may run: a server stays only if both name it. */
  | 'server-map-intersection'
  /** VS Code's ChatMCP: none < registry < all. */
  | 'chat-mcp'
  /** VS Code's AllowedExtensions (a JSON object in a string): per extension id, the stricter verdict. */
  | 'allowed-extensions'
  /** No "stricter" between two values (forceLoginMethod: two different methods): the existing value stays. */
  | 'existing-wins'
  /** A folder of settings (permissions, mcp, tools, security): merged key by key. */
  | 'object';

export type StrictnessTable = Readonly<Record<string, MergeRule>>;

/** Claude Code's managed-settings.json and the Copilot CLI's file share most keys (Copilot's docs mirror Claude Code's). */
const CLAUDE_CODE_SETTINGS: StrictnessTable = {
  permissions: 'object',
  'permissions.deny': 'union',
  'permissions.disableBypassPermissionsMode': 'disable-wins',
  'permissions.disableAutoMode': 'disable-wins',
  allowManagedPermissionRulesOnly: 'true-wins',
  allowManagedHooksOnly: 'true-wins',
  disableAllHooks: 'true-wins',
  allowManagedMcpServersOnly: 'true-wins',
  allowedMcpServers: 'intersection',
  deniedMcpServers: 'union',
  disableClaudeAiConnectors: 'true-wins',
  strictKnownMarketplaces: 'intersection',
  disableSkillShellExecution: 'true-wins',
  disableRemoteControl: 'true-wins',
  // Messages to people: every organisation's announcement is shown.
  companyAnnouncements: 'union',
  forceLoginOrgUUID: 'org-allowlist',
  forceLoginMethod: 'existing-wins',
  requiredMinimumVersion: 'higher-version',
  requiredMaximumVersion: 'lower-version',
  availableModels: 'intersection',
};

const COPILOT_SETTINGS: StrictnessTable = {
  permissions: 'object',
  'permissions.disableBypassPermissionsMode': 'disable-wins',
  allowedMcpServers: 'intersection',
  deniedMcpServers: 'union',
  strictKnownMarketplaces: 'intersection',
};

const GEMINI_SETTINGS: StrictnessTable = {
  mcp: 'object',
  'mcp.allowed': 'gemini-allowlist',
  'mcp.excluded': 'union',
  tools: 'object',
  // Unlike mcp.allowed, an empty tools.core registers no built-in tool, so a plain intersection is strict.
  'tools.core': 'intersection',
  'tools.exclude': 'union',
  security: 'object',
  'security.disableYoloMode': 'true-wins',
  'security.disableAlwaysAllow': 'true-wins',
};

const VSCODE_POLICY: StrictnessTable = {
  AllowedExtensions: 'allowed-extensions',
  ChatMCP: 'chat-mcp',
  ChatAgentMode: 'false-wins',
};

/** The files `apply` writes, by target and the exporter's file name. */
export const STRICTNESS_TABLES: Readonly<Record<string, Readonly<Record<string, StrictnessTable>>>> = {
  'claude-code': {
    'managed-settings.json': CLAUDE_CODE_SETTINGS,
    'managed-mcp.json': { mcpServers: 'server-map-intersection' },
  },
  copilot: { 'managed-settings.json': COPILOT_SETTINGS },
  'gemini-cli': { 'settings.json': GEMINI_SETTINGS },
  vscode: { 'policy.json': VSCODE_POLICY },
};

/** The existing file is not what the format says (a list where a switch belongs, not an object at all). */
export class ShapeError extends Error {
  override name = 'ShapeError';
}

export interface MergeResult {
  merged: Record<string, unknown>;
  /** One line each: a key whose existing value stayed although aitool's differs. */
  notes: string[];
}

type Json = unknown;
type JsonObject = Record<string, Json>;

export function isPlainObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `existing` merged with `ours` under `table`: every restriction of either
 * holds in the result. `existing` undefined: the file does not exist.
 * Throws ShapeError when `existing` cannot be read as this file's format.
 */
export function mergeSettings(table: StrictnessTable, existing: Json, ours: JsonObject): MergeResult {
  if (existing === undefined) return { merged: structuredClone(ours), notes: [] };
  if (!isPlainObject(existing)) throw new ShapeError(`a JSON object was expected, found ${describe(existing)}`);
  const notes: string[] = [];
  const merged = mergeObject(table, '', existing, ours, notes);
  if (table === GEMINI_SETTINGS) keepGeminiSentinelExcluded(merged);
  return { merged, notes };
}

function mergeObject(table: StrictnessTable, prefix: string, existing: JsonObject, ours: JsonObject, notes: string[]): JsonObject {
  const result: JsonObject = structuredClone(existing);
  for (const [key, value] of Object.entries(ours)) {
    const keyPath = prefix + key;
    const rule = table[keyPath];
    const current = existing[key];
    if (current === undefined) {
      result[key] = structuredClone(value);
    } else if (rule === 'object') {
      if (!isPlainObject(current)) throw new ShapeError(`${keyPath}: an object was expected, found ${describe(current)}`);
      result[key] = mergeObject(table, `${keyPath}.`, current, value as JsonObject, notes);
    } else if (rule === undefined || rule === 'existing-wins') {
      if (!deepEqual(current, value)) notes.push(`${keyPath}: kept the existing ${JSON.stringify(current)}; aitool's policy says ${JSON.stringify(value)}`);
    } else {
      result[key] = mergeValue(rule, keyPath, current, value);
    }
  }
  return result;
}

/** The stricter of two values under `rule`; `current` is the file's, `ours` aitool's (both present). */
export function mergeValue(rule: Exclude<MergeRule, 'object' | 'existing-wins'>, keyPath: string, current: Json, ours: Json): Json {
  const expect = (ok: boolean, what: string) => {
    if (!ok) throw new ShapeError(`${keyPath}: ${what} was expected, found ${describe(current)}`);
  };
  switch (rule) {
    case 'union':
      expect(Array.isArray(current), 'a list');
      return union(current as Json[], ours as Json[]);
    case 'intersection':
      expect(Array.isArray(current), 'a list');
      return intersection(current as Json[], ours as Json[]);
    case 'gemini-allowlist': {
      expect(Array.isArray(current), 'a list');
      // An empty list filters nothing: it is no allow list at all.
      if ((current as Json[]).length === 0) return structuredClone(ours);
      if ((ours as Json[]).length === 0) return structuredClone(current);
      const both = intersection(current as Json[], ours as Json[]);
      return both.length > 0 ? both : [NO_SERVER];
    }
    case 'true-wins':
      expect(typeof current === 'boolean', 'true or false');
      return current === true || ours === true;
    case 'false-wins':
      expect(typeof current === 'boolean', 'true or false');
      return current === true && ours === true;
    case 'disable-wins':
      expect(typeof current === 'string', 'a string');
      return current === 'disable' || ours === 'disable' ? 'disable' : current;
    case 'higher-version':
    case 'lower-version': {
      expect(typeof current === 'string' && parseVersion(current) !== undefined, 'a version such as "2.1.163"');
      const order = compareVersions(current as string, ours as string);
      return (rule === 'higher-version') === order >= 0 ? current : ours;
    }
    case 'org-allowlist': {
      expect(typeof current === 'string' || (Array.isArray(current) && current.every((item) => typeof item === 'string')), 'an organisation UUID or a list of them');
      const both = intersection(toList(current), toList(ours));
      // One organisation both name stays the single string the file had; otherwise a list (an empty one blocks every login).
      return typeof current === 'string' && typeof ours === 'string' && both.length === 1 ? both[0] : both;
    }
    case 'server-map-intersection': {
      expect(isPlainObject(current), 'an object');
      const kept = Object.entries(current as JsonObject).filter(([name]) => Object.hasOwn(ours as JsonObject, name));
      return Object.fromEntries(kept);
    }
    case 'chat-mcp': {
      const rank = (value: Json) => CHAT_MCP_ORDER.indexOf(value as string);
      expect(rank(current) >= 0, `one of ${CHAT_MCP_ORDER.join(', ')}`);
      return rank(ours) >= 0 && rank(ours) < rank(current) ? ours : current;
    }
    case 'allowed-extensions': {
      expect(typeof current === 'string', 'a JSON object in a string');
      return mergeAllowedExtensions(current as string, ours as string, keyPath);
    }
  }
}

const CHAT_MCP_ORDER = ['none', 'registry', 'all'];

/** Sets the exporter's no-server sentinel apart: whatever the allow list says, it may never load. */
function keepGeminiSentinelExcluded(merged: JsonObject): void {
  const mcp = merged.mcp;
  if (!isPlainObject(mcp) || !Array.isArray(mcp.allowed) || !mcp.allowed.includes(NO_SERVER)) return;
  const excluded = Array.isArray(mcp.excluded) ? mcp.excluded : [];
  if (!excluded.includes(NO_SERVER)) mcp.excluded = [...excluded, NO_SERVER];
}

// ---------------------------------------------------------------------------
// VS Code's AllowedExtensions.
// ---------------------------------------------------------------------------

/**
 * VS Code decides one extension id by its most specific key: the
 * `publisher.extension` key, else the `publisher` key, else `"*"`, else it is
 * refused. The merged map gives every key either map names the stricter of
 * the two maps' verdicts for that key (false < a version restriction < true),
 * each verdict looked up the way VS Code would. Since the same lookup then
 * runs on the merged map, every extension id — named or not — gets the
 * stricter of its two verdicts: an id one map allows and the other, without
 * `"*": true`, does not name stays refused.
 */
export function mergeAllowedExtensions(currentText: string, oursText: string, keyPath = 'AllowedExtensions'): string {
  const current = parseExtensionMap(currentText, keyPath);
  const ours = parseExtensionMap(oursText, keyPath);
  const keys = new Set([...Object.keys(current), ...Object.keys(ours), '*']);
  const merged: JsonObject = {};
  for (const key of keys) {
    const verdict = stricterVerdict(verdictFor(current, key), verdictFor(ours, key));
    if (verdict !== false || key !== '*') merged[key] = verdict;
  }
  // Nothing allowed by default: "*" is left out, as in a map that denies by default.
  const { '*': star, ...rest } = merged;
  const sorted = Object.keys(rest).sort().map((key) => [key, rest[key]] as const);
  return JSON.stringify(Object.fromEntries([...(star === undefined ? [] : [['*', star] as const]), ...sorted]));
}

type Verdict = boolean | 'stable' | string[];

function parseExtensionMap(text: string, keyPath: string): Record<string, Verdict> {
  let value: Json;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ShapeError(`${keyPath}: not valid JSON inside the string`);
  }
  if (!isPlainObject(value)) throw new ShapeError(`${keyPath}: a JSON object was expected inside the string, found ${describe(value)}`);
  const map: Record<string, Verdict> = {};
  for (const [key, verdict] of Object.entries(value)) {
    const ok = typeof verdict === 'boolean' || verdict === 'stable' || (Array.isArray(verdict) && verdict.every((item) => typeof item === 'string'));
    if (!ok) throw new ShapeError(`${keyPath}: '${key}' must be true, false, "stable" or a list of versions`);
    // VS Code lower-cases the keys.
    map[key.toLowerCase()] = verdict as Verdict;
  }
  return map;
}

function verdictFor(map: Record<string, Verdict>, key: string): Verdict {
  if (Object.hasOwn(map, key)) return map[key]!;
  const dot = key.indexOf('.');
  if (dot > 0 && Object.hasOwn(map, key.slice(0, dot))) return map[key.slice(0, dot)]!;
  return map['*'] ?? false;
}

function stricterVerdict(a: Verdict, b: Verdict): Verdict {
  if (a === false || b === false) return false;
  if (a === true) return b;
  if (b === true) return a;
  if (Array.isArray(a) && Array.isArray(b)) {
    const both = a.filter((version) => b.includes(version));
    return both.length > 0 ? both : false;
  }
  // "stable" and a version list: the list names the exact versions, the narrower rule of the two.
  return Array.isArray(a) ? a : b;
}

// ---------------------------------------------------------------------------
// Helpers.
// ---------------------------------------------------------------------------

export function deepEqual(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}

function union(a: Json[], b: Json[]): Json[] {
  const out = structuredClone(a);
  for (const item of b) if (!out.some((kept) => deepEqual(kept, item))) out.push(structuredClone(item));
  return out;
}

function intersection(a: Json[], b: Json[]): Json[] {
  return structuredClone(a.filter((item) => b.some((other) => deepEqual(item, other))));
}

function toList(value: Json): Json[] {
  return Array.isArray(value) ? value : [value];
}

function parseVersion(text: string): number[] | undefined {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)] : undefined;
}

/** Semver-ish: major.minor.patch numerically; anything after (a pre-release tag) is ignored. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [parseVersion(a) ?? [0, 0, 0], parseVersion(b) ?? [0, 0, 0]];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

function describe(value: Json): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value === 'string' ? 'a string' : typeof value}`;
}
