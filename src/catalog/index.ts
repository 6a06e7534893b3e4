/**
 * The built-in catalog: one declarative entry per AI tool (./entries.ts).
 *
 * Only types come from schema.ts: this module is on the hot path and must not load zod.
 */
import type { ToolEntry } from './schema.js';
import { ENTRIES } from './entries.js';

export const CATALOG: readonly ToolEntry[] = Object.freeze([...ENTRIES]);

const BY_ID: ReadonlyMap<string, ToolEntry> = new Map(CATALOG.map((tool) => [tool.id, tool]));

/** The built-in entry with this id, or undefined. */
export function findTool(id: string): ToolEntry | undefined {
  return BY_ID.get(id);
}
