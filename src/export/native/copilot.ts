/**
 * `aitool export copilot`: the policy as the GitHub Copilot CLI's file-based
 * enterprise `managed-settings.json`.
 *
 * Sources (read December 2026):
 * - D https://docs.github.com/en/copilot/reference/enterprise-administrators/enterprise-managed-settings:
 *   the supported keys (`permissions.disableBypassPermissionsMode: "disable"`,
 *   `allowedMcpServers`, `deniedMcpServers`, `strictKnownMarketplaces`,
 *   `enabledPlugins`, `model`, `telemetry`, `remoteControl`, `sandbox`) and
 *   their precedence: MDM-managed, then server-managed (the enterprise's
 *   `.github-private` repository), then file-based, then user settings.
 *   `permissions.deny` / `ask` / `allow` are not among them, so this file
 *   writes no per-tool rules.
 * - D https://docs.github.com/en/copilot/how-tos/administer-copilot/manage-mcp-usage/configure-enterprise-allowlist:
 *   entries match by name, server URL (`serverUrl` with `*` wildcards) or
 *   exact command and arguments (`serverCommand`); built-in default servers
 *   such as the GitHub MCP server are always allowed; a `deniedMcpServers`
 *   match blocks even a server the allowlist matches; with
 *   `allowedMcpServers` present, a server matching none of it is blocked.
 * - https://github.com/microsoft/vscode/pull/321870 (merged June 2026): the
 *   file's path per OS, as VS Code's Copilot reads it. GitHub's docs name a
 *   "file-based" source but the search found no GitHub page giving its paths
 *   for the Copilot CLI: the paths are unverified for the CLI. They are the
 *   catalog's (github-copilot's native.managedSettings, `verified: false`).
 */
import { ruleFor } from '../../decide.js';
import { mcpSettings, type McpEntry } from './claude-code.js';
import { catalogTool, nativePath } from './facts.js';
import type { NativeExporter } from './types.js';

const PRODUCT = 'the Copilot CLI';

interface Settings {
  permissions?: { disableBypassPermissionsMode: 'disable' };
  allowedMcpServers?: McpEntry[];
  deniedMcpServers?: McpEntry[];
  strictKnownMarketplaces?: never[];
}

export const exportNative: NativeExporter = ({ policy, catalog, os }) => {
  const settings: Settings = {};
  // The catalog has one entry for the editor extensions and the CLI alike; the path is its native.managedSettings.
  const copilot = catalogTool(catalog, 'github-copilot');
  const installPath = nativePath(copilot, 'managedSettings', os);
  const cannotExpress = [
    copilot.native?.managedSettings?.verified === false
      ? `copilot: the install path ${installPath} is the one VS Code's Copilot reads (microsoft/vscode#321870); that the Copilot CLI reads the same file there is unverified in GitHub's docs. Settings from an MDM profile or the enterprise's .github-private repository take precedence over this file`
      : `copilot: settings from an MDM profile or the enterprise's .github-private repository take precedence over this file`,
  ];
  const rule = ruleFor(copilot, policy);
  const blocked = rule.action === 'block';

  const mcp = mcpSettings(policy, blocked, PRODUCT);
  cannotExpress.push(...mcp.cannotExpress);
  if (mcp.allowed !== undefined) {
    settings.allowedMcpServers = mcp.allowed;
    cannotExpress.push('mcp: built-in default servers such as the GitHub MCP server are always allowed by the Copilot CLI, whatever the allowlist says');
  }
  if (mcp.denied.length > 0) settings.deniedMcpServers = mcp.denied;

  if (blocked) {
    // Nothing in the documented keys turns Copilot off; these take away what
    // a managed file can: yolo mode, every non-built-in MCP server, plugins.
    settings.permissions = { disableBypassPermissionsMode: 'disable' };
    settings.strictKnownMarketplaces = [];
    cannotExpress.push(
      `github-copilot (${rule.key}: block): the Copilot CLI has no documented off switch and its managed settings have no documented deny rules for its tools. This file only turns off bypass (allow-all) mode, blocks every MCP server but the built-in ones and allows plugins from no marketplace (strictKnownMarketplaces []); the CLI still starts, answers and asks before running tools. To stop it, remove the user's Copilot seat or turn off the Copilot CLI policy in the organisation's or enterprise's Copilot settings on GitHub`,
    );
  }

  const content = `${JSON.stringify(settings, null, 2)}\n`;
  return { files: [{ name: 'managed-settings.json', installPath, content }], cannotExpress };
};
