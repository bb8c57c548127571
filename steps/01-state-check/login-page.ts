// GET /login: the page with the "Sign in with Google" button, and a fresh state token.
import type { Middleware } from 'koa';
import type { Config } from '#shared/config.ts';
import { render } from '#shared/render.ts';
import { newStateToken } from './state-token.ts';

export function loginPage(config: Config): Middleware {
  return (ctx) => {
    // #region state
    const state = newStateToken();
    // Kept server-side; the page gets a copy to send back with the one-time code.
    if (ctx.session) ctx.session.state = state;
    // #endregion state
    render(ctx, new URL('./views/login.pug', import.meta.url), {
      clientId: config.clientId,
      gsiClientUrl: config.google.gsiClientUrl,
      mode: config.mode,
      state,
    });
  };
}
