// GET /: the flash messages, and who is signed in.
import type { Middleware } from 'koa';
import { takeFlashes } from '#shared/flash.ts';
import { render } from '#shared/render.ts';

const VIEW = new URL('./views/home.pug', import.meta.url);

export const homePage: Middleware = (ctx) => {
  const session = ctx.session;
  const user = session?.username ? { name: session.username, email: session.email, picture: session.picture } : null;
  render(ctx, VIEW, { flashes: takeFlashes(ctx), user });
};
