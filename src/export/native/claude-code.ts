/**
 * `aitool export claude-code`: the policy as Claude Code's machine-wide
 * `managed-settings.json` (and, when MCP must be off altogether, a
 * `managed-mcp.json`).
 *
 * Sources (read December 2026):
 * - D https://code.claude.com/docs/en/settings, /en/managed-settings: the
 *   file's location per OS (Windows: `C:\Program Files\ClaudeCode`; older docs
 *   named `C:\ProgramData\ClaudeCode`).
 * - D https://code.claude.com/docs/en/managed-mcp: `allowedMcpServers` /
 *   `deniedMcpServers` entries (`serverName`, `serverCommand` exact,
 *   `serverUrl` with `*` wildcards), the denylist wins,
 *   `allowManagedMcpServersOnly`, and "Disable MCP: managed-mcp.json with an
 *   empty server map".
 * - SchemaStore `claude-code-settings.json` (test/fixtures/native/): the
 *   permission rule syntax and its tool names, `serverName` limited to
 *   `[a-zA-Z0-9_-]+`, `forceLoginOrgUUID: []` "fails closed and blocks every
 *   login".
 * The files' paths per OS and the built-in tool names are the catalog's
 * (claude-code's native.managedSettings, .managedMcp, .builtInTools), each
 * with its source there.
 *
 * - Claude Code v2.1.163 release notes: with `requiredMinimumVersion` /
 *   `requiredMaximumVersion`, "Claude Code refuses to start if its version is
 *   outside the allowed range".
 */
import type { ToolEntry } from '../../catalog/schema.js';
import { ruleFor } from '../../decide.js';
import type { McpServerRule, ResolvedPolicy } from '../../policy/types.js';
import type { Action } from '../../types.js';
import { builtInTools, catalogTool, nativePath } from './facts.js';
import type { NativeExporter, NativeFile } from './types.js';

/** Where a version that understands it refuses to start at all: no real version is at most 0.0.0. */
const NO_VERSION_STARTS = '0.0.0';

export type McpEntry = { serverName: string } | { serverCommand: string[] } | { serverUrl: string };

interface Settings {
  permissions?: { deny?: string[]; disableBypassPermissionsMode?: 'disable'; disableAutoMode?: 'disable' };
  allowManagedPermissionRulesOnly?: boolean;
  allowManagedHooksOnly?: boolean;
  disableAllHooks?: boolean;
  allowManagedMcpServersOnly?: boolean;
  allowedMcpServers?: McpEntry[];
  deniedMcpServers?: McpEntry[];
  disableClaudeAiConnectors?: boolean;
  strictKnownMarketplaces?: never[];
  disableSkillShellExecution?: boolean;
  disableRemoteControl?: boolean;
  companyAnnouncements?: string[];
  forceLoginOrgUUID?: string | string[];
  forceLoginMethod?: string;
  requiredMinimumVersion?: string;
  requiredMaximumVersion?: string;
  availableModels?: string[];
}

export const exportNative: NativeExporter = ({ policy, catalog, os }) => {
  const settings: Settings = {};
  const cannotExpress: string[] = [];
  // The files' paths and the tool names to deny are the catalog's (native.*), with their sources.
  const claudeCode = catalogTool(catalog, 'claude-code');
  const blocked = ruleFor(claudeCode, policy).action === 'block';

  // Stale policy caches from before `native` existed carry none.
  Object.assign(settings, policy.native?.claudeCode ?? {});
  const mcp = mcpSettings(policy, blocked);
  cannotExpress.push(...mcp.cannotExpress);
  if (mcp.denied.length > 0) settings.deniedMcpServers = mcp.denied;
  let disableMcp = false;
  if (mcp.allowed !== undefined) {
    settings.allowManagedMcpServersOnly = true;
    settings.allowedMcpServers = mcp.allowed;
    disableMcp = mcp.allowed.length === 0;
  }
  if (blocked) {
    blockClaudeCode(settings, claudeCode, policy, cannotExpress);
    disableMcp = true;
  }

  const files: NativeFile[] = [
    { name: 'managed-settings.json', installPath: nativePath(claudeCode, 'managedSettings', os), content: json(settings) },
  ];
  // Without server definitions in the policy there is no fixed set to deploy;
  // the file is written only for the documented "disable MCP" pattern, which
  // also keeps claude.ai connectors and plugin servers from loading.
  if (disableMcp) files.push({ name: 'managed-mcp.json', installPath: nativePath(claudeCode, 'managedMcp', os), content: json({ mcpServers: {} }) });
  return { files, cannotExpress };
};

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * A banned Claude Code: no documented key turns it off, so the file takes
 * away everything it can act with and keeps anyone from giving it back.
 */
function blockClaudeCode(settings: Settings, tool: ToolEntry, policy: ResolvedPolicy, cannotExpress: string[]): void {
  const rule = ruleFor(tool, policy);
  settings.permissions = { deny: [...builtInTools(tool)], disableBypassPermissionsMode: 'disable', disableAutoMode: 'disable' };
  settings.allowManagedPermissionRulesOnly = true;
  settings.allowManagedHooksOnly = true;
  settings.disableAllHooks = true;
  settings.allowManagedMcpServersOnly = true;
  settings.allowedMcpServers = [];
  settings.disableClaudeAiConnectors = true;
  settings.strictKnownMarketplaces = [];
  settings.disableSkillShellExecution = true;
  settings.disableRemoteControl = true;
  settings.forceLoginOrgUUID = [];
  settings.requiredMaximumVersion = NO_VERSION_STARTS;
  delete settings.requiredMinimumVersion;
  const words = [rule.reason, rule.message].filter(Boolean).join(' ');
  settings.companyAnnouncements = [words || 'Claude Code is not approved in this organisation.'];
  cannotExpress.push(
    `claude-code (${rule.key}: block): Claude Code has no documented off switch. This file makes versions 2.1.163 and later refuse to start (requiredMaximumVersion ${NO_VERSION_STARTS}); a version that honours forceLoginOrgUUID [] but not the version range refuses every login, API keys included (2.1.332 refuses an API-key session too); one that honours neither still starts, but every built-in tool call is denied, bypass and auto modes are off, no MCP server, hook or plugin marketplace loads, and no user or project setting can add a rule back. It can still answer in chat. Settings pushed from the claude.ai console or an MDM profile take precedence over this file (the first managed source with settings wins), and a Claude Code run where the file is not (a container, a VM) is not affected`,
  );
}

export interface McpSettings {
  denied: McpEntry[];
  /** Present when servers no rule allows are blocked (`mcp.default: block`). */
  allowed?: McpEntry[];
  cannotExpress: string[];
}

/**
 * aitool applies the strictest rule matching a server, else `mcp.default`;
 * Claude Code blocks a server on its denylist, else one missing from its
 * allowlist when there is one. So block rules become denylist entries, and
 * with `mcp.default: block` the allow (and warn) rules become the allowlist.
 */
export function mcpSettings(policy: ResolvedPolicy, claudeCodeBlocked: boolean, product = 'Claude Code'): McpSettings {
  const out: McpSettings = { denied: [], cannotExpress: [] };
  const allowlist = policy.mcp.default === 'block';
  if (allowlist || claudeCodeBlocked) out.allowed = [];
  // A banned Claude Code may run no server at all, so what the rules allow does not matter.
  if (claudeCodeBlocked) {
    for (const [id, rule] of Object.entries(policy.mcp.servers).sort(([a], [b]) => a.localeCompare(b))) {
      if (rule.action !== 'block') continue;
      const entry = mcpEntry(id, rule, product);
      if (!('reason' in entry)) out.denied.push(entry.entry);
    }
    return out;
  }
  if (policy.mcp.default === 'warn') out.cannotExpress.push(`mcp.default: warn: ${product} cannot warn about an MCP server; servers no rule names stay allowed`);
  for (const [id, rule] of Object.entries(policy.mcp.servers).sort(([a], [b]) => a.localeCompare(b))) {
    const action: Action = rule.action;
    if (action === 'block' || allowlist) {
      const entry = mcpEntry(id, rule, product);
      const key = `mcp.servers.${id}`;
      if ('reason' in entry) {
        out.cannotExpress.push(`${key} (${action}): ${entry.reason}`);
        continue;
      }
      if (entry.note) out.cannotExpress.push(`${key} (${action}): ${entry.note}`);
      (action === 'block' ? out.denied : out.allowed!).push(entry.entry);
      if (action === 'warn') out.cannotExpress.push(`${key} (warn): ${product} cannot warn; the server is allowed`);
    } else if (action === 'warn') {
      out.cannotExpress.push(`mcp.servers.${id} (warn): ${product} cannot warn about an MCP server; it stays allowed`);
    }
  }
  return out;
}

/** Claude Code's `serverName` pattern (SchemaStore). */
const SERVER_NAME = /^[A-Za-z0-9_-]+$/;

type EntryResult = { entry: McpEntry; note?: string } | { reason: string };

/** One Claude Code list entry matching the servers the rule matches, or why there is none. */
function mcpEntry(id: string, rule: McpServerRule, product: string): EntryResult {
  const patterns = (['name', 'command', 'url'] as const).filter((field) => rule[field] !== undefined);
  if (patterns.length === 0) {
    return SERVER_NAME.test(id)
      ? { entry: { serverName: id }, note: caseNote(product) }
      : { reason: `the server name '${id}' has characters ${product}'s serverName does not allow (letters, digits, _ and - only)` };
  }
  if (patterns.length > 1) return { reason: `a rule with several patterns (${patterns.join(', ')}) needs all of them to match; a ${product} entry tests one` };
  const field = patterns[0]!;
  const source = rule[field]!;
  const parsed = parseLiteral(source);
  const shown = `/${source}/`;
  if (parsed === undefined) return { reason: `its ${field} pattern ${shown} is a regular expression; ${product} matches exact names and commands and URLs with * wildcards only` };
  const loose = parsed.looseDots ? `; '.' in ${shown} is taken as a literal dot` : '';
  if (field === 'name') {
    if (!parsed.start || !parsed.end || parsed.pieces.length !== 1 || !SERVER_NAME.test(parsed.pieces[0]!)) {
      return { reason: `its name pattern ${shown} is not one exact name ${product}'s serverName can hold` };
    }
    return { entry: { serverName: parsed.pieces[0]! }, note: caseNote(product) + loose };
  }
  if (field === 'command') {
    if (!parsed.start || !parsed.end || parsed.pieces.length !== 1) {
      return { reason: `its command pattern ${shown} is not one whole command line; ${product}'s serverCommand matches the exact command and arguments` };
    }
    const words = parsed.pieces[0]!.split(' ').filter((word) => word !== '');
    return { entry: { serverCommand: words }, note: `matched as the exact command and arguments ${JSON.stringify(words)}, case-sensitively${loose}` };
  }
  // A URL: the pattern's unanchored ends and `.*` become the list's `*` wildcard.
  if (parsed.pieces.some((piece) => piece.includes('*'))) return { reason: `its url pattern ${shown} has a literal *, which ${product}'s serverUrl reads as a wildcard` };
  const url = `${parsed.start ? '' : '*'}${parsed.pieces.join('*')}${parsed.end ? '' : '*'}`;
  return { entry: { serverUrl: url }, note: `matched as the URL pattern ${url}${loose}` };
}

const caseNote = (product: string) => `${product} compares server names exactly, aitool ignoring case; a server configured under another spelling is not matched`;

interface Literal {
  /** Literal text between `.*` wildcards. */
  pieces: string[];
  start: boolean;
  end: boolean;
  /** An unescaped `.` was read as a dot (a regular expression would match any character). */
  looseDots: boolean;
}

const ESCAPABLE = new Set([...'.^$*+?()[]{}|\\/-:@#&=%~ ']);

/**
 * A pattern that is literal text with optional `^`/`$` anchors and `.*`
 * wildcards, or undefined for any other regular expression.
 */
function parseLiteral(source: string): Literal | undefined {
  let text = source;
  const start = text.startsWith('^');
  if (start) text = text.slice(1);
  const end = text.endsWith('$') && !text.endsWith('\\$');
  if (end) text = text.slice(0, -1);
  const pieces = [''];
  let looseDots = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '\\') {
      const next = text[i + 1];
      if (next === undefined || !ESCAPABLE.has(next)) return undefined;
      pieces[pieces.length - 1] += next;
      i++;
    } else if (char === '.' && text[i + 1] === '*') {
      pieces.push('');
      i++;
    } else if (char === '.') {
      looseDots = true;
      pieces[pieces.length - 1] += '.';
    } else if ('^$*+?()[]{}|'.includes(char)) {
      return undefined;
    } else {
      pieces[pieces.length - 1] += char;
    }
  }
  // `.*` at either end is the same as no anchor there.
  const first = pieces[0] === '' && pieces.length > 1;
  const last = pieces[pieces.length - 1] === '' && pieces.length > 1;
  const trimmed = pieces.slice(first ? 1 : 0, last ? -1 : undefined);
  if (trimmed.length === 0 || trimmed.some((piece) => piece === '')) return undefined;
  return { pieces: trimmed, start: start && !first, end: end && !last, looseDots };
}
