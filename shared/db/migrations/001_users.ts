// The users table. One definition for both engines; only the id and timestamp types differ.
import type { Kysely } from 'kysely';
import { kysely } from '../kysely.ts';

const { sql } = kysely;

export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof kysely.PostgresAdapter;
  const time = pg ? sql`timestamptz` : sql`text`;
  await db.schema
    .createTable('users')
    .addColumn('id', pg ? 'serial' : 'integer', (column) => column.primaryKey())
    .addColumn('sub', 'text', (column) => column.notNull().unique())
    .addColumn('email', 'text', (column) => column.notNull())
    .addColumn('email_verified', 'boolean', (column) => column.notNull())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('picture', 'text', (column) => column.notNull())
    .addColumn('created_at', time, (column) => column.notNull().defaultTo(pg ? sql`now()` : sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`))
    .addColumn('last_sign_in_at', time, (column) => column.notNull())
    .addColumn('sign_in_count', 'integer', (column) => column.notNull().defaultTo(1))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('users').execute();
}
