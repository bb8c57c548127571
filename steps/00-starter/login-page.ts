// GET /login: the page with the "Sign in with Google" button.
import type { Middleware } from 'koa';
import type { Config } from '#shared/config.ts';
import { render } from '#shared/render.ts';

const VIEW = new URL('./views/login.pug', import.meta.url);

export function loginPage(config: Config): Middleware {
  return (ctx) => {
    render(ctx, VIEW, {
      clientId: config.clientId,
      gsiClientUrl: config.google.gsiClientUrl,
      mode: config.mode,
      state: '',
    });
  };
}
