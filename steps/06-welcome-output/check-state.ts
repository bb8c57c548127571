// Stage: the state in the query must be the one this session's login page was given.
// The seed compared with != and crashed when /login had never been visited; here a missing
// session, a missing state and a wrong state all answer 401, and a state works only once.
import type { Middleware } from 'koa';
import { answerJson } from '#shared/json-answer.ts';
import { sameToken } from './state-token.ts';

// #region check-state
export const checkState: Middleware = async (ctx, next) => {
  const given = ctx.query.state;
  const expected = ctx.session?.state;
  if (typeof given !== 'string' || !expected || !sameToken(given, expected)) {
    return answerJson(ctx, 401, 'Invalid state parameter.');
  }
  delete ctx.session?.state;
  await next();
};
// #endregion check-state
