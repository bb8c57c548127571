// Stage: the answer. The seed built this HTML by adding strings, so a name such as
// <script>alert(1)</script> ran as code in the page; pug escapes every value. The first
// sign-in is welcomed, a later one welcomed back.
import type { Middleware } from 'koa';
import { flash } from '#shared/flash.ts';
import { render } from '#shared/render.ts';
import type { ProfileFetched } from './fetch-profile.ts';
import type { UserRemembered } from './remember-user.ts';

const VIEW = new URL('./views/welcome.pug', import.meta.url);

export const welcome: Middleware<ProfileFetched & UserRemembered> = (ctx) => {
  const { name, picture } = ctx.state.profile;
  flash(ctx, `you are now logged in as ${name}`);
  render(ctx, VIEW, { name, picture, back: !ctx.state.user.firstSignIn });
};
