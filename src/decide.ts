/**
 * Detections × policy → findings: the verdict, why, what to use instead and
 * how to remove the thing found. Pure: no I/O.
 */
import type { ToolEntry } from './catalog/schema.js';
import type { ResolvedPolicy, ToolRule } from './policy/types.js';
import type { Action, Alternative, Detection, Finding } from './types.js';

export const ACTION_RANK: Record<Action, number> = { allow: 0, warn: 1, block: 2 };

/** The rule that applies to a tool: its own, else its category's, else the policy default. */
export function ruleFor(tool: ToolEntry, policy: ResolvedPolicy): ToolRule {
  const own = policy.tools[tool.id];
  const category = policy.categories[tool.category];
  return {
    action: own?.action ?? category?.action ?? policy.default,
    ...pick('reason', own, category),
    ...pick('message', own, category),
    ...pick('alternatives', own, category),
  };
}

function pick<K extends 'reason' | 'message' | 'alternatives'>(
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
 * Alternatives for a tool the policy does not allow. The rule's own list wins;
 * without one, the tools the policy explicitly allows stand in (same category
 * first), so the person is always pointed somewhere when the policy allows
 * anything at all.
 */
function alternativesFor(
  tool: ToolEntry,
  rule: ToolRule,
  policy: ResolvedPolicy,
  toolsById: ReadonlyMap<string, ToolEntry>,
): Alternative[] {
  let ids = rule.alternatives;
  if (!ids || ids.length === 0) {
    const allowed = Object.entries(policy.tools)
      .filter(([id, r]) => r.action === 'allow' && id !== tool.id && toolsById.has(id))
      .map(([id]) => id);
    const sameCategory = (id: string) => (toolsById.get(id)?.category === tool.category ? 0 : 1);
    ids = allowed.sort((a, b) => sameCategory(a) - sameCategory(b)).slice(0, 3);
  }
  return ids.flatMap((id) => resolveAlternative(id, policy, toolsById) ?? []);
}

function shellQuote(path: string): string {
  return /^[\w@%+=:,./~-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/** One line telling the person how to get rid of what was found. */
export function remediationFor(detection: Detection, tool: ToolEntry): string | undefined {
  const { evidence } = detection;
  const hints = tool.remove ?? {};
  switch (detection.kind) {
    case 'process':
      return `stop it: kill ${evidence.pid}`;
    case 'executable': {
      if (evidence.installMethod === 'npm') {
        return hints.npm ?? (evidence.package ? `npm uninstall -g ${evidence.package}` : undefined);
      }
      if (evidence.installMethod === 'pip') return hints.pip;
      if (evidence.installMethod === 'native' && hints.native) return hints.native;
      return `remove ${shellQuote(evidence.path ?? '')}${hints.npm ? ` (or, if npm installed it: ${hints.npm})` : ''}`;
    }
    case 'trace':
      return `delete ${shellQuote(evidence.path ?? '')} once nothing in it is needed (settings and history of ${tool.name})`;
  }
}

export function decide(
  detections: readonly Detection[],
  policy: ResolvedPolicy,
  toolsById: ReadonlyMap<string, ToolEntry>,
): Finding[] {
  const findings: Finding[] = [];
  for (const detection of detections) {
    const tool = toolsById.get(detection.tool);
    if (!tool) continue;
    const rule = ruleFor(tool, policy);
    const remediation = rule.action === 'allow' ? undefined : remediationFor(detection, tool);
    findings.push({
      ...detection,
      toolName: tool.name,
      category: tool.category,
      action: rule.action,
      ...(rule.reason ? { reason: rule.reason } : {}),
      ...(rule.message ? { message: rule.message } : {}),
      alternatives: rule.action === 'allow' ? [] : alternativesFor(tool, rule, policy, toolsById),
      ...(remediation ? { remediation } : {}),
    });
  }
  // Most severe first, then by tool, so the report reads top-down.
  return findings.sort(
    (a, b) => ACTION_RANK[b.action] - ACTION_RANK[a.action] || a.tool.localeCompare(b.tool) || a.kind.localeCompare(b.kind),
  );
}
