// One OAuth2Client per app, shared by all requests: it holds our client id and secret,
// never a user's tokens (we never call setCredentials on it).
import { createPublicKey, type KeyObject } from 'node:crypto';
import { OAuth2Client, type Certificates, type LoginTicket } from 'google-auth-library';
import type { Config } from './config.ts';
import { GoogleTransporter } from './google-http.ts';

/**
 * google-auth-library hands each ID token's check Google's certificate as PEM text, which
 * Node parses anew every time: half a millisecond, a tenth of a sign-in's CPU here. This
 * client parses each certificate once and hands on the parsed key, which the library passes
 * as it is to Node's crypto.Verify#verify (a KeyObject is one of the keys it takes).
 */
class GoogleClient extends OAuth2Client {
  readonly #keys = new Map<string, KeyObject>();

  override verifySignedJwtWithCertsAsync(
    jwt: string,
    certs: Certificates,
    ...rest: [string | string[] | undefined, string[] | undefined, number | undefined]
  ): Promise<LoginTicket> {
    const parsed: Record<string, unknown> = {};
    for (const [kid, cert] of Object.entries(certs)) {
      if (typeof cert !== 'string') {
        parsed[kid] = cert;
        continue;
      }
      if (!this.#keys.has(cert)) this.#keys.set(cert, createPublicKey(cert));
      parsed[kid] = this.#keys.get(cert);
    }
    return super.verifySignedJwtWithCertsAsync(jwt, parsed as Certificates, ...rest);
  }
}

export function createGoogleClient(config: Config): OAuth2Client {
  return new GoogleClient({
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    endpoints: config.google.endpoints,
    // The library's calls go to callGoogle (shared/google-http.ts): Node's http on
    // kept-alive connections, each call over within googleTimeoutMs (one timer, cleared when the
    // call ends), no retries (gaxios retries 5xx and network errors for seconds by default; a
    // sign-in should fail fast and say so instead), each noted in the sign-in's trace. Not
    // gaxios's default node-fetch either: when a call's timeout had run out before it started (a
    // busy server), it destroyed the request body with an error nobody listened to, and that
    // uncaught exception could end the server.
    transporter: new GoogleTransporter(config.googleTimeoutMs),
    // The library's interceptors (its debug log, two headers) are for gaxios; the transporter sets the headers itself.
    useAuthRequestParameters: false,
  });
}
