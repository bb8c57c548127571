// node:sqlite (built into Node 22.13+ and 24) in the shape Kysely's SqliteDialect expects. A
// bare DatabaseSync does not fit: its statements take their parameters spread, not as an array
// ("Unknown named parameter '0'"), have no `reader` (Kysely then runs a SELECT with run() and
// returns no rows, silently), and refuse booleans and Dates.
import type { SqliteDatabase, SqliteStatement } from 'kysely';

type Value = null | number | bigint | string | Uint8Array;

/** What the kit uses of node:sqlite (typed here: the kit's @types/node is Node 20's). */
export interface NodeSqliteStatement {
  all(...params: Value[]): unknown[];
  run(...params: Value[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(...params: Value[]): IterableIterator<unknown>;
  columns?(): unknown[];
}
export interface NodeSqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): NodeSqliteStatement;
  close(): void;
}
export interface NodeSqliteModule {
  DatabaseSync: new (file: string) => NodeSqliteDatabase;
}

/** Before Node 22.16 statements have no columns(): guess from the SQL. */
const READER = /^\s*(select|with|pragma|values|explain)\b|\breturning\b/i;

export function bind(params: ReadonlyArray<unknown>): Value[] {
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p instanceof Date ? p.toISOString() : p) as Value);
}

export function nodeSqliteDatabase(db: NodeSqliteDatabase): SqliteDatabase {
  return {
    close: () => db.close(),
    prepare(sql: string): SqliteStatement {
      const statement = db.prepare(sql);
      return {
        reader: typeof statement.columns === 'function' ? statement.columns().length > 0 : READER.test(sql),
        all: (params) => statement.all(...bind(params)),
        run: (params) => statement.run(...bind(params)),
        iterate: (params) => statement.iterate(...bind(params)),
      };
    },
  };
}
