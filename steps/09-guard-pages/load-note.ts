// Stage: the note the path names (/notes/:id), for the stages after it; 404 when none.
import type { Middleware } from 'koa';
import type { Note, NoteStore } from '#shared/db/notes.ts';

/** What this stage leaves on ctx.state. */
export interface NoteLoaded {
  note: Note;
}

/** The largest id a PostgreSQL integer holds: a longer one names no note. */
const MAX_ID = 2_147_483_647;

export function loadNote(notes: NoteStore): Middleware<Partial<NoteLoaded>> {
  return async (ctx, next) => {
    const id = (ctx as { params?: Record<string, string> }).params?.id ?? '';
    const note = /^[1-9]\d{0,9}$/.test(id) && Number(id) <= MAX_ID ? await notes.find(Number(id)) : undefined;
    if (!note) ctx.throw(404, 'There is no such note.');
    ctx.state.note = note;
    await next();
  };
}
