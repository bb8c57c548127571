// Stage: ask Google for the profile. It was the first half of store-session; it comes first now,
// on its own, because the user must be in the database before the session is written: koa-session
// saves the session even when a later stage fails, so a session made before the database said yes
// would stay behind, signed in, after a 503.
import type { Middleware } from 'koa';
import type { Config } from '#shared/config.ts';
import { answerJson } from '#shared/json-answer.ts';
import { fetchUserInfo, type UserInfo } from '#shared/userinfo.ts';
import type { CodeExchanged } from './exchange-code.ts';
import type { TokensValidated } from './validate-tokens.ts';

/** What this stage leaves on ctx.state. */
export interface ProfileFetched {
  profile: UserInfo;
}

export function fetchProfile(config: Config): Middleware<CodeExchanged & TokensValidated & Partial<ProfileFetched>> {
  return async (ctx, next) => {
    const session = ctx.session;
    if (!session) throw new Error('no session middleware');
    // #region already-connected
    if (session.accessToken && session.googleId === ctx.state.idToken.sub) {
      return answerJson(ctx, 200, 'Current user is already connected.');
    }
    // #endregion already-connected

    // #region userinfo
    try {
      ctx.state.profile = await fetchUserInfo(config.google.userinfoUrl, ctx.state.tokens.accessToken, config.googleTimeoutMs);
    } catch {
      return answerJson(ctx, 502, 'Google did not answer the user info request.');
    }
    // #endregion userinfo
    await next();
  };
}
