/**
 * fleetd's `ai_tools` table as a plain SQLite table, next to osquery's stock
 * tables: the columns are the documented ones (fleetdm/fleet
 * schema/tables/ai_tools.yml), on every platform, so a query naming a column
 * fleetd does not document (`confidence`, `evidence`) fails here.
 *
 * osquery's `regex_match(text, pattern, index)` (osquery/sql/sqlite_string.cpp)
 * is registered as osquery defines it: std::regex_search with the default
 * (ECMAScript) grammar and no flags, the match (or group `index`) when found,
 * NULL when not or when an argument is NULL, an error for a pattern over 256
 * bytes. JavaScript's RegExp without flags stands in for std::regex's
 * ECMAScript grammar; the export only writes the subset both read alike.
 */
import type { Database, SqlValue } from 'sql.js';
import type { Platform } from '../../src/export/sql.js';
import { osqueryDatabase, type Row } from './osquery-db.js';

export const AI_TOOLS_COLUMNS = [
  'type', 'name', 'identifier', 'category', 'location', 'source', 'version', 'path', 'endpoint', 'running', 'pid', 'port',
  'risk_flags', 'sha256', 'uid', 'username', 'detail',
] as const;

export type AiToolsRow = Partial<Record<(typeof AI_TOOLS_COLUMNS)[number], string | number>>;

function regexMatch(text: SqlValue, pattern: SqlValue, index: SqlValue): SqlValue {
  if (text === null || pattern === null || index === null) return null;
  const source = String(pattern);
  if (Buffer.byteLength(source) > 256) throw new Error('Invalid regex: too big, max size is 256 bytes');
  const found = new RegExp(source).exec(String(text));
  if (!found) return null;
  return found[Number(index)] ?? null;
}

/** osquery's tables for the platform, plus ai_tools and regex_match. */
export async function fleetdDatabase(platform: Platform): Promise<Database> {
  const db = await osqueryDatabase(platform);
  db.run(`CREATE TABLE ai_tools (${AI_TOOLS_COLUMNS.join(', ')})`);
  db.create_function('regex_match', regexMatch);
  return db;
}

/** A row as fleetd fills it: every column present, empty text where it has nothing (tables.go row()). */
export function insertAiTools(db: Database, row: AiToolsRow): void {
  const unknown = Object.keys(row).filter((c) => !(AI_TOOLS_COLUMNS as readonly string[]).includes(c));
  if (unknown.length > 0) throw new Error(`ai_tools has no column ${unknown.join(', ')}`);
  const full: Row = Object.fromEntries(AI_TOOLS_COLUMNS.map((c) => [c, row[c] ?? (['running', 'pid', 'port'].includes(c) ? 0 : '')]));
  db.run(`INSERT INTO ai_tools (${AI_TOOLS_COLUMNS.join(', ')}) VALUES (${AI_TOOLS_COLUMNS.map(() => '?').join(', ')})`, AI_TOOLS_COLUMNS.map((c) => full[c] as SqlValue));
}

/** fleetd's `detail` column: compact JSON, empty values left out, keys sorted (tables.go compactJSON). */
export function detail(fields: Record<string, string>): string {
  const kept = Object.keys(fields).filter((k) => fields[k] !== '' && fields[k] !== '0').sort();
  return kept.length === 0 ? '' : JSON.stringify(Object.fromEntries(kept.map((k) => [k, fields[k]])));
}
