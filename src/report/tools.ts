/**
 * The report seen per tool, as the formats for people (HTML) and CI (JUnit)
 * show it: one group per tool at the strictest verdict its own findings got
 * (a live exception counts a block as warn), exactly as `summary` counts
 * tools, and the MCP servers apart, as `summary.mcpServers` counts them.
 */
import { ACTION_RANK, effectiveAction } from '../labels.js';
import type { Action, Alternative, Finding, FindingException } from '../types.js';
import type { Report } from './types.js';

/** One policy decision among a tool's findings: a tool found several ways may fall under more than one rule. */
export interface Verdict {
  rule: string;
  action: Action;
  reason?: string;
  message?: string;
  alternatives: Alternative[];
  exception?: FindingException;
}

export interface ToolGroup {
  tool: string;
  toolName: string;
  category: Finding['category'];
  /** What the tool counts as in `summary`. */
  verdict: Action;
  findings: Finding[];
  verdicts: Verdict[];
  /** Distinct remedies, in the order found. */
  remedies: string[];
}

/** What the policy said of one finding. */
export function verdictOf(finding: Finding): Verdict {
  return {
    rule: finding.rule,
    action: finding.action,
    alternatives: finding.alternatives,
    ...(finding.reason ? { reason: finding.reason } : {}),
    ...(finding.message ? { message: finding.message } : {}),
    ...(finding.exception ? { exception: finding.exception } : {}),
  };
}

function distinctVerdicts(findings: readonly Finding[]): Verdict[] {
  const seen = new Map<string, Verdict>();
  for (const finding of findings) {
    const verdict = verdictOf(finding);
    const key = JSON.stringify([verdict.rule, verdict.action, verdict.reason, verdict.message, verdict.alternatives.map((a) => a.id), verdict.exception?.index]);
    if (!seen.has(key)) seen.set(key, verdict);
  }
  return [...seen.values()].sort((a, b) => ACTION_RANK[b.action] - ACTION_RANK[a.action]);
}

/** Tools (MCP server findings left out), strictest first, then by name. */
export function toolGroups(report: Report): ToolGroup[] {
  const byTool = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    if (finding.kind === 'mcp-server') continue;
    const list = byTool.get(finding.tool) ?? [];
    list.push(finding);
    byTool.set(finding.tool, list);
  }
  const groups = [...byTool.values()].map((findings): ToolGroup => {
    const first = findings[0]!;
    const verdict = findings.reduce<Action>((worst, f) => (ACTION_RANK[effectiveAction(f)] > ACTION_RANK[worst] ? effectiveAction(f) : worst), 'allow');
    return {
      tool: first.tool,
      toolName: first.toolName,
      category: first.category,
      verdict,
      findings: [...findings].sort((a, b) => ACTION_RANK[effectiveAction(b)] - ACTION_RANK[effectiveAction(a)]),
      verdicts: distinctVerdicts(findings),
      remedies: [...new Set(findings.flatMap((f) => (f.remediation ? [f.remediation] : [])))],
    };
  });
  return groups.sort((a, b) => ACTION_RANK[b.verdict] - ACTION_RANK[a.verdict] || a.toolName.localeCompare(b.toolName));
}

/** MCP server findings, strictest first. */
export function mcpServerFindings(report: Report): Finding[] {
  return report.findings
    .filter((f) => f.kind === 'mcp-server')
    .sort((a, b) => ACTION_RANK[effectiveAction(b)] - ACTION_RANK[effectiveAction(a)] || (a.evidence.server?.name ?? '').localeCompare(b.evidence.server?.name ?? ''));
}
