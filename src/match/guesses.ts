/**
 * Which detections of one observation stand. A name-only guess gives way to a
 * confirmed match (a proven Cline process named `.cline` is not also a
 * name-only something else), but only to one the organisation stands behind:
 * a catalog tool's or a managed custom tool's. A custom tool from a lower
 * layer adds its detection and hides none, so a repository cannot turn a
 * blocked `claude` into its own allowed tool. Pure.
 */
import type { Detection } from '../types.js';
import type { CompiledCatalog } from './compile.js';

export function dropGuesses(found: Detection[], catalog: CompiledCatalog): Detection[] {
  const trusted = (d: Detection) => d.confidence === 'confirmed' && catalog.byId.get(d.tool)?.source !== 'lower';
  if (!found.some(trusted)) return found;
  return found.filter((d) => d.confidence === 'confirmed');
}
