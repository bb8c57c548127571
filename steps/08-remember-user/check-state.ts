// Stage: the state in the query must be the one this browser's login page was given (its
// signed cookie), and unused. The seed compared with != and crashed when /login had never
// been visited; here a missing cookie, a missing state and a wrong state all answer 401, and
// a state works once, even when ten requests bring it at the same moment, to any instance.
import type { Context, Middleware } from 'koa';
import { answerJson } from '#shared/json-answer.ts';
import { digestOf, liveState, sameToken, STATE_COOKIE, STATE_LIFETIME_MS, stateCookie } from './state-token.ts';

// #region spent
/**
 * Marks a state used and says whether it was unused. The states already used are kept, by
 * digest, for as long as their cookie is good (ten minutes at most), in ctx.spentStates: this
 * process's memory, or Redis when REDIS_URL is set, shared by every instance of the server.
 *
 * Asynchronous, and still race-free: the store looks and marks in one atomic operation (in
 * memory, with no await between the look and the mark; in Redis, one `SET key 1 NX PX ttl`).
 * A look, an await, then a mark would let parallel requests with one state all pass the look.
 */
function spend(ctx: Context, state: string): Promise<boolean> {
  return ctx.spentStates.spend(digestOf(state).toString('base64url'), STATE_LIFETIME_MS);
}
// #endregion spent

// #region check-state
export const checkState: Middleware = async (ctx, next) => {
  const given = ctx.query.state;
  const expected = liveState(ctx.cookies.get(STATE_COOKIE, { signed: true }));
  if (typeof given !== 'string' || !expected || !sameToken(given, expected) || !(await spend(ctx, given))) {
    return answerJson(ctx, 401, 'Invalid state parameter.');
  }
  // The browser forgets it too.
  ctx.cookies.set(STATE_COOKIE, null, stateCookie(ctx));
  await next();
};
// #endregion check-state
