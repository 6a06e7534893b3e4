/**
 * `aitool export fleet`: Fleet GitOps policies, the YAML list a `policies:`
 * path in default.yml or a team file points to. Each item has `name`,
 * `description`, `resolution`, `query`, `platform` (Fleet's comma-separated
 * darwin/linux/windows) and `critical` (true for the tools the policy
 * blocks).
 *
 * A Fleet policy passes when its query returns a row, so each query says
 * "none of the tool's traces is here": `SELECT 1 WHERE NOT EXISTS (...) AND
 * NOT EXISTS (...)`, one NOT EXISTS per probe. A query must run on every
 * platform its policy names, so there is one policy per tool and platform,
 * merged where the SQL is the same. What osquery cannot check is in each
 * description and in the comments at the top of the file.
 */
import { Document } from 'yaml';
import type { PlannedMcpRule } from './mcp.js';
import { alternativeWords, checkerWords, gapLines, gapWords, mergeByText, PLATFORM_LABELS, policyWords, type ExportPlan, type PlannedTool } from './plan.js';
import { PLATFORMS } from './sql.js';

export interface FleetPolicy {
  name: string;
  description: string;
  resolution: string;
  query: string;
  platform: string;
  critical: boolean;
}

const indent = (text: string, by: string) => text.split('\n').map((line) => `${by}${line}`).join('\n');

function resolution(entry: PlannedTool): string {
  const { tool, rule } = entry;
  const removal = Object.values(tool.remove ?? {}).filter((hint): hint is string => Boolean(hint));
  return [
    rule.message,
    `Remove ${tool.name}${removal.length > 0 ? `: ${removal.join('; or ')}` : ''}.`,
    alternativeWords(entry.alternatives),
  ]
    .filter(Boolean)
    .join(' ');
}

export function buildPolicies(plan: ExportPlan): FleetPolicy[] {
  const policies: FleetPolicy[] = [];
  for (const entry of plan.tools) {
    const { tool } = entry;
    const perPlatform = PLATFORMS.flatMap((platform) => {
      const probes = entry.probes.filter((probe) => probe.platform === platform);
      if (probes.length === 0) return [];
      const sql = `SELECT 1 WHERE ${probes.map((probe) => `NOT EXISTS (\n${indent(probe.sql, '  ')}\n)`).join(' AND ')}`;
      return [{ platform, sql, whats: probes.map((probe) => probe.what) }];
    });
    for (const { first, platforms } of mergeByText(perPlatform)) {
      const labels = platforms.map((platform) => PLATFORM_LABELS[platform]).join(', ');
      const notChecked = entry.gaps.length > 0 ? ` Not checked (${checkerWords(plan)} cannot see them): ${entry.gaps.map(gapWords).join('; ')}.` : '';
      policies.push({
        name: `aitool: no ${tool.name} (${tool.id}) on ${labels}`,
        description: `Passes when none of these traces of ${tool.name} is on the host: ${first.whats.join('; ')}. ${policyWords(entry)}${notChecked}`,
        resolution: resolution(entry),
        query: first.sql,
        platform: platforms.join(','),
        critical: entry.rule.action === 'block',
      });
    }
  }
  if (plan.fleetd) policies.push(...plan.mcp.flatMap((rule) => (rule.sql === undefined ? [] : [mcpPolicy(rule, rule.sql)])));
  return policies;
}

/** One policy for an MCP rule: it passes when no configured server on the host is one the rule answers for. */
function mcpPolicy(rule: PlannedMcpRule, sql: string): FleetPolicy {
  const { key, action } = rule;
  const reason = rule.rule?.reason ? `: ${rule.rule.reason}` : '.';
  const which = key === 'mcp.default' ? 'that no rule of the policy allows or names' : `that ${key} matches`;
  return {
    name: key === 'mcp.default' ? 'aitool: no MCP server that no rule names (mcp.default)' : `aitool: no MCP server matching ${key}`,
    description: `Passes when no AI client on the host (per fleetd's ai_tools) has an MCP server configured ${which}. Policy: ${action} (${key})${reason}${rule.notes.length > 0 ? ` Note: ${rule.notes.join('; ')}.` : ''}`,
    resolution: [rule.rule?.message, `Remove the server from the AI client's MCP configuration (the query's path column names the file).`].filter(Boolean).join(' '),
    query: `SELECT 1 WHERE NOT EXISTS (\n${indent(sql, '  ')}\n)`,
    platform: 'darwin,linux,windows',
    critical: action === 'block',
  };
}

export function formatFleet(plan: ExportPlan): string {
  const doc = new Document(buildPolicies(plan));
  const gaps = gapLines(plan);
  doc.commentBefore = [
    ' Fleet policies written by `aitool export fleet`: one per AI tool the policy blocks (critical) or',
    ' warns about, and platform. A policy passes when none of the tool\'s traces osquery can see is on the host.',
    ...(plan.fleetd ? [" Written for hosts that run fleetd: the queries read its ai_tools table, and fail on hosts without it."] : []),
    ` Policy files: ${plan.files.length > 0 ? plan.files.join(', ') : 'none (the built-in default)'}`,
    ...(gaps.length > 0 ? [` ${checkerWords(plan)} cannot check the following, so these policies do not cover it:`, ...gaps.map((line) => `   ${line}`)] : []),
  ].join('\n');
  // lineWidth 0: long descriptions stay on one line; multi-line queries become block scalars.
  return doc.toString({ lineWidth: 0 });
}
