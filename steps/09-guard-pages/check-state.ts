// Stage: the state in the query must be the one this browser's login page was given (its
// signed cookie), and unused. The seed compared with != and crashed when /login had never
// been visited; here a missing cookie, a missing state and a wrong state all answer 401, and
// a state works once, even when ten requests bring it at the same moment.
import type { Middleware } from 'koa';
import { LRUCache } from 'lru-cache';
import { answerJson } from '#shared/json-answer.ts';
import { digestOf, liveState, sameToken, STATE_COOKIE, STATE_LIFETIME_MS, stateCookie } from './state-token.ts';

// #region spent
/**
 * The states already used, by digest, for as long as their cookie is good (ten minutes at
 * most; the server checks that itself). Bounded: only states that passed the check (a signed
 * cookie of ours, still good) are kept.
 */
export const spentStates = new LRUCache<string, true>({ max: 100_000, ttl: STATE_LIFETIME_MS });

/**
 * Marks a state used and says whether it was unused. Synchronous on purpose: nothing else
 * runs between the look and the mark, so of parallel requests with one state, one wins.
 */
function spend(state: string): boolean {
  const key = digestOf(state).toString('base64url');
  if (spentStates.has(key)) return false;
  spentStates.set(key, true);
  return true;
}
// #endregion spent

// #region check-state
export const checkState: Middleware = async (ctx, next) => {
  const given = ctx.query.state;
  const expected = liveState(ctx.cookies.get(STATE_COOKIE, { signed: true }));
  if (typeof given !== 'string' || !expected || !sameToken(given, expected) || !spend(given)) {
    return answerJson(ctx, 401, 'Invalid state parameter.');
  }
  // The browser forgets it too.
  ctx.cookies.set(STATE_COOKIE, null, stateCookie(ctx));
  await next();
};
// #endregion check-state
