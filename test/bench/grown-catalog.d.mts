import type { ToolEntry } from '../../src/catalog/schema.js';

export function grownCatalog(real: readonly ToolEntry[], total: number): ToolEntry[];
