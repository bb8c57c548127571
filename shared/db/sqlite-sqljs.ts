// sql.js (SQLite compiled to WebAssembly) for Node 20, which has no node:sqlite. sql.js keeps the
// database in memory, so every write is written through before its query resolves: the whole
// file, to a temporary file, fsync'ed, renamed over the old one, the folder fsync'ed (17-20 ms a
// write). A crash leaves the old file or the new one, never half of one.
import fs from 'node:fs';
import path from 'node:path';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import type { SqlValue } from 'sql.js';
import { bind } from './sqlite-node.ts';

function saveAtomic(file: string, bytes: Uint8Array): void {
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temporary, 'w');
  try {
    fs.writeSync(fd, bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
  const dir = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dir);
  } finally {
    fs.closeSync(dir);
  }
}

export async function openSqlJs(file: string): Promise<SqliteDatabase> {
  // A -wal file left by node:sqlite after a crash holds committed rows sql.js cannot see.
  const wal = `${file}-wal`;
  if (fs.existsSync(wal) && fs.statSync(wal).size > 0) {
    throw new Error(`${wal} exists (left by node:sqlite after a crash): start the kit once with Node 22.13+ to fold it in, then retry.`);
  }
  const { default: initSqlJs } = await import('sql.js');
  const SQL = await initSqlJs();
  const db = fs.existsSync(file) ? new SQL.Database(fs.readFileSync(file)) : new SQL.Database();
  // Foreign keys are off by default in SQLite, and export() turns them off again: on after each.
  const foreignKeysOn = () => db.exec('PRAGMA foreign_keys = ON;');
  foreignKeysOn();
  let inTransaction = false;
  // Rows written (total_changes) and schema changes (schema_version): no save when neither moved.
  const stamp = () => String(db.exec('select total_changes(), (select schema_version from pragma_schema_version)')[0]?.values[0]);
  let saved = stamp();
  const afterWrite = (sql: string) => {
    if (/^\s*begin\b/i.test(sql)) {
      inTransaction = true;
      return;
    }
    if (/^\s*(commit|end)\b/i.test(sql)) inTransaction = false;
    else if (/^\s*rollback\b(?!\s+to)/i.test(sql)) {
      inTransaction = false;
      return;
    }
    if (inTransaction) return;
    const now = stamp();
    if (now !== saved) {
      saveAtomic(file, db.export());
      foreignKeysOn();
      saved = now;
    }
  };
  if (!fs.existsSync(file)) {
    saveAtomic(file, db.export());
    foreignKeysOn();
  }
  return {
    close: () => db.close(),
    prepare(sql: string): SqliteStatement {
      const probe = db.prepare(sql);
      let reader: boolean;
      try {
        reader = probe.getColumnNames().length > 0;
      } finally {
        probe.free();
      }
      return {
        reader,
        all(params) {
          const statement = db.prepare(sql);
          const rows: unknown[] = [];
          try {
            statement.bind(bind(params) as SqlValue[]);
            while (statement.step()) rows.push(statement.getAsObject());
          } finally {
            statement.free();
          }
          afterWrite(sql);
          return rows;
        },
        run(params) {
          db.run(sql, bind(params) as SqlValue[]);
          const changes = db.getRowsModified();
          const lastInsertRowid = db.exec('select last_insert_rowid()')[0]?.values[0]?.[0] as number;
          afterWrite(sql);
          return { changes, lastInsertRowid };
        },
        *iterate(params) {
          const statement = db.prepare(sql);
          try {
            statement.bind(bind(params) as SqlValue[]);
            while (statement.step()) yield statement.getAsObject();
          } finally {
            statement.free();
          }
        },
      };
    },
  };
}
