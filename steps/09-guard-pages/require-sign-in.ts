// Stage: the guard. Every page that shows a form or changes a note needs a signed-in user. The
// seed's version (`if 'username' not in login_session: return redirect('/login')`) sent the
// browser to /login and forgot where it was going; here sign-in brings it back.
import type { Context, Middleware } from 'koa';
import { answerJson } from '#shared/json-answer.ts';

/** What this stage leaves on ctx.state: who is signed in (the kit's user id). */
export interface SignedIn {
  userId: number;
}

/** A browser asking for a page, rather than a script asking for data. */
function wantsPage(ctx: Context): boolean {
  return ctx.get('X-Requested-With') !== 'XMLHttpRequest' && /\btext\/html\b/i.test(ctx.get('Accept'));
}

// #region guard
export const requireSignIn: Middleware<Partial<SignedIn>> = async (ctx, next) => {
  const userId = ctx.session?.userId;
  if (typeof userId !== 'number') {
    // A script cannot follow a redirect to a sign-in page: it is told, in JSON.
    if (!wantsPage(ctx)) return answerJson(ctx, 401, 'Sign in first.');
    // 303: the browser comes back with a GET. A form's POST cannot be replayed after sign-in
    // (its CSRF token belonged to no session), so it comes back to the list.
    const next = ctx.method === 'GET' ? ctx.originalUrl : '/notes';
    ctx.status = 303;
    return ctx.redirect(`/login?${new URLSearchParams({ next })}`);
  }
  ctx.state.userId = userId;
  await next();
};
// #endregion guard
