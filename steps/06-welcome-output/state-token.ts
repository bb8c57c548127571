// The anti-forgery state token: made for each login page, checked on POST /gconnect.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes from the OS's CSPRNG, as 43 URL-safe characters. */
export function newStateToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Compares in constant time, so that the answer's timing tells nothing of how much of a
 * guess was right. Hashing first gives timingSafeEqual two buffers of the same length.
 */
export function sameToken(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
