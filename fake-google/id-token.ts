// Mints an ID token per request, with Google's claims, signed RS256 with the fixture key.
import { SignJWT, type JWTPayload } from 'jose';
import type { Scenario } from './fixtures.ts';
import type { SigningKeys } from './keys.ts';

export const GOOGLE_ISSUER = 'https://accounts.google.com';

export interface IdTokenInput {
  scenario: Scenario;
  clientId: string;
  /** The user's picture URL, already pointing at this fake. */
  picture: string;
  keys: SigningKeys;
  now?: number;
}

export async function mintIdToken({ scenario, clientId, picture, keys, now = Date.now() }: IdTokenInput): Promise<string> {
  const { user } = scenario;
  const iat = Math.floor(now / 1000) - scenario.idTokenIssuedSecondsAgo;
  const claims: JWTPayload = {
    iss: GOOGLE_ISSUER,
    azp: clientId,
    aud: clientId,
    sub: user.sub,
    email: user.email,
    email_verified: user.email_verified,
    name: user.name,
    picture,
    given_name: user.given_name,
    family_name: user.family_name,
    iat,
    exp: iat + 3600,
    ...scenario.override.idToken,
  };
  // "forger": another key under Google's kid; "unknown-kid": another key under a kid the certs do not list.
  const key = scenario.idTokenKey === 'test' ? keys.signing : keys.forger;
  const kid = scenario.idTokenKey === 'unknown-kid' ? keys.forgerKid : keys.kid;
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
}
