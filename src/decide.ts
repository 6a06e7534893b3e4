/**
 * Detections × policy → findings: the verdict, why, what to use instead and
 * how to remove the thing found. Pure: no I/O.
 */
import type { ToolEntry } from './catalog/schema.js';
import { ACTION_RANK } from './labels.js';
import { compileUserPattern } from './regex.js';
import type { PolicyException, ResolvedPolicy, ToolRule } from './policy/types.js';
import { exceptionCovering } from './policy/exceptions.js';
import { remediationFor } from './remedy.js';
import type { Alternative, Detection, Finding } from './types.js';

export { ACTION_RANK };

/** A rule as applied: the policy key that decided (`tools.cursor`, `categories.ai-ide`, `default`, `mcp.servers.x`). */
export interface AppliedRule extends ToolRule {
  key: string;
}

/** The rule that applies to a tool: its own, else its category's, else the policy default. */
export function ruleFor(tool: ToolEntry, policy: ResolvedPolicy): AppliedRule {
  const own = policy.tools[tool.id];
  const category = policy.categories[tool.category];
  const key = own?.action ? `tools.${tool.id}` : category?.action ? `categories.${tool.category}` : 'default';
  return {
    key,
    action: own?.action ?? category?.action ?? policy.default,
    ...pick('reason', own, category),
    ...pick('message', own, category),
    ...pick('alternatives', own, category),
    ...pick('terminate', own, category),
  };
}

/**
 * The rule for a repository's dependency on an agent SDK: the agent's own rule
 * (the SDK runs that agent, so `tools.claude-code: block` covers it), unless
 * `categories.agent-sdk` is stricter. SDK use can thus be held apart and
 * tighter (`agent-sdk: block` with the agent itself allowed), but never looser
 * than the agent: a lower layer's `agent-sdk: allow` cannot undo a managed
 * block of the agent, so the managed floor needs no new case.
 */
export function dependencyRuleFor(tool: ToolEntry, policy: ResolvedPolicy): AppliedRule {
  const agent = ruleFor(tool, policy);
  const sdk = policy.categories['agent-sdk'];
  if (!sdk?.action || ACTION_RANK[sdk.action] <= ACTION_RANK[agent.action]) return agent;
  return {
    key: 'categories.agent-sdk',
    action: sdk.action,
    ...(sdk.reason ? { reason: sdk.reason } : {}),
    ...(sdk.message ? { message: sdk.message } : {}),
    ...(sdk.alternatives ? { alternatives: sdk.alternatives } : {}),
  };
}

/** A policy's pattern, in linear time (validation has refused what that engine cannot run). */
function matchesPattern(pattern: string | undefined, value: string | undefined): boolean {
  if (pattern === undefined) return true;
  return value !== undefined && compileUserPattern(pattern, 'i').test(value);
}

/**
 * The rule for an MCP server: of the rules that match it, the strictest (so a
 * lower layer cannot loosen a managed rule by adding a rule of its own), else
 * `mcp.default`. A rule with no pattern matches the server named like its id.
 */
export function mcpRuleFor(server: NonNullable<Detection['evidence']['server']>, policy: ResolvedPolicy): AppliedRule {
  const commandLine = [server.command, ...(server.args ?? [])].filter(Boolean).join(' ');
  let best: AppliedRule | undefined;
  for (const [id, rule] of Object.entries(policy.mcp.servers)) {
    const hasPattern = rule.name !== undefined || rule.command !== undefined || rule.url !== undefined;
    const matches = hasPattern
      ? matchesPattern(rule.name, server.name) && matchesPattern(rule.command, commandLine || undefined) && matchesPattern(rule.url, server.url)
      : id.toLowerCase() === server.name.toLowerCase();
    if (matches && (!best || ACTION_RANK[rule.action] > ACTION_RANK[best.action])) {
      best = {
        key: `mcp.servers.${id}`,
        action: rule.action,
        ...(rule.reason ? { reason: rule.reason } : {}),
        ...(rule.message ? { message: rule.message } : {}),
        ...(rule.alternatives ? { alternatives: rule.alternatives } : {}),
      };
    }
  }
  return best ?? { key: 'mcp.default', action: policy.mcp.default };
}

function pick<K extends 'reason' | 'message' | 'alternatives' | 'terminate'>(
  key: K,
  own: ToolRule | undefined,
  category: ToolRule | undefined,
): Partial<Pick<ToolRule, K>> {
  const value = own?.[key] ?? category?.[key];
  return value === undefined ? {} : ({ [key]: value } as Partial<Pick<ToolRule, K>>);
}

/** Resolves an alternative id to what the person needs: name, link, how to install. */
export function resolveAlternative(
  id: string,
  policy: ResolvedPolicy,
  toolsById: ReadonlyMap<string, ToolEntry>,
): Alternative | undefined {
  const defined = policy.alternatives[id];
  const tool = toolsById.get(id);
  if (!defined && !tool) return undefined;
  const url = defined?.url ?? tool?.homepage;
  const install = defined?.install ?? tool?.install;
  const note = defined?.note;
  return {
    id,
    name: defined?.name ?? tool!.name,
    ...(url ? { url } : {}),
    ...(install ? { install } : {}),
    ...(note ? { note } : {}),
  };
}

/**
 * Alternatives for something the policy does not allow. The rule's own list wins;
 * without one, the tools the policy explicitly allows stand in (same category
 * first), so the person is always pointed somewhere when the policy allows
 * anything at all.
 */
function alternativesFor(
  detection: Detection,
  tool: ToolEntry,
  rule: ToolRule,
  policy: ResolvedPolicy,
  toolsById: ReadonlyMap<string, ToolEntry>,
): Alternative[] {
  let ids = rule.alternatives;
  // An MCP server is not a tool to swap for another; only its rule names alternatives.
  if ((!ids || ids.length === 0) && detection.kind !== 'mcp-server') {
    const allowed = Object.entries(policy.tools)
      .filter(([id, r]) => r.action === 'allow' && id !== tool.id && toolsById.has(id))
      .map(([id]) => id);
    const sameCategory = (id: string) => (toolsById.get(id)?.category === tool.category ? 0 : 1);
    ids = allowed.sort((a, b) => sameCategory(a) - sameCategory(b)).slice(0, 3);
  }
  return (ids ?? []).flatMap((id) => resolveAlternative(id, policy, toolsById) ?? []);
}

export function decide(
  detections: readonly Detection[],
  policy: ResolvedPolicy,
  toolsById: ReadonlyMap<string, ToolEntry>,
  /** The managed exceptions live for this person, machine and moment (src/policy/exceptions.ts). */
  liveExceptions: readonly PolicyException[] = [],
): Finding[] {
  const findings: Finding[] = [];
  for (const detection of detections) {
    const tool = toolsById.get(detection.tool);
    if (!tool) continue;
    const rule =
      detection.kind === 'mcp-server' && detection.evidence.server
        ? mcpRuleFor(detection.evidence.server, policy)
        : detection.kind === 'dependency' || detection.evidence.installMethod === 'sdk'
          ? dependencyRuleFor(tool, policy)
          : ruleFor(tool, policy);
    const remediation = rule.action === 'allow' ? undefined : remediationFor(detection, tool);
    const finding: Finding = {
      ...detection,
      toolName: tool.name,
      category: tool.category,
      action: rule.action,
      rule: rule.key,
      ...(rule.reason ? { reason: rule.reason } : {}),
      ...(rule.message ? { message: rule.message } : {}),
      alternatives: rule.action === 'allow' ? [] : alternativesFor(detection, tool, rule, policy, toolsById),
      ...(remediation ? { remediation } : {}),
    };
    const exception = rule.action === 'allow' || liveExceptions.length === 0 ? undefined : exceptionCovering(finding, liveExceptions);
    findings.push(exception ? { ...finding, exception } : finding);
  }
  // Most severe first, then by tool, so the report reads top-down.
  return findings.sort((a, b) => ACTION_RANK[b.action] - ACTION_RANK[a.action] || compareWords(a.tool, b.tool) || compareWords(a.kind, b.kind));
}

const KEBAB = /^[a-z0-9-]*$/;

/**
 * localeCompare's order without its cost where it can: the first call builds
 * ICU's collator (~6 ms, a fortieth of a check). Tool ids and kinds are
 * kebab-case, whose characters (`-` < digits < letters) the root collation
 * orders as their code units do (test/match/order.test.ts checks it).
 */
export function compareWords(a: string, b: string): number {
  if (KEBAB.test(a) && KEBAB.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return a.localeCompare(b);
}
