// The tables, as Kysely types them. Timestamps are ISO text on SQLite, timestamptz on PostgreSQL.
import type { Generated } from 'kysely';

export interface UsersTable {
  /** The kit's own id for the user: what the session keeps. */
  id: Generated<number>;
  /** Google's id for the user (the ID token's `sub`): unique, never reused, never changes. */
  sub: string;
  email: string;
  email_verified: boolean | number;
  name: string;
  picture: string;
  created_at: Generated<string | Date>;
  last_sign_in_at: string | Date;
  /** 1 at the first sign-in, one more at each later one: the upsert says which it was. */
  sign_in_count: Generated<number>;
}

export interface NotesTable {
  id: Generated<number>;
  /** The author: a foreign key to users.id. Only the author may change or delete the note. */
  user_id: number;
  /** 1 to 500 characters (Unicode code points), checked by the app before it is written. */
  text: string;
  created_at: Generated<string | Date>;
  updated_at: string | Date | null;
}

export interface Database {
  users: UsersTable;
  notes: NotesTable;
}
