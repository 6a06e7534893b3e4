/**
 * `aitool export gemini-cli`: the policy as Gemini CLI's system settings file,
 * the one that overrides user and workspace settings.
 *
 * Sources (read December 2026, google-gemini/gemini-cli at 5411f113, v0.56 nightly):
 * - D docs/reference/configuration.md: the system settings file per OS
 *   (`/etc/gemini-cli/settings.json`, `/Library/Application
 *   Support/GeminiCli/settings.json`, `C:\ProgramData\gemini-cli\settings.json`),
 *   `mcp.allowed` / `mcp.excluded`, `tools.core` ("restrict the set of
 *   built-in tools with an allowlist"), `tools.exclude`,
 *   `security.disableYoloMode`, `security.disableAlwaysAllow`.
 * - D docs/cli/enterprise.md: these settings "should not be considered a
 *   foolproof security boundary"; `tools.exclude` is deprecated in favour of
 *   the policy engine and `tools.core`.
 * - D docs/reference/tools.md: the built-in tool names.
 * - packages/core/src/tools/mcp-client-manager.ts (isBlockedBySettings): an
 *   empty `mcp.allowed` filters nothing, names are compared exactly; the
 *   allowlists of all scopes are intersected, the exclusions joined
 *   (packages/cli/src/config/settings.ts); `--allowed-mcp-server-names`
 *   replaces both lists (packages/cli/src/config/config.ts).
 * - packages/cli/src/config/settings.ts: `admin.*` settings from files are
 *   ignored; only Google's admin console sets them.
 * - schemas/settings.schema.json (test/fixtures/native/gemini-cli/).
 *
 * The file's path per OS and the built-in tool names are the catalog's
 * (gemini-cli's native.managedSettings and .builtInTools).
 */
import { ruleFor } from '../../decide.js';
import type { McpServerRule, ResolvedPolicy } from '../../policy/types.js';
import { builtInTools, catalogTool, nativePath } from './facts.js';
import type { NativeExporter } from './types.js';

/**
 * Gemini CLI reads an empty allowlist as no allowlist. Allowing only this
 * name and excluding it too leaves no server that can load, even one a user
 * names this way.
 */
export const NO_SERVER = 'aitool-no-mcp-server-is-allowed';

interface Settings {
  mcp?: { allowed?: string[]; excluded?: string[] };
  tools?: { core?: string[]; exclude?: string[] };
  security?: { disableYoloMode?: boolean; disableAlwaysAllow?: boolean };
}

const NOT_A_BOUNDARY = 'Gemini CLI\'s docs say these settings "should not be considered a foolproof security boundary"';
const FLAG_OVERRIDES = 'starting gemini with --allowed-mcp-server-names replaces both lists';

export const exportNative: NativeExporter = ({ policy, catalog, os }) => {
  const settings: Settings = {};
  const cannotExpress: string[] = [];
  // The file's path and the built-in tool names are the catalog's (native.*), with their sources.
  const geminiCli = catalogTool(catalog, 'gemini-cli');
  const rule = ruleFor(geminiCli, policy);
  const blocked = rule.action === 'block';

  const mcp = mcpLists(policy, blocked);
  cannotExpress.push(...mcp.cannotExpress);
  if (mcp.allowed !== undefined || mcp.excluded.length > 0) {
    settings.mcp = {};
    if (mcp.allowed !== undefined) settings.mcp.allowed = mcp.allowed;
    if (mcp.excluded.length > 0) settings.mcp.excluded = mcp.excluded;
  }
  if (blocked) {
    // tools.core is a single value, so the system file's empty allowlist wins
    // and no built-in tool registers; tools.exclude (joined across scopes)
    // names them again for versions that read only that.
    settings.tools = { core: [], exclude: [...builtInTools(geminiCli)] };
    settings.security = { disableYoloMode: true, disableAlwaysAllow: true };
    const words = [rule.reason, rule.message].filter(Boolean).join(' ');
    cannotExpress.push(
      `gemini-cli (${rule.key}: block): Gemini CLI has no off switch in its settings; this file registers none of its built-in tools (tools.core [] and every documented tool in tools.exclude), loads no MCP server and disables YOLO mode and "always allow", but it still starts and can answer in chat, and it cannot show the policy's message${words ? ` (${words})` : ''}. Its admin.* switches (MCP, extensions, skills) are read only from Google's admin console, not from this file; ${NOT_A_BOUNDARY}`,
    );
  } else if (settings.mcp !== undefined) {
    cannotExpress.push(`gemini-cli: ${FLAG_OVERRIDES}; ${NOT_A_BOUNDARY}`);
  }

  return { files: [{ name: 'settings.json', installPath: nativePath(geminiCli, 'managedSettings', os), content: `${JSON.stringify(settings, null, 2)}\n` }], cannotExpress };
};

interface McpLists {
  excluded: string[];
  /** Present when only the servers named may load. */
  allowed?: string[];
  cannotExpress: string[];
}

/**
 * aitool applies the strictest rule matching a server, else `mcp.default`;
 * Gemini CLI blocks a server missing from `mcp.allowed` (when it is not
 * empty) or named in `mcp.excluded`. So block rules are exclusions, and with
 * `mcp.default: block` the allow and warn rules are the allowlist.
 */
function mcpLists(policy: ResolvedPolicy, geminiCliBlocked: boolean): McpLists {
  const out: McpLists = { excluded: [], cannotExpress: [] };
  const rules = Object.entries(policy.mcp.servers).sort(([a], [b]) => a.localeCompare(b));
  const allowlist = policy.mcp.default === 'block' || geminiCliBlocked;
  const allowed: string[] = [];
  if (!geminiCliBlocked && policy.mcp.default === 'warn') {
    out.cannotExpress.push('mcp.default: warn: Gemini CLI cannot warn about an MCP server; servers no rule names stay allowed');
  }
  for (const [id, rule] of rules) {
    const key = `mcp.servers.${id}`;
    // A banned Gemini CLI may run no server at all, so allow rules do not matter.
    if (geminiCliBlocked && rule.action !== 'block') continue;
    if (rule.action !== 'block' && !allowlist) {
      if (rule.action === 'warn') out.cannotExpress.push(`${key} (warn): Gemini CLI cannot warn about an MCP server; it stays allowed`);
      continue;
    }
    const name = plainName(id, rule);
    if (typeof name !== 'string') {
      if (geminiCliBlocked) continue;
      // Under an allowlist a server only a pattern names is off anyway, unless an allow rule names it.
      const still = rule.action === 'block' && allowlist ? '; the allowlist still keeps it out unless an allow rule names it' : '';
      out.cannotExpress.push(`${key} (${rule.action}): ${name.reason}${still}`);
      continue;
    }
    if (rule.action === 'block') out.excluded.push(name);
    else allowed.push(name);
    if (rule.action === 'warn') out.cannotExpress.push(`${key} (warn): Gemini CLI cannot warn; the server is allowed`);
    if (!geminiCliBlocked) out.cannotExpress.push(`${key} (${rule.action}): Gemini CLI compares server names exactly, aitool ignoring case; a server configured under another spelling is not matched`);
  }
  if (allowlist) {
    if (allowed.length === 0) {
      out.allowed = [NO_SERVER];
      out.excluded.push(NO_SERVER);
    } else {
      out.allowed = allowed;
    }
  }
  return out;
}

/** The one server name a rule matches, or why Gemini CLI's name lists cannot hold it. */
function plainName(id: string, rule: McpServerRule): string | { reason: string } {
  const patterns = (['command', 'url'] as const).filter((field) => rule[field] !== undefined);
  if (patterns.length > 0) {
    return { reason: `its ${patterns.join(' and ')} pattern cannot be expressed; Gemini CLI's mcp.allowed and mcp.excluded hold server names only` };
  }
  if (rule.name === undefined) return id;
  const exact = /^\^([A-Za-z0-9_-]+)\$$/.exec(rule.name);
  if (exact) return exact[1]!;
  return { reason: `its name pattern /${rule.name}/ is not one exact name; Gemini CLI's mcp.allowed and mcp.excluded hold exact server names only` };
}
