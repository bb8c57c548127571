// GET /login: the page with the "Sign in with Google" button.
import type { Middleware } from 'koa';
import type { Config } from '#shared/config.ts';
import { render } from '#shared/render.ts';

export function loginPage(config: Config): Middleware {
  return (ctx) => {
    render(ctx, new URL('./views/login.pug', import.meta.url), {
      clientId: config.clientId,
      gsiClientUrl: config.google.gsiClientUrl,
      mode: config.mode,
      state: '',
    });
  };
}
