// Stage: trade the one-time code for tokens. Google answers with an access token (to call
// Google as the user) and an ID token (who the user is); nothing is trusted yet.
import type { Middleware } from 'koa';
import bodyParser from 'koa-bodyparser';
import compose from 'koa-compose';
import type { OAuth2Client } from 'google-auth-library';
import { googleDidNotAnswer, googleFailure } from '#shared/google-error.ts';
import { answerJson } from '#shared/json-answer.ts';

export interface CodeExchanged {
  tokens: { accessToken: string; idToken: string };
}

// #region read-code
// The page sends the code as the raw body (application/octet-stream), Flask's request.data.
const readCode = bodyParser({
  enableTypes: ['text'],
  extendTypes: { text: ['application/octet-stream'] },
  textLimit: '8kb',
});
// #endregion read-code

export function exchangeCode(google: OAuth2Client): Middleware<CodeExchanged> {
  const exchange: Middleware<CodeExchanged> = async (ctx, next) => {
    const body: unknown = ctx.request.body;
    const code = typeof body === 'string' ? body.trim() : '';
    if (!code) return answerJson(ctx, 401, 'Failed to upgrade the authorization code.');
    // #region get-token
    try {
      // 'postmessage': the code came from Google's popup, not from a redirect to us.
      const { tokens } = await google.getToken({ code, redirect_uri: 'postmessage' });
      if (!tokens.access_token || !tokens.id_token) throw new Error('Google sent no access or ID token');
      // Plain strings only: a credentials object does not belong in ctx.state or a session.
      ctx.state.tokens = { accessToken: tokens.access_token, idToken: tokens.id_token };
    } catch (err) {
      if (googleDidNotAnswer(googleFailure(err))) {
        return answerJson(ctx, 502, 'Google did not answer the code exchange.');
      }
      return answerJson(ctx, 401, 'Failed to upgrade the authorization code.');
    }
    // #endregion get-token
    await next();
  };
  return compose([readCode, exchange]);
}
