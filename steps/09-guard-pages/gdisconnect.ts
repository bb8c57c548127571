// POST /gdisconnect: where the page's "Sign out" button posts. A POST, and only from our own
// script (X-Requested-With), like POST /gconnect: the seed's was a GET, so any page could
// sign its visitors out with an <img src="/gdisconnect">.
import type { Middleware } from 'koa';
import type { Config } from '#shared/config.ts';
import { createGoogleClient } from '#shared/google-client.ts';
import { requireXhr } from './require-xhr.ts';
import { signOut } from './sign-out.ts';

export function gdisconnect(config: Config): Record<string, Middleware> {
  // #region chain
  return { requireXhr, signOut: signOut(createGoogleClient(config)) };
  // #endregion chain
}
