// One OAuth2Client per app, shared by all requests: it holds our client id and secret,
// never a user's tokens (we never call setCredentials on it).
import { OAuth2Client } from 'google-auth-library';
import type { Config } from './config.ts';

export function createGoogleClient(config: Config): OAuth2Client {
  return new OAuth2Client({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    endpoints: config.google.endpoints,
    transporterOptions: {
      timeout: config.googleTimeoutMs,
      // Node's own fetch, not gaxios's default node-fetch: when a call's timeout has run out
      // before it starts (a busy server), node-fetch destroys the request body with an error
      // nobody listens to, and that uncaught exception surfaces wherever the next tick queue
      // drains: it can end the server, or kill an unrelated request's HTTP parser mid-body.
      fetchImplementation: fetch,
      // gaxios retries 5xx and network errors for seconds by default; a sign-in should
      // fail fast and say so instead.
      retryConfig: { retry: 0, noResponseRetries: 0 },
    },
  });
}
