// Cross-site request forgery: another site's page can make a visitor's browser post a form to
// us, and the browser sends our session cookie with it (SameSite=Lax stops a cross-site POST in
// today's browsers, not in every browser, and not from a sibling subdomain). Two locks:
// - every form carries a token only our pages know, made from a secret kept in the session
//   (the `csrf` package, the one koa-csrf and csurf use); another site can read neither;
// - the browser says where a request comes from (Sec-Fetch-Site, Origin): a POST that says
//   "another site" is refused before its token is even looked at.
import type { Context, Middleware } from 'koa';
import Tokens from 'csrf';

const tokens = new Tokens();

// #region token
/** A token for a form of this session's; the secret is made at the first form, in the session. */
export function csrfToken(ctx: Context): string {
  const session = ctx.session;
  if (!session) throw new Error('no session middleware');
  session.csrfSecret ??= tokens.secretSync();
  return tokens.create(session.csrfSecret);
}
// #endregion token

/** False when the browser says the request comes from another site (no header: not a browser that says). */
function fromThisSite(ctx: Context): boolean {
  const site = ctx.get('Sec-Fetch-Site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = ctx.get('Origin');
  return !origin || origin === `${ctx.protocol}://${ctx.host}`;
}

// #region check
export const checkCsrf: Middleware = async (ctx, next) => {
  if (!fromThisSite(ctx)) ctx.throw(403, 'This form was sent from another site.');
  const token = (ctx.request.body as Record<string, unknown> | undefined)?._csrf;
  const secret = ctx.session?.csrfSecret;
  // tokens.verify compares in constant time.
  if (typeof token !== 'string' || !secret || !tokens.verify(secret, token)) {
    ctx.throw(403, 'This form has expired or was not sent from this site: open it again.');
  }
  await next();
};
// #endregion check
