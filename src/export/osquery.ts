/**
 * `aitool export osquery`: an osquery query pack, `{ "queries": { name: {
 * query, interval, platform, description } } }`. A query returns a row for
 * each trace of a blocked or warned-about tool, so osquery's differential
 * results log the moment one appears.
 *
 * The pack holds only the keys osquery documents for packs and their
 * queries (osquery reads the keys it knows and ignores others, but other
 * consumers of packs, such as converters, may not): what osquery cannot check
 * is said in each query's description, and on stderr.
 */
import { alternativeWords, checkerWords, gapWords, mergeByText, policyWords, type ExportPlan } from './plan.js';
import type { Source } from './probes.js';

export interface PackQuery {
  query: string;
  interval: number;
  /** osquery's platform filter; a comma-separated list is allowed. */
  platform: string;
  description: string;
}

export interface QueryPack {
  queries: Record<string, PackQuery>;
}

/** Seconds between runs: a running agent is worth catching sooner than an installed package. */
const INTERVALS: Partial<Record<Source, number>> = { processes: 300 };
const DEFAULT_INTERVAL = 3600;

export function buildPack(plan: ExportPlan): QueryPack {
  const queries: Record<string, PackQuery> = {};
  for (const entry of plan.tools) {
    const { tool } = entry;
    const sources = [...new Set(entry.probes.map((probe) => probe.source))];
    for (const source of sources) {
      const variants = mergeByText(entry.probes.filter((probe) => probe.source === source));
      for (const { first, platforms } of variants) {
        // One name per source; a source whose SQL differs by platform gets the platforms in its names.
        const name = `aitool_${tool.id}_${source}${variants.length > 1 ? `_${platforms.join('_')}` : ''}`;
        const notChecked = entry.gaps.length > 0 ? ` Not checked by ${checkerWords(plan)}: ${entry.gaps.map(gapWords).join('; ')}.` : '';
        queries[name] = {
          query: first.sql,
          interval: INTERVALS[source] ?? DEFAULT_INTERVAL,
          platform: platforms.join(','),
          description: [`${tool.name} (${tool.id}): ${first.what}.`, policyWords(entry), alternativeWords(entry.alternatives)]
            .filter(Boolean)
            .join(' ')
            .concat(notChecked),
        };
      }
    }
  }
  if (plan.fleetd) {
    for (const rule of plan.mcp) {
      if (rule.sql === undefined) continue;
      queries[`aitool_mcp_${rule.key === 'mcp.default' ? 'default' : rule.key.slice('mcp.servers.'.length)}`] = {
        query: rule.sql,
        interval: DEFAULT_INTERVAL,
        platform: 'darwin,linux,windows',
        description: [
          `MCP servers configured on the host that ${rule.key === 'mcp.default' ? 'no rule of the policy names' : `${rule.key} matches`} (fleetd's ai_tools).`,
          `Policy: ${rule.action} (${rule.key})${rule.rule?.reason ? `: ${rule.rule.reason}` : '.'}`,
          ...rule.notes.map((note) => `Note: ${note}.`),
        ].join(' '),
      };
    }
  }
  return { queries };
}

export function formatPack(plan: ExportPlan): string {
  return `${JSON.stringify(buildPack(plan), null, 2)}\n`;
}
