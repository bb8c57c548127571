// Protective headers on every answer, from one place (helmet): what the
// browser may load and run on our pages, who may frame them, what they tell other sites.
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { Middleware } from 'koa';
import type { Config } from './config.ts';

/** The Content-Security-Policy's sources for Google Identity Services: its /gsi/ folder. */
function gsiSource(config: Config): string {
  return new URL('.', config.google.gsiClientUrl).href;
}

export function protect(config: Config): Middleware {
  const gsi = gsiSource(config);
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        // Our own files only (no inline script or style anywhere), plus the sign-in script
        // and what it loads: Google's, or the fake's stand-in offline.
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", gsi],
        styleSrc: ["'self'", gsi],
        connectSrc: ["'self'", gsi],
        frameSrc: [gsi],
        imgSrc: ["'self'", ...config.google.pictureOrigins],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        // No page of ours in another site's frame: clickjacking.
        frameAncestors: ["'none'"],
      },
    },
    // GIS's popup must be able to answer the page that opened it; helmet's default,
    // same-origin, cuts that link and the sign-in never completes.
    crossOriginOpenerPolicy: { policy: 'same-origin-allow-popups' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    xFrameOptions: { action: 'deny' },
    // Only behind a TLS proxy: on http://localhost it would mean nothing.
    strictTransportSecurity: config.trustProxy ? { maxAge: 180 * 24 * 60 * 60 } : false,
  });
  // helmet's headers depend on the options only (no nonce, nothing from the request): worked
  // out once, here, and each answer gets the list, not helmet's chain of a dozen middlewares.
  const set: [name: string, value: string][] = [];
  const removed: string[] = [];
  const recorder = {
    setHeader: (name: string, value: string) => set.push([name, value]),
    removeHeader: (name: string) => removed.push(name),
  } as unknown as ServerResponse;
  let worked = false;
  headers({} as IncomingMessage, recorder, (err?: unknown) => {
    if (err) throw err;
    worked = true;
  });
  if (!worked) throw new Error("helmet's headers could not be worked out once for all answers");
  // Our answers carry a state, a user's name, a session: no cache keeps them.
  set.push(['Cache-Control', 'no-store']);
  return async (ctx, next) => {
    for (const [name, value] of set) ctx.res.setHeader(name, value);
    for (const name of removed) ctx.res.removeHeader(name);
    await next();
  };
}
