// The anti-forgery state token: made for each login page, checked on POST /gconnect.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import type { SetOption } from 'cookies';

/** 32 random bytes from the OS's CSPRNG, as 43 URL-safe characters. */
export function newStateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A token's SHA-256 digest: what is kept or compared instead of the token itself. */
export function digestOf(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * Compares in constant time, so that the answer's timing tells nothing of how much of a
 * guess was right. Comparing digests gives timingSafeEqual two buffers of the same length.
 */
export function sameToken(given: string, expected: string): boolean {
  return timingSafeEqual(digestOf(given), digestOf(expected));
}

// #region state-cookie
/**
 * Until it signs in, the browser keeps its state in a cookie of its own: signed (so only our
 * server can have made it), httpOnly, and dead in ten minutes. A visit to /login stores
 * nothing on the server, so no number of visits can fill a store and push anyone out.
 */
export const STATE_COOKIE = 'gconnect.state';
export const STATE_LIFETIME_MS = 10 * 60 * 1000;

export function stateCookie(ctx: Context): SetOption {
  return { signed: true, httpOnly: true, sameSite: 'lax', secure: ctx.secure, maxAge: STATE_LIFETIME_MS, overwrite: true };
}

/**
 * The cookie's value: the state and the moment it stops being good, signed together. The
 * browser drops the cookie after ten minutes; the server does not take its word for it.
 */
export function stateCookieValue(state: string, now = Date.now()): string {
  return `${state}.${now + STATE_LIFETIME_MS}`;
}

/** The state a cookie's value holds, if it is still good. */
export function liveState(value: string | undefined, now = Date.now()): string | undefined {
  const [state, goodUntil] = value?.split('.') ?? [];
  return state && Number(goodUntil) > now ? state : undefined;
}
// #endregion state-cookie
