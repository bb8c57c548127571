// POST /gconnect: where the browser sends Google's one-time code. The route is a chain of
// middleware, one stage per file, named as its file is; each step of the kit adds one stage.
import type { Middleware } from 'koa';
import type { Config } from '#shared/config.ts';
import { createGoogleClient } from '#shared/google-client.ts';
import { checkState } from './check-state.ts';
import type { UserStore } from '#shared/db/index.ts';
import { exchangeCode, type CodeExchanged } from './exchange-code.ts';
import { fetchProfile, type ProfileFetched } from './fetch-profile.ts';
import { matchUser } from './match-user.ts';
import { rememberUser, type UserRemembered } from './remember-user.ts';
import { requireXhr } from './require-xhr.ts';
import { storeSession } from './store-session.ts';
import { validateTokens, type TokensValidated } from './validate-tokens.ts';
import { welcome } from './welcome.ts';

/** What the stages leave on ctx.state for the ones after them. */
export type GconnectState = CodeExchanged & TokensValidated & ProfileFetched & UserRemembered;

export function gconnect(config: Config, users: UserStore): Record<string, Middleware<GconnectState>> {
  // One client for the app: it holds our client id and secret, never a user's tokens.
  const google = createGoogleClient(config);
  // #region chain
  return {
    requireXhr,
    checkState,
    exchangeCode: exchangeCode(google),
    validateTokens: validateTokens(google, config.clientId),
    matchUser: matchUser(config.clientId),
    fetchProfile: fetchProfile(config),
    rememberUser: rememberUser(users),
    storeSession,
    welcome,
  };
  // #endregion chain
}
