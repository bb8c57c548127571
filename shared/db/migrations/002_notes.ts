// The notes table (step 9): short texts, each owned by the user who wrote it. user_id is a foreign
// key: a note cannot name a user who does not exist.
import type { Kysely } from 'kysely';
import { kysely } from '../kysely.ts';

const { sql } = kysely;

export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof kysely.PostgresAdapter;
  const time = pg ? sql`timestamptz` : sql`text`;
  await db.schema
    .createTable('notes')
    .addColumn('id', pg ? 'serial' : 'integer', (column) => column.primaryKey())
    .addColumn('user_id', 'integer', (column) => column.notNull().references('users.id').onDelete('cascade'))
    .addColumn('text', 'text', (column) => column.notNull())
    .addColumn('created_at', time, (column) => column.notNull().defaultTo(pg ? sql`now()` : sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`))
    .addColumn('updated_at', time)
    .execute();
  // The list shows a user's own notes with Edit and Delete; the author is looked up by this key.
  await db.schema.createIndex('notes_user_id').on('notes').column('user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notes').execute();
}
