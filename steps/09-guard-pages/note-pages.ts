// The notes' pages: the public list, the forms to write and edit a note, and what their POSTs
// do. The stages before these (notes.ts) have checked who is signed in, the form's CSRF token,
// and that the note is the user's: what is left here is the work itself.
import type { Context, Middleware } from 'koa';
import type { NoteStore } from '#shared/db/notes.ts';
import { flash, takeFlashes } from '#shared/flash.ts';
import { render } from '#shared/render.ts';
import { csrfToken } from './csrf.ts';
import type { NoteLoaded } from './load-note.ts';
import { NOTE_TEXT_RULE, noteText } from './note-text.ts';
import type { SignedIn } from './require-sign-in.ts';

const LIST = new URL('./views/notes.pug', import.meta.url);
const FORM = new URL('./views/note-form.pug', import.meta.url);

/** The form's text field, as it was sent (shown again when it breaks the rule). */
function sentText(ctx: Context): string {
  const text = (ctx.request.body as Record<string, unknown> | undefined)?.text;
  return typeof text === 'string' ? text : '';
}

/** The form, to write a note (no id) or change one; with `problem`, answered 400. */
function showForm(ctx: Context, form: { id?: number; text: string; problem?: string }): void {
  render(ctx, FORM, {
    ...form,
    action: form.id === undefined ? '/notes' : `/notes/${form.id}`,
    csrf: csrfToken(ctx),
    // The sign-in's "you are now logged in" shows here when sign-in brought the browser back.
    flashes: takeFlashes(ctx),
  });
  if (form.problem) ctx.status = 400;
}

/** Back to the list, as a GET (303): a reload does not post the form again. */
function backToList(ctx: Context, message: string): void {
  flash(ctx, message);
  ctx.status = 303;
  ctx.redirect('/notes');
}

export function notePages(notes: NoteStore) {
  /** GET /notes: everyone's notes, newest first; the signed-in user's own with Edit and Delete. */
  const list: Middleware = async (ctx) => {
    const userId = ctx.session?.userId;
    const signedIn = typeof userId === 'number';
    render(ctx, LIST, {
      flashes: takeFlashes(ctx),
      notes: await notes.list(),
      userId: signedIn ? userId : null,
      // Only a session can hold a token's secret, and only a signed-in user has a session.
      csrf: signedIn ? csrfToken(ctx) : null,
    });
  };

  const newForm: Middleware<SignedIn> = (ctx) => showForm(ctx, { text: '' });

  const create: Middleware<SignedIn> = async (ctx) => {
    const text = noteText((ctx.request.body as Record<string, unknown> | undefined)?.text);
    if (text === null) return showForm(ctx, { text: sentText(ctx), problem: NOTE_TEXT_RULE });
    await notes.create(ctx.state.userId, text);
    backToList(ctx, 'Your note is posted.');
  };

  const editForm: Middleware<SignedIn & NoteLoaded> = (ctx) => showForm(ctx, { id: ctx.state.note.id, text: ctx.state.note.text });

  const update: Middleware<SignedIn & NoteLoaded> = async (ctx) => {
    const { note, userId } = ctx.state;
    const text = noteText((ctx.request.body as Record<string, unknown> | undefined)?.text);
    if (text === null) return showForm(ctx, { id: note.id, text: sentText(ctx), problem: NOTE_TEXT_RULE });
    // The author is in the statement too: the database keeps the rule whatever came before.
    if (!(await notes.update(note.id, userId, text))) ctx.throw(404, 'There is no such note.');
    backToList(ctx, 'Your note is changed.');
  };

  const remove: Middleware<SignedIn & NoteLoaded> = async (ctx) => {
    if (!(await notes.remove(ctx.state.note.id, ctx.state.userId))) ctx.throw(404, 'There is no such note.');
    backToList(ctx, 'Your note is deleted.');
  };

  return { list, newForm, create, editForm, update, remove };
}
