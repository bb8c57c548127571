// The notes' routes. Each is a chain, one stage per file, in this order: who is signed in
// (requireSignIn), then the form's fields and its CSRF token (readForm, checkCsrf), then the note
// and its author (loadNote, requireAuthor), then the page. The sign-in check comes first: a
// signed-out browser is sent to sign in, whatever its form holds.
import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { NoteStore } from '#shared/db/notes.ts';
import { type Trace, traced } from '#shared/trace.ts';
import { checkCsrf } from './csrf.ts';
import { loadNote, type NoteLoaded } from './load-note.ts';
import { notePages } from './note-pages.ts';
import { pageErrors } from './page-errors.ts';
import { readForm } from './read-form.ts';
import { requireAuthor } from './require-author.ts';
import { requireSignIn, type SignedIn } from './require-sign-in.ts';

/** What the stages leave on ctx.state for the ones after them. */
export type NotesState = SignedIn & NoteLoaded;

export function notesRoutes(notes: NoteStore, onTrace?: (trace: Trace) => void): Router<NotesState> {
  const page = notePages(notes);
  const note = loadNote(notes);
  // The POSTs are traced like the sign-in: the terminal and Server-Timing show which stage refused.
  const chain = (stages: Record<string, Middleware<NotesState>>) => traced(stages, onTrace);
  const router = new Router<NotesState>();
  router.use(pageErrors);
  // #region routes
  router.get('/notes', page.list);
  router.get('/notes/new', requireSignIn, page.newForm);
  router.get('/notes/:id/edit', requireSignIn, note, requireAuthor, page.editForm);
  router.post('/notes', ...chain({ requireSignIn, readForm, checkCsrf, createNote: page.create }));
  router.post('/notes/:id', ...chain({ requireSignIn, readForm, checkCsrf, loadNote: note, requireAuthor, updateNote: page.update }));
  router.post(
    '/notes/:id/delete',
    ...chain({ requireSignIn, readForm, checkCsrf, loadNote: note, requireAuthor, deleteNote: page.remove }),
  );
  // #endregion routes
  return router;
}
