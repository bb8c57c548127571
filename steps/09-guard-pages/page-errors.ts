// The notes' refusals as pages. A stage refuses the Koa way, ctx.throw(403, 'Only its author...');
// a browser gets a page that says so, with that status (never 200), a script the same words in
// JSON. A failing database is a 503 and is logged once; any other error goes on to the kit's
// handler (a 500 that shows no stack trace).
import type { Middleware } from 'koa';
import { DatabaseUnavailable } from '#shared/db/index.ts';
import { redactTokens } from '#shared/errors.ts';
import { answerJson } from '#shared/json-answer.ts';
import { render } from '#shared/render.ts';

const VIEW = new URL('./views/error.pug', import.meta.url);

export const pageErrors: Middleware = async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    if (err instanceof DatabaseUnavailable) {
      console.error(`[gconnect] ${ctx.method} ${ctx.path}: the user database is unavailable: ${redactTokens(err.message)}`);
      return answerJson(ctx, 503, 'The user database is unavailable.');
    }
    const { status, expose, message } = err as { status?: unknown; expose?: unknown; message?: unknown };
    if (typeof status !== 'number' || status < 400 || status >= 500 || expose !== true || typeof message !== 'string') throw err;
    if (!ctx.accepts('html') || ctx.get('X-Requested-With') === 'XMLHttpRequest') return answerJson(ctx, status, message);
    render(ctx, VIEW, { status, message });
    ctx.status = status;
  }
};
