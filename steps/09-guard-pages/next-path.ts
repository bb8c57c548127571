// Where sign-in sends the browser back to: `?next=` on /login. Only a path of this site is
// followed; anything else (https://evil.example, //evil.example, /\evil.example) is ignored, or
// the login page would be an open redirect: a link to our site that lands on another.
const HERE = 'http://kit.invalid';

// #region next-path
/** `value` as a path of this site (with its query), or undefined when it is not one. */
export function sameSitePath(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('/')) return undefined;
  // Browsers read a backslash as a slash and drop tabs and newlines: /\evil.example is //evil.example.
  if (value.includes('\\') || /\p{Cc}/u.test(value)) return undefined;
  const url = new URL(value, HERE);
  if (url.origin !== HERE || value.startsWith('//')) return undefined;
  return url.pathname + url.search;
}
// #endregion next-path
