// GET /login: the page with the "Sign in with Google" button, a fresh state token, and where to
// go once signed in (`?next=`, a path of this site only; the home page otherwise).
import type { Middleware } from 'koa';
import type { Config } from '#shared/config.ts';
import { render } from '#shared/render.ts';
import { sameSitePath } from './next-path.ts';
import { newStateToken, STATE_COOKIE, stateCookie, stateCookieValue } from './state-token.ts';

const VIEW = new URL('./views/login.pug', import.meta.url);

export function loginPage(config: Config): Middleware {
  return (ctx) => {
    // #region state
    const state = newStateToken();
    // The browser keeps it in a signed cookie; the page gets a copy to send back with the
    // one-time code. Nothing is stored on the server for a visit.
    ctx.cookies.set(STATE_COOKIE, stateCookieValue(state), stateCookie(ctx));
    // #endregion state
    render(ctx, VIEW, {
      clientId: config.clientId,
      gsiClientUrl: config.google.gsiClientUrl,
      mode: config.mode,
      state,
      next: sameSitePath(ctx.query.next) ?? '/',
    });
  };
}
