// The notes (step 9), in the users' database. Every change names its author in the statement
// itself (WHERE id = ? AND user_id = ?): the page checks the owner first, to answer 403, and the
// database holds the same rule, so no request can change another user's note even if a check
// above it were forgotten.
import type { Kysely } from 'kysely';
import { unavailable } from './index.ts';
import type { Database } from './schema.ts';

export interface Note {
  id: number;
  /** The author's id (users.id). */
  userId: number;
  text: string;
}

/** A note as the public list shows it: with its author's name. */
export interface ListedNote extends Note {
  author: string;
}

export interface NoteStore {
  /** Every note, newest first, with its author's name. */
  list(): Promise<ListedNote[]>;
  find(id: number): Promise<Note | undefined>;
  /** The new note's id. */
  create(userId: number, text: string): Promise<number>;
  /** False when no note `id` of `userId`'s exists. */
  update(id: number, userId: number, text: string): Promise<boolean>;
  remove(id: number, userId: number): Promise<boolean>;
}

/** Where the notes' database comes from: the users' store, so that the process keeps one connection. */
export interface DatabaseSource {
  database(): Promise<Kysely<Database>>;
}

export function openNoteStore(source: DatabaseSource): NoteStore {
  /** Runs `work` on the database; any failure of it is DatabaseUnavailable. */
  async function using<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    const db = await source.database();
    try {
      return await work(db);
    } catch (err) {
      throw unavailable(err);
    }
  }

  return {
    list: () =>
      using(async (db) => {
        const rows = await db
          .selectFrom('notes')
          .innerJoin('users', 'users.id', 'notes.user_id')
          .select(['notes.id', 'notes.user_id', 'notes.text', 'users.name'])
          .orderBy('notes.id', 'desc')
          .execute();
        return rows.map((row) => ({ id: Number(row.id), userId: Number(row.user_id), text: row.text, author: row.name }));
      }),

    find: (id) =>
      using(async (db) => {
        const row = await db.selectFrom('notes').select(['id', 'user_id', 'text']).where('id', '=', id).executeTakeFirst();
        return row && { id: Number(row.id), userId: Number(row.user_id), text: row.text };
      }),

    create: (userId, text) =>
      using(async (db) => {
        const row = await db
          .insertInto('notes')
          .values({ user_id: userId, text, updated_at: null })
          .returning('id')
          .executeTakeFirstOrThrow();
        return Number(row.id);
      }),

    update: (id, userId, text) =>
      using(async (db) => {
        const result = await db
          .updateTable('notes')
          .set({ text, updated_at: new Date().toISOString() })
          .where('id', '=', id)
          .where('user_id', '=', userId)
          .executeTakeFirst();
        return Number(result.numUpdatedRows) > 0;
      }),

    remove: (id, userId) =>
      using(async (db) => {
        const result = await db.deleteFrom('notes').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
        return Number(result.numDeletedRows) > 0;
      }),
  };
}
