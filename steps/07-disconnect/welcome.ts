// Stage: the answer. The seed built this HTML by adding strings, so a name such as
// <script>alert(1)</script> ran as code in the page; pug escapes every value.
import type { Middleware } from 'koa';
import { flash } from '#shared/flash.ts';
import { render } from '#shared/render.ts';

const VIEW = new URL('./views/welcome.pug', import.meta.url);

export const welcome: Middleware = (ctx) => {
  const name = ctx.session?.username ?? '';
  flash(ctx, `you are now logged in as ${name}`);
  render(ctx, VIEW, { name, picture: ctx.session?.picture });
};
