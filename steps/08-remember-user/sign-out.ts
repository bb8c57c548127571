// Stage: sign out. The seed's gdisconnect crashed when nobody was signed in (KeyError), said
// 200 when Google refused to revoke, and cleared only some keys, so user_id outlived the
// sign-out. Here: nobody signed in is a 401; the session ends first, whatever Google answers
// (it must never keep anyone signed in); then the answer says whether Google revoked the token.
import type { Middleware } from 'koa';
import type { OAuth2Client } from 'google-auth-library';
import { answerJson } from '#shared/json-answer.ts';

export function signOut(google: OAuth2Client): Middleware {
  // #region sign-out
  return async (ctx) => {
    const accessToken = ctx.session?.accessToken;
    if (!accessToken) return answerJson(ctx, 401, 'Current user not connected.');
    // Signed out here and now: the whole session goes from the store (awaited), its cookie is
    // cleared. Before the token is revoked: if the store fails, the answer is 503 and nothing
    // else has happened (not a revoked token in a session that is still there).
    await ctx.endSession();
    try {
      // The token stops working at Google too: it can no longer act as the user.
      await google.revokeToken(accessToken);
    } catch {
      return answerJson(ctx, 400, 'Failed to revoke token for given user.');
    }
    answerJson(ctx, 200, 'Successfully disconnected.');
  };
  // #endregion sign-out
}
