// The part of sql.js (SQLite compiled to WebAssembly) these tests use. The package ships no
// types of its own, and only sql.js itself was added as a devDependency.
declare module 'sql.js' {
  export type SqlValue = string | number | Uint8Array | null;
  export interface QueryExecResult {
    columns: string[];
    values: SqlValue[][];
  }
  export interface Database {
    run(sql: string, params?: SqlValue[]): Database;
    exec(sql: string): QueryExecResult[];
    create_function(name: string, fn: (...args: SqlValue[]) => SqlValue): Database;
    close(): void;
  }
  export interface SqlJsStatic {
    Database: new () => Database;
  }
  export default function initSqlJs(): Promise<SqlJsStatic>;
}
