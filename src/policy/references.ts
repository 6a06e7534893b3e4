/**
 * Checks that span files: ids a policy names must exist somewhere (the
 * catalog, or custom tools and alternatives of any layer, so a repository can
 * name a tool its organisation defines), and custom tools must not take a
 * catalog id. MCP server rules name alternatives from the same ids. Pure and
 * zod-free.
 */
import type { ToolEntry } from '../catalog/schema.js';
import { PolicyError } from '../errors.js';
import type { LoadedPolicyFile } from './merge.js';
import type { RuleInput } from './schema.js';
import { didYouMean } from './suggest.js';

export function checkReferences(files: readonly LoadedPolicyFile[], catalog: readonly ToolEntry[]): void {
  const catalogIds = new Set(catalog.map((entry) => entry.id));
  const toolIds = new Set(catalogIds);
  const alternativeIds = new Set<string>();

  for (const { file, policy } of files) {
    policy.customTools?.forEach((tool, index) => {
      if (catalogIds.has(tool.id)) {
        throw new PolicyError(file, `customTools[${index}].id`, `'${tool.id}' is already a catalog tool id; give your tool its own id`);
      }
      toolIds.add(tool.id);
    });
    for (const id of Object.keys(policy.alternatives ?? {})) alternativeIds.add(id);
  }
  for (const id of toolIds) alternativeIds.add(id);

  for (const { file, policy } of files) {
    for (const [id, rule] of Object.entries(policy.tools ?? {})) {
      if (!toolIds.has(id)) {
        throw new PolicyError(file, `tools.${id}`, `unknown tool '${id}'${didYouMean(id, toolIds)}; use a catalog id (aitool tools) or define it under customTools`);
      }
      checkAlternatives(file, `tools.${id}`, rule, alternativeIds);
    }
    for (const [category, rule] of Object.entries(policy.categories ?? {})) {
      if (rule !== undefined) checkAlternatives(file, `categories.${category}`, rule, alternativeIds);
    }
    for (const [id, rule] of Object.entries(policy.mcp?.servers ?? {})) {
      checkAlternatives(file, `mcp.servers.${id}`, rule, alternativeIds);
    }
  }
}

function checkAlternatives(file: string, key: string, rule: string | RuleInput, known: ReadonlySet<string>): void {
  if (typeof rule === 'string') return;
  rule.alternatives?.forEach((id, index) => {
    if (!known.has(id)) {
      throw new PolicyError(
        file,
        `${key}.alternatives[${index}]`,
        `unknown alternative '${id}'${didYouMean(id, known)}; use a catalog tool id or define it under alternatives`,
      );
    }
  });
}
