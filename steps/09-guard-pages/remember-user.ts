// Stage: remember the user. Found by Google's `sub`, which is the user's for ever, never by email:
// an address can change hands, and Google vouches for it only when email_verified is true.
// One upsert creates the row at the first sign-in and updates it at later ones.
import type { Middleware } from 'koa';
import type { UserStore } from '#shared/db/index.ts';
import { redactTokens } from '#shared/errors.ts';
import { answerJson } from '#shared/json-answer.ts';
import type { TokensValidated } from './validate-tokens.ts';
import type { ProfileFetched } from './fetch-profile.ts';

/** What this stage leaves on ctx.state. */
export interface UserRemembered {
  user: { id: number; firstSignIn: boolean };
}

export function rememberUser(users: UserStore): Middleware<TokensValidated & ProfileFetched & Partial<UserRemembered>> {
  return async (ctx, next) => {
    const { profile } = ctx.state;
    // #region remember
    try {
      // The ID token's sub, verified at step 3: the key. The profile's fields are only data.
      ctx.state.user = await users.rememberSignIn({ ...profile, sub: ctx.state.idToken.sub });
    } catch (err) {
      // Fail closed: no user row, no session. The cause goes to the log, never to the client.
      const cause = err instanceof Error ? err.message : String(err);
      console.error(`[gconnect] POST /gconnect: the user database is unavailable: ${redactTokens(cause)}`);
      return answerJson(ctx, 503, 'The user database is unavailable.');
    }
    // #endregion remember
    await next();
  };
}
