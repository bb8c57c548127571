// GET /: the flash messages, and who is signed in: the session holds the user's id, the
// database the profile.
import type { Middleware } from 'koa';
import type { UserStore } from '#shared/db/index.ts';
import { takeFlashes } from '#shared/flash.ts';
import { answerJson } from '#shared/json-answer.ts';
import { render } from '#shared/render.ts';

const VIEW = new URL('./views/home.pug', import.meta.url);

export function homePage(users: UserStore): Middleware {
  return async (ctx) => {
    const userId = ctx.session?.userId;
    let user: { name: string; email: string; picture: string } | undefined;
    try {
      user = userId === undefined ? undefined : await users.findById(userId);
    } catch {
      return answerJson(ctx, 503, 'The user database is unavailable.');
    }
    render(ctx, VIEW, { flashes: takeFlashes(ctx), user: user ?? null });
  };
}
