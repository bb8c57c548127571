// Stage: the access token and the ID token must be about the same user, and the access
// token must have been issued to this app. Otherwise someone is passing us another app's
// token (a "confused deputy"): it would let them act as a user of that other app here.
import type { Middleware } from 'koa';
import { answerJson } from '#shared/json-answer.ts';
import type { TokensValidated } from './validate-tokens.ts';

export function matchUser(clientId: string): Middleware<TokensValidated> {
  // #region match-user
  return async (ctx, next) => {
    const { tokenInfo, idToken } = ctx.state;
    if (tokenInfo.sub !== idToken.sub) {
      return answerJson(ctx, 401, "Token's user ID doesn't match given user ID.");
    }
    // tokeninfo's aud is the app the token is for; azp, when given, the app that asked for it.
    if (tokenInfo.aud !== clientId || (tokenInfo.azp !== undefined && tokenInfo.azp !== clientId)) {
      return answerJson(ctx, 401, "Token's client ID does not match app's.");
    }
    await next();
  };
  // #endregion match-user
}
