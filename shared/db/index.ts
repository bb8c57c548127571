// The kit's users, in a database: an embedded SQLite file by default (no set-up), PostgreSQL when
// DATABASE_URL is set. One typed query layer, Kysely, over either engine. The database is opened
// and migrated at the first query, and again after a failure: a server started while its
// database is down answers 503 until the database is back, then carries on, without a restart.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DialectAdapter, Driver, Kysely, Migration, SqliteDatabase } from 'kysely';
import type { DatabaseSettings } from '../config.ts';
import { redactTokens } from '../errors.ts';
import { closeAtStop } from '../shutdown.ts';
import { kysely } from './kysely.ts';
import * as m001 from './migrations/001_users.ts';
import * as m002 from './migrations/002_notes.ts';
import type { Database } from './schema.ts';
import { nodeSqliteDatabase, type NodeSqliteModule } from './sqlite-node.ts';

export type Engine = 'postgres' | 'node:sqlite' | 'sql.js';

/**
 * Every migration, in order; applied at start, each once (Kysely records them). Every step from 8
 * on applies them all: the steps share one .data/, and a step that did not know a migration
 * another had applied would refuse the database.
 */
export const MIGRATIONS: Record<string, Migration> = { '001_users': m001, '002_notes': m002 };

/** What Google's userinfo says of the user who signs in. */
export interface Profile {
  sub: string;
  email: string;
  emailVerified: boolean;
  name: string;
  picture: string;
}

export interface User {
  id: number;
  email: string;
  name: string;
  picture: string;
}

/** The database could not be reached or failed: the sign-in must not go on without it. */
export class DatabaseUnavailable extends Error {
  override name = 'DatabaseUnavailable';
}

/** Any failure of the database, with its cause for the log. */
export function unavailable(err: unknown): DatabaseUnavailable {
  if (err instanceof DatabaseUnavailable) return err;
  const message = err instanceof Error ? err.message || (err as { code?: string }).code || err.name : String(err);
  return new DatabaseUnavailable(message, { cause: err });
}

export interface UserStore {
  /** Creates the user at the first sign-in, updates the profile at later ones; one query. */
  rememberSignIn(profile: Profile): Promise<{ id: number; firstSignIn: boolean }>;
  findById(id: number): Promise<User | undefined>;
  /** Opens the database and applies the migrations not applied yet (the first query does too). */
  ready(): Promise<Engine>;
  /** The opened, migrated database, for the kit's other tables (step 9's notes): one connection for all. */
  database(): Promise<Kysely<Database>>;
  close(): Promise<void>;
}

// SQLite: Kysely's migration lock is a no-op there (one connection per process), and its adapter
// says DDL cannot run in a transaction, so two processes migrating one file would race. SQLite
// can: every transaction takes the write lock at BEGIN IMMEDIATE, and a migration runs in one.
class LockingSqliteDialect extends kysely.SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection) => {
      await connection.executeQuery(kysely.CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
  override createAdapter(): DialectAdapter {
    return new (class extends kysely.SqliteAdapter {
      override get supportsTransactionalDdl(): boolean {
        return true;
      }
    })();
  }
}

/** node:sqlite's module, or null where Node has none (before 22.13: ERR_UNKNOWN_BUILTIN_MODULE). */
async function nodeSqlite(): Promise<NodeSqliteModule | null> {
  if (process.env.SQLITE_DRIVER === 'sql.js') return null;
  // Node 22 warns that SQLite is experimental: that one warning is left out, no other.
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type === 'ExperimentalWarning' && String(warning instanceof Error ? warning.message : warning).startsWith('SQLite')) return;
    return (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    // The name is built, not written: the kit's @types/node is Node 20's, which has no node:sqlite,
    // so tsc would refuse a literal import (the module's types are ./sqlite-node.ts's own).
    return (await import(['node', 'sqlite'].join(':'))) as NodeSqliteModule;
  } catch {
    return null;
  } finally {
    process.emitWarning = emitWarning;
  }
}

async function openSqlite(dataDir: string): Promise<{ database: SqliteDatabase; engine: Engine }> {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'kit.sqlite');
  const sqlite = await nodeSqlite();
  if (sqlite) {
    const raw = new sqlite.DatabaseSync(file);
    // First, so that switching to WAL waits for another process rather than failing "locked".
    raw.exec('PRAGMA busy_timeout = 5000;');
    raw.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
    return { database: nodeSqliteDatabase(raw), engine: 'node:sqlite' };
  }
  const { openSqlJs } = await import('./sqlite-sqljs.ts');
  return { database: await openSqlJs(file), engine: 'sql.js' };
}

/** Opens the database the settings name (SQLite made on first use); not migrated yet. */
export async function openDatabase(settings: DatabaseSettings): Promise<{ db: Kysely<Database>; engine: Engine }> {
  if (settings.url) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({
      connectionString: settings.url,
      max: 5,
      // pg waits for ever for a connection by default; a sign-in must not.
      connectionTimeoutMillis: 2000,
      // A query that hangs (a network gone silent) fails after 10 s rather than never.
      query_timeout: 10_000,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
    });
    // Without a listener, an idle connection that dies (the database restarts) crashes the process.
    pool.on('error', (err) => console.error(`[gconnect] the user database dropped a connection: ${redactTokens(err.message)}`));
    // The pool listens to its idle connections only. One that dies while a request uses it (the
    // database restarts, a network cut mid-query) fails that query, which answers 503 and is
    // logged there; without a listener of its own, its 'error' event would crash the process.
    pool.on('connect', (client) => client.on('error', () => undefined));
    return { db: new kysely.Kysely<Database>({ dialect: new kysely.PostgresDialect({ pool }) }), engine: 'postgres' };
  }
  const { database, engine } = await openSqlite(settings.dataDir);
  return { db: new kysely.Kysely<Database>({ dialect: new LockingSqliteDialect({ database }) }), engine };
}

/** Applies the migrations not applied yet; the names of those it applied. */
export async function migrate(db: Kysely<Database>): Promise<string[]> {
  const migrator = new kysely.Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).map((result) => result.migrationName);
}

export function openUserStore(settings: DatabaseSettings): UserStore {
  let opened: Promise<{ db: Kysely<Database>; engine: Engine }> | null = null;
  let migrated: Promise<void> | null = null;

  async function ready(): Promise<{ db: Kysely<Database>; engine: Engine }> {
    try {
      opened ??= openDatabase(settings);
      const handle = await opened.catch((err: unknown) => {
        opened = null;
        throw err;
      });
      migrated ??= migrate(handle.db).then(() => undefined);
      await migrated.catch((err: unknown) => {
        migrated = null;
        throw err;
      });
      return handle;
    } catch (err) {
      throw unavailable(err);
    }
  }

  // Closed when the server stops (kit/serve.ts), whichever step opened it.
  const closeAtExit = closeAtStop(() => close());
  async function close(): Promise<void> {
    const handle = await opened?.catch(() => null);
    opened = null;
    migrated = null;
    await handle?.db.destroy();
  }

  return {
    async ready() {
      return (await ready()).engine;
    },

    async database() {
      return (await ready()).db;
    },

    async rememberSignIn(profile) {
      const { db } = await ready();
      const now = new Date().toISOString();
      try {
        // #region upsert
        // One statement: the unique key on sub decides, inside the database, whether this is the
        // first sign-in. Two at once cannot both insert (a read, then an insert, could).
        const row = await db
          .insertInto('users')
          .values({
            sub: profile.sub,
            email: profile.email,
            email_verified: profile.emailVerified,
            name: profile.name,
            picture: profile.picture,
            last_sign_in_at: now,
          })
          .onConflict((conflict) =>
            conflict.column('sub').doUpdateSet((eb) => ({
              email: eb.ref('excluded.email'),
              email_verified: eb.ref('excluded.email_verified'),
              name: eb.ref('excluded.name'),
              picture: eb.ref('excluded.picture'),
              last_sign_in_at: eb.ref('excluded.last_sign_in_at'),
              sign_in_count: eb(eb.ref('users.sign_in_count'), '+', 1),
            })),
          )
          .returning(['id', 'sign_in_count'])
          .executeTakeFirstOrThrow();
        return { id: Number(row.id), firstSignIn: Number(row.sign_in_count) === 1 };
        // #endregion upsert
      } catch (err) {
        throw unavailable(err);
      }
    },

    async findById(id) {
      const { db } = await ready();
      try {
        const row = await db.selectFrom('users').select(['id', 'email', 'name', 'picture']).where('id', '=', id).executeTakeFirst();
        return row && { ...row, id: Number(row.id) };
      } catch (err) {
        throw unavailable(err);
      }
    },

    close: () => closeAtExit(),
  };
}
