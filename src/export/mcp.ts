/**
 * The policy's MCP server rules (`mcp.servers`, `mcp.default`) as queries
 * over fleetd's ai_tools MCP rows. Pure.
 *
 * aitool applies, to each server in a configuration file, the strictest rule
 * that matches it, else `mcp.default` (src/decide.ts mcpRuleFor). So the rows
 * a rule answers for are those it matches and no stricter rule matches, and
 * the rows `mcp.default` answers for are those no rule matches. A rule's
 * patterns are case-insensitive regular expressions over the server's name,
 * its command line (command and arguments joined by spaces) and its URL; a
 * rule with none matches the server named like its id.
 *
 * Rows are the servers fleetd read from configuration files
 * (detail.source_type config or both); a server fleetd saw only as a process
 * is not one aitool would have read.
 */
import type { McpServerRule, ResolvedPolicy } from '../policy/types.js';
import type { Action } from '../types.js';
import { toOsqueryRegex } from './regex.js';
import { sqlString } from './sql.js';

const RANK: Record<Action, number> = { allow: 0, warn: 1, block: 2 };

export interface PlannedMcpRule {
  /** `mcp.servers.<id>` or `mcp.default`. */
  key: string;
  action: Action;
  rule?: McpServerRule;
  /** A SELECT over ai_tools with one row per configured server the rule answers for; absent when it cannot be written. */
  sql?: string;
  /** What cannot be expressed, when sql is absent or leaves something out. */
  notes: string[];
}

const detail = (key: string) => `json_extract(NULLIF(a.detail, ''), ${sqlString(`$.${key}`)})`;

/** The command line as aitool joins it: command, then arguments, the empty ones left out; NULL when there is none. */
export const COMMAND_LINE = `(SELECT group_concat(part, ' ') FROM (SELECT ${detail('command')} AS part UNION ALL SELECT j.value FROM json_each(${detail('args')}) j) WHERE part <> '')`;

const FIELDS = {
  name: 'a.name',
  command: COMMAND_LINE,
  url: "NULLIF(a.endpoint, '')",
} as const;

/** The rule's condition on one row, or the reasons some pattern cannot be written. */
function ruleCondition(id: string, rule: McpServerRule): { sql: string } | { reasons: string[] } {
  const fields = (Object.keys(FIELDS) as Array<keyof typeof FIELDS>).filter((field) => rule[field] !== undefined);
  if (fields.length === 0) return { sql: `lower(a.name) = ${sqlString(id.toLowerCase())}` };
  const parts: string[] = [];
  const reasons: string[] = [];
  for (const field of fields) {
    const translated = toOsqueryRegex(rule[field]!);
    if ('reason' in translated) reasons.push(`its ${field} pattern /${rule[field]}/ cannot run in osquery: ${translated.reason}`);
    // A server without the field never matches a pattern on it, as in aitool: regex_match of NULL is NULL.
    else parts.push(`regex_match(${FIELDS[field]}, ${sqlString(translated.pattern)}, 0) IS NOT NULL`);
  }
  return reasons.length > 0 ? { reasons } : { sql: parts.length === 1 ? parts[0]! : `(${parts.join(' AND ')})` };
}

function select(key: string, where: readonly string[]): string {
  return [
    `SELECT ${sqlString(key)} AS rule, a.name, a.source AS client, a.path, a.endpoint, ${COMMAND_LINE} AS command_line`,
    'FROM ai_tools a',
    "WHERE a.type = 'mcp_server'",
    `  AND ${detail('source_type')} IN ('config', 'both')`,
    ...where.map((condition) => `  AND ${condition}`),
  ].join('\n');
}

/** Every MCP rule the policy warns about or blocks, and `mcp.default` when it does, with its query. */
export function planMcpRules(policy: ResolvedPolicy): PlannedMcpRule[] {
  const rules = Object.entries(policy.mcp.servers).map(([id, rule]) => ({ id, rule, condition: ruleCondition(id, rule) }));
  const planned: PlannedMcpRule[] = [];
  for (const { id, rule, condition } of rules) {
    if (rule.action === 'allow') continue;
    const key = `mcp.servers.${id}`;
    if ('reasons' in condition) {
      planned.push({ key, action: rule.action, rule, notes: condition.reasons });
      continue;
    }
    const notes: string[] = [];
    const stricter = rules.filter((other) => RANK[other.rule.action] > RANK[rule.action]);
    const excluded: string[] = [];
    for (const other of stricter) {
      if ('sql' in other.condition) excluded.push(other.condition.sql);
      // Left in, such a server fails this policy too: it is at least as unwanted.
      else notes.push(`servers mcp.servers.${other.id} would block are reported here too, as its pattern cannot run in osquery`);
    }
    planned.push({ key, action: rule.action, rule, sql: select(key, [condition.sql, ...excluded.map((sql) => `NOT ${sql}`)]), notes });
  }
  if (policy.mcp.default !== 'allow') {
    const unwritable = rules.filter((r) => 'reasons' in r.condition);
    if (unwritable.length > 0) {
      // Which servers no rule matches cannot be known when a rule cannot be checked.
      planned.push({
        key: 'mcp.default',
        action: policy.mcp.default,
        notes: [`which servers no rule matches cannot be told apart, as ${unwritable.map((r) => `mcp.servers.${r.id}`).join(', ')} cannot run in osquery`],
      });
    } else {
      const matched = rules.map((r) => (r.condition as { sql: string }).sql);
      planned.push({ key: 'mcp.default', action: policy.mcp.default, sql: select('mcp.default', matched.map((sql) => `NOT ${sql}`)), notes: [] });
    }
  }
  return planned;
}
