/**
 * The summary as CSV (RFC 4180), one row per machine, for a spreadsheet.
 * Host and tool names come from the machines: a cell that starts with
 * = + - @ TAB or CR would be taken as a formula by Excel, LibreOffice or
 * Google Sheets (CSV injection), so such a cell gets a leading apostrophe.
 */
import path from 'node:path';
import type { FleetSummary } from './summary.js';

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function formatCsv(summary: FleetSummary, csvFile: string): string {
  const folder = path.dirname(path.resolve(csvFile));
  const header = ['machine', 'user', 'os', 'last_report', 'days_since', 'stale', 'strictest', ...summary.columns];
  if (summary.otherTools.length > 0) header.push('other_tools');
  header.push('report_file');
  const rows = [header.map(csvCell).join(',')];
  for (const m of summary.machines) {
    const cells = [
      m.host,
      m.user ?? '',
      m.os ?? '',
      new Date(m.time).toISOString(),
      String(m.ageDays),
      m.stale ? 'yes' : 'no',
      m.strictest,
      ...summary.columns.map((id) => m.tools.get(id)?.verdict ?? ''),
    ];
    if (summary.otherTools.length > 0) cells.push(m.other ?? '');
    cells.push(path.relative(folder, m.file));
    rows.push(cells.map(csvCell).join(','));
  }
  return `${rows.join('\r\n')}\r\n`;
}
