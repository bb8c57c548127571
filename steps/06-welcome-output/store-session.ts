// Stage: remember the user. The access token and the profile go into the session, which
// lives on the server; the browser's cookie holds only the session's random id.
import type { Middleware } from 'koa';
import type { Config } from '#shared/config.ts';
import { answerJson } from '#shared/json-answer.ts';
import { freshSession } from '#shared/session.ts';
import { fetchUserInfo, type UserInfo } from '#shared/userinfo.ts';
import type { CodeExchanged } from './exchange-code.ts';
import type { TokensValidated } from './validate-tokens.ts';

export function storeSession(config: Config): Middleware<CodeExchanged & TokensValidated> {
  return async (ctx, next) => {
    const session = ctx.session;
    if (!session) throw new Error('no session middleware');
    const { accessToken } = ctx.state.tokens;
    const googleId = ctx.state.idToken.sub;

    // #region already-connected
    if (session.accessToken && session.googleId === googleId) {
      return answerJson(ctx, 200, 'Current user is already connected.');
    }
    // #endregion already-connected

    // #region userinfo
    // Ask for the profile first, so that a failure leaves no half-signed-in session behind.
    let profile: UserInfo;
    try {
      profile = await fetchUserInfo(config.google.userinfoUrl, accessToken, config.googleTimeoutMs);
    } catch {
      return answerJson(ctx, 502, 'Google did not answer the user info request.');
    }
    // #endregion userinfo

    // #region regenerate
    // A new session id at sign-in, and nothing of the old session: an id someone planted
    // before (session fixation) dies here, and no previous user's data carries over.
    await freshSession(session);
    session.accessToken = accessToken;
    session.googleId = googleId;
    session.username = profile.name;
    session.picture = profile.picture;
    session.email = profile.email;
    // #endregion regenerate
    await next();
  };
}
