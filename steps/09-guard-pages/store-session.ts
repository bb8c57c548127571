// Stage: the session. A new session id, and in it the access token and the kit's id for the
// user: the profile stays in the database. The browser's cookie holds only the session's id.
import type { Middleware } from 'koa';
import { freshSession } from '#shared/session.ts';
import type { CodeExchanged } from './exchange-code.ts';
import type { UserRemembered } from './remember-user.ts';
import type { TokensValidated } from './validate-tokens.ts';

export const storeSession: Middleware<CodeExchanged & TokensValidated & UserRemembered> = async (ctx, next) => {
  const session = ctx.session;
  if (!session) throw new Error('no session middleware');
  // #region regenerate
  // A new session id at sign-in, and nothing of the old session: an id someone planted
  // before (session fixation) dies here, and no previous user's data carries over.
  await freshSession(session);
  session.accessToken = ctx.state.tokens.accessToken;
  session.googleId = ctx.state.idToken.sub;
  session.userId = ctx.state.user.id;
  // #endregion regenerate
  await next();
};
