/**
 * osquery's tables, as plain SQLite tables with osquery's documented columns
 * (osquery/specs/*.table: processes, users, utility/file, npm_packages,
 * python_packages, vscode_extensions, chrome_extensions, firefox_addons, darwin/apps, darwin/homebrew_packages,
 * linux/deb_packages, linux/rpm_packages, windows/programs,
 * windows/chocolatey_packages), each created only on the platforms osquery
 * has it on. A query that names a missing table or column fails here as it
 * would in osquery; the SQL itself runs in SQLite (sql.js), the engine
 * osquery embeds.
 */
import initSqlJs, { type Database, type SqlJsStatic, type SqlValue } from 'sql.js';
import type { Platform } from '../../src/export/sql.js';

interface TableSpec {
  platforms: readonly Platform[];
  columns: readonly string[];
}

const ALL: readonly Platform[] = ['darwin', 'linux', 'windows'];

export const OSQUERY_TABLES: Record<string, TableSpec> = {
  users: { platforms: ALL, columns: ['uid', 'gid', 'uid_signed', 'gid_signed', 'username', 'description', 'directory', 'shell', 'uuid'] },
  processes: {
    platforms: ALL,
    columns: [
      'pid', 'name', 'path', 'cmdline', 'state', 'cwd', 'root', 'uid', 'gid', 'euid', 'egid', 'suid', 'sgid', 'on_disk',
      'wired_size', 'resident_size', 'total_size', 'user_time', 'system_time', 'disk_bytes_read', 'disk_bytes_written',
      'start_time', 'parent', 'pgroup', 'threads', 'nice',
    ],
  },
  file: {
    platforms: ALL,
    columns: [
      'path', 'directory', 'filename', 'inode', 'uid', 'gid', 'mode', 'device', 'size', 'block_size', 'atime', 'mtime', 'ctime',
      'btime', 'hard_links', 'symlink', 'type',
    ],
  },
  npm_packages: { platforms: ALL, columns: ['name', 'version', 'description', 'author', 'license', 'homepage', 'path', 'directory'] },
  python_packages: { platforms: ALL, columns: ['name', 'version', 'summary', 'author', 'license', 'path', 'directory'] },
  vscode_extensions: { platforms: ALL, columns: ['name', 'uuid', 'version', 'path', 'publisher', 'publisher_id', 'installed_at', 'prerelease', 'uid'] },
  chrome_extensions: {
    platforms: ALL,
    columns: ['uid', 'name', 'profile', 'identifier', 'version', 'description', 'locale', 'update_url', 'author', 'persistent', 'path', 'permissions', 'optional_permissions'],
  },
  firefox_addons: {
    platforms: ALL,
    columns: ['uid', 'name', 'identifier', 'creator', 'type', 'version', 'description', 'source_url', 'visible', 'active', 'disabled', 'autoupdate', 'location', 'path'],
  },
  apps: {
    platforms: ['darwin'],
    columns: [
      'name', 'path', 'bundle_executable', 'bundle_identifier', 'bundle_name', 'bundle_short_version', 'bundle_version',
      'bundle_package_type', 'environment', 'element', 'compiler', 'development_region', 'display_name', 'info_string',
      'minimum_system_version', 'category', 'applescript_enabled', 'copyright', 'last_opened_time',
    ],
  },
  homebrew_packages: { platforms: ['darwin'], columns: ['name', 'path', 'version', 'type', 'auto_updates', 'app_name', 'prefix'] },
  deb_packages: {
    platforms: ['linux'],
    columns: ['name', 'version', 'source', 'size', 'arch', 'revision', 'status', 'maintainer', 'section', 'priority', 'admindir'],
  },
  rpm_packages: { platforms: ['linux'], columns: ['name', 'version', 'release', 'source', 'size', 'sha1', 'arch', 'epoch'] },
  programs: {
    platforms: ['windows'],
    columns: ['name', 'version', 'install_source', 'language', 'publisher', 'uninstall_string', 'install_date', 'identifying_number'],
  },
  chocolatey_packages: { platforms: ['windows'], columns: ['name', 'version', 'summary', 'author', 'license', 'path'] },
};

export type Row = Record<string, string | number>;

/** One row to put in one table. */
export interface TableRow {
  table: string;
  row: Row;
}

let engine: Promise<SqlJsStatic> | undefined;

/** An empty osquery-shaped database for one platform. */
export async function osqueryDatabase(platform: Platform): Promise<Database> {
  engine ??= initSqlJs();
  const db = new (await engine).Database();
  for (const [name, spec] of Object.entries(OSQUERY_TABLES)) {
    if (spec.platforms.includes(platform)) db.run(`CREATE TABLE ${name} (${spec.columns.join(', ')})`);
  }
  return db;
}

/** Inserts a row; a column the table does not have is a mistake in the test, not a silent extra. */
export function insert(db: Database, { table, row }: TableRow): void {
  const spec = OSQUERY_TABLES[table];
  if (!spec) throw new Error(`no osquery table ${table}`);
  const columns = Object.keys(row);
  const unknown = columns.filter((c) => !spec.columns.includes(c));
  if (unknown.length > 0) throw new Error(`${table} has no column ${unknown.join(', ')}`);
  db.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`, columns.map((c) => row[c] as SqlValue));
}

/** The rows a query returns, as objects. */
export function rows(db: Database, sql: string): Array<Record<string, SqlValue>> {
  const [result] = db.exec(sql);
  if (!result) return [];
  return result.values.map((values) => Object.fromEntries(result.columns.map((column, i) => [column, values[i] ?? null])));
}
