/**
 * What an export covers: every tool (catalog plus the policy's custom tools)
 * the effective policy blocks or warns about, with its rule, the approved
 * alternatives `aitool check` would name, its osquery probes and the
 * signatures osquery cannot check. Shared by both targets. Pure.
 */
import type { ToolEntry } from '../catalog/schema.js';
import { decide, ruleFor, type AppliedRule } from '../decide.js';
import type { PolicyWarning, ResolvedPolicy } from '../policy/types.js';
import type { Alternative } from '../types.js';
import { planMcpRules, type PlannedMcpRule } from './mcp.js';
import { probesFor, type Gap, type Probe } from './probes.js';
import type { Platform } from './sql.js';

export interface PlannedTool {
  tool: ToolEntry;
  rule: AppliedRule;
  alternatives: Alternative[];
  probes: Probe[];
  gaps: Gap[];
}

export interface ExportPlan {
  /** The hosts run fleetd: queries also read its ai_tools table. */
  fleetd: boolean;
  tools: PlannedTool[];
  /** The MCP rules the policy warns about or blocks (queried only with fleetd). */
  mcp: PlannedMcpRule[];
  /** The policy files in effect (for the output's header). */
  files: string[];
  warnings: PolicyWarning[];
}

/**
 * The alternatives `aitool check` shows for the tool: decide() is the one
 * place that logic lives (the rule's list, else the tools the policy allows),
 * so the tool is put through it as a detection that carries no evidence.
 */
function alternativesFor(tool: ToolEntry, policy: ResolvedPolicy, byId: ReadonlyMap<string, ToolEntry>): Alternative[] {
  const [finding] = decide([{ tool: tool.id, kind: 'package', confidence: 'confirmed', evidence: { matched: 'aitool export' } }], policy, byId);
  return finding?.alternatives ?? [];
}

export interface ExportOptions {
  fleetd?: boolean;
}

export function planExport(policy: ResolvedPolicy, catalog: readonly ToolEntry[], options: ExportOptions = {}): ExportPlan {
  const fleetd = options.fleetd === true;
  const tools = [...catalog, ...policy.customTools];
  const byId = new Map(tools.map((tool) => [tool.id, tool]));
  const planned: PlannedTool[] = [];
  for (const tool of [...tools].sort((a, b) => a.id.localeCompare(b.id))) {
    const rule = ruleFor(tool, policy);
    if (rule.action === 'allow') continue;
    planned.push({ tool, rule, alternatives: alternativesFor(tool, policy, byId), ...probesFor(tool, { fleetd }) });
  }
  return {
    fleetd,
    tools: planned,
    mcp: planMcpRules(policy),
    files: policy.files.map((f) => f.file ?? f.layer),
    warnings: policy.warnings,
  };
}

// ---------------------------------------------------------------------------
// Words shared by both targets
// ---------------------------------------------------------------------------

export const PLATFORM_LABELS: Record<Platform, string> = { darwin: 'macOS', linux: 'Linux', windows: 'Windows' };

/** Probes with the same SQL on several platforms, merged: one query serves them all. */
export function mergeByText<T extends { sql: string; platform: Platform }>(items: readonly T[]): Array<{ first: T; platforms: Platform[] }> {
  const merged = new Map<string, { first: T; platforms: Platform[] }>();
  for (const item of items) {
    const seen = merged.get(item.sql);
    if (seen) seen.platforms.push(item.platform);
    else merged.set(item.sql, { first: item, platforms: [item.platform] });
  }
  return [...merged.values()];
}

export function policyWords(entry: PlannedTool): string {
  const { rule } = entry;
  return `Policy: ${rule.action} (${rule.key})${rule.reason ? `: ${rule.reason}` : '.'}`;
}

export function alternativeWords(alternatives: readonly Alternative[]): string | undefined {
  if (alternatives.length === 0) return undefined;
  const one = (a: Alternative) => [a.name, a.url, a.install ? `install: ${a.install}` : undefined, a.note].filter(Boolean).join(' — ');
  return `Use instead: ${alternatives.map(one).join('; or ')}.`;
}

export function gapWords(gap: Gap): string {
  return `${gap.what} (${gap.values.join(', ')}): ${gap.reason}`;
}

/** Who is checking, in the words of the lines below. */
export function checkerWords(plan: Pick<ExportPlan, 'fleetd'>): string {
  return plan.fleetd ? "osquery with fleetd's ai_tools" : 'osquery';
}

/** The lines that say what osquery cannot check: on stderr, and where the output format has room for them. */
export function gapLines(plan: ExportPlan): string[] {
  const who = checkerWords(plan);
  const lines: string[] = [];
  for (const entry of plan.tools) {
    if (entry.probes.length === 0) lines.push(`${entry.tool.id}: no ${who} query can find ${entry.tool.name}; nothing is exported for it`);
    for (const gap of entry.gaps) lines.push(`${entry.tool.id}: ${who} cannot check its ${gapWords(gap)}`);
  }
  for (const rule of plan.mcp) {
    if (!plan.fleetd) {
      lines.push(`${rule.key}: osquery cannot check MCP server rules (no stock table lists the servers in MCP configuration files); export with --fleetd for hosts that run Fleet's agent`);
      continue;
    }
    if (rule.sql === undefined) lines.push(`${rule.key}: nothing is exported for it: ${rule.notes.join('; ')}`);
    else for (const note of rule.notes) lines.push(`${rule.key}: ${note}`);
  }
  if (plan.fleetd && plan.mcp.length > 0) {
    lines.push(
      "mcp: fleetd's ai_tools reads the MCP configuration files of Claude Desktop, Claude Code, Cursor, Windsurf, VS Code, Zed, Cline, Roo and Continue, and project files (.mcp.json, .cursor/mcp.json, .vscode/mcp.json, .roo/mcp.json) up to 3 folders deep under the home's usual project folders; servers in other clients' files, and URLs given as httpUrl, are not seen",
    );
  }
  return lines;
}
