// Stage: is the access token alive, and is the ID token really Google's, for us, and fresh?
// The seed asked tokeninfo and then trusted the ID token's claims without checking them.
import type { Middleware } from 'koa';
import type { OAuth2Client, TokenInfo, TokenPayload } from 'google-auth-library';
import { googleDidNotAnswer, googleFailure } from '#shared/google-error.ts';
import { answerJson } from '#shared/json-answer.ts';
import type { CodeExchanged } from './exchange-code.ts';

export interface TokensValidated {
  /** What Google's tokeninfo says of the access token. */
  tokenInfo: TokenInfo;
  /** The ID token's claims, after its signature, issuer, audience and expiry were checked. */
  idToken: TokenPayload;
}

export function validateTokens(google: OAuth2Client, clientId: string): Middleware<CodeExchanged & TokensValidated> {
  return async (ctx, next) => {
    const { accessToken, idToken } = ctx.state.tokens;
    // #region tokeninfo
    try {
      ctx.state.tokenInfo = await google.getTokenInfo(accessToken);
    } catch (err) {
      const failure = googleFailure(err);
      // A Google that failed (a 5xx, or no answer) first: its 503 carries an error field too.
      if (!googleDidNotAnswer(failure) && failure?.error) {
        // As the seed did: Google's refusal, e.g. "invalid_token", as a 500.
        return answerJson(ctx, 500, failure.error);
      }
      return answerJson(ctx, 502, 'Google did not answer the token info request.');
    }
    // #endregion tokeninfo
    // #region verify-id-token
    try {
      // Without `audience`, verifyIdToken accepts a token minted for any app: always pass it.
      const ticket = await google.verifyIdToken({ idToken, audience: clientId });
      const payload = ticket.getPayload();
      if (!payload?.sub) throw new Error('no sub in the ID token');
      ctx.state.idToken = payload;
    } catch (err) {
      // Fetching Google's certs can fail too; that is Google's fault, not the token's.
      if (googleDidNotAnswer(googleFailure(err))) return answerJson(ctx, 502, 'Google did not answer the certificate request.');
      return answerJson(ctx, 401, 'Invalid ID token.');
    }
    // #endregion verify-id-token
    await next();
  };
}
