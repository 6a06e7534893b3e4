/**
 * `--format ndjson`: one finding per line, each carrying what a log pipeline
 * needs to use it alone (when, which machine and user, which aitool), so
 * lines can be shipped, filtered and joined without the rest of the report.
 */
import type { Report } from './types.js';

export function formatNdjson(report: Report, now: Date = new Date()): string {
  const context = {
    time: now.toISOString(),
    hostname: report.host.hostname,
    ...(report.host.user ? { user: report.host.user } : {}),
    os: report.host.os,
    aitool: report.aitool.version,
  };
  return report.findings.map((finding) => `${JSON.stringify({ ...context, ...finding })}\n`).join('');
}
