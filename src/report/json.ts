import type { Report } from './types.js';

/** The JSON contract (schemaVersion 1): see README "JSON output". */
export function formatJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
