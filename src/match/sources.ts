/**
 * Where each tool of a resolved policy is defined, for compileCatalog: a
 * custom tool's layer is in the policy's origins; everything else is the
 * built-in catalog (a custom tool cannot take a catalog id). Pure.
 */
import type { ToolEntry } from '../catalog/schema.js';
import type { ResolvedPolicy } from '../policy/types.js';
import type { ToolSource } from './compile.js';

export function toolSources(policy: Pick<ResolvedPolicy, 'customTools' | 'origins'>): (entry: ToolEntry) => ToolSource {
  const custom = new Map<string, ToolSource>();
  for (const tool of policy.customTools) {
    custom.set(tool.id, policy.origins[`customTools.${tool.id}`]?.layer === 'managed' ? 'managed' : 'lower');
  }
  return (entry) => custom.get(entry.id) ?? 'catalog';
}
