// POST /gconnect: where the browser sends Google's one-time code. The route is a chain of
// middleware, one stage per file, named as its file is; each step of the kit adds one stage.
import type { Middleware } from 'koa';
import type { Config } from '#shared/config.ts';
import { answerJson } from '#shared/json-answer.ts';

export function gconnect(_config: Config): Record<string, Middleware> {
  // #region chain
  return {
    notImplemented: (ctx) => answerJson(ctx, 501, 'Not implemented yet.'),
  };
  // #endregion chain
}
