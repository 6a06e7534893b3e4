/**
 * The catalog's native-control facts (`native` in a tool entry) as the
 * exporters need them. An exporter for a built-in tool cannot write a file
 * without them, so a missing fact is a defect in the catalog, not something a
 * user can cause.
 */
import type { OperatingSystem, ToolEntry } from '../../catalog/schema.js';

/** The catalog entry an exporter writes for. */
export function catalogTool(catalog: readonly ToolEntry[], id: string): ToolEntry {
  const tool = catalog.find((entry) => entry.id === id);
  if (tool === undefined) throw new Error(`the catalog has no entry '${id}'`);
  return tool;
}

type PathFact = 'managedSettings' | 'managedMcp';

/** Where the tool reads this machine-wide file on that OS. */
export function nativePath(tool: ToolEntry, fact: PathFact, os: OperatingSystem): string {
  const paths = tool.native?.[fact];
  if (paths === undefined) throw new Error(`the catalog entry '${tool.id}' states no native.${fact} paths`);
  return paths[os];
}

/** The tool's built-in tool names, as its managed settings deny or exclude them. */
export function builtInTools(tool: ToolEntry): readonly string[] {
  const names = tool.native?.builtInTools?.names;
  if (names === undefined) throw new Error(`the catalog entry '${tool.id}' states no native.builtInTools`);
  return names;
}
