// Stage: only a note's author may change or delete it. Without this check, any signed-in user
// could change anyone's note by changing the number in the URL (an insecure direct object
// reference). The seed answered a refused edit with 200 and an inline
// <script>alert('You are not authorized...')</script>: a success status for a refusal, and
// inline code a Content-Security-Policy must forbid. Here: 403, and a page that says why.
import type { Middleware } from 'koa';
import type { NoteLoaded } from './load-note.ts';
import type { SignedIn } from './require-sign-in.ts';

// #region author
export const requireAuthor: Middleware<SignedIn & NoteLoaded> = async (ctx, next) => {
  if (ctx.state.note.userId !== ctx.state.userId) ctx.throw(403, 'Only its author can change this note.');
  await next();
};
// #endregion author
