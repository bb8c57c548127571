// POST /gconnect: where the browser sends Google's one-time code. The route is a chain of
// middleware, one stage per file, named as its file is; each step of the kit adds one stage.
import type { Middleware } from 'koa';
import type { Config } from '#shared/config.ts';
import { answerJson } from '#shared/json-answer.ts';
import { checkState } from './check-state.ts';
import { requireXhr } from './require-xhr.ts';

export function gconnect(_config: Config): Record<string, Middleware> {
  // #region chain
  return {
    requireXhr,
    checkState,
    stateVerified: (ctx) => answerJson(ctx, 200, 'State verified.'),
  };
  // #endregion chain
}
