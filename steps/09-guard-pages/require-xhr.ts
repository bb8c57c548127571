// Stage: only the login page's script may call /gconnect. A cross-site form cannot set this
// header, and a cross-site fetch that sets it needs a CORS preflight this server never grants.
import type { Middleware } from 'koa';
import { answerJson } from '#shared/json-answer.ts';

// #region require-xhr
export const requireXhr: Middleware = async (ctx, next) => {
  if (ctx.get('X-Requested-With') !== 'XMLHttpRequest') {
    return answerJson(ctx, 403, 'Missing X-Requested-With header.');
  }
  await next();
};
// #endregion require-xhr
