// The sign-in popup, offline: a stand-in for the GIS client script (/gsi/client) and for
// Google's consent window (/o/oauth2/v2/auth), which lists the fixture scenarios.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Router } from '@koa/router';
import pug from 'pug';
import { GRANTED_SCOPE, originOf, type FakeGoogle } from '../context.ts';

const CLIENT_JS = readFileSync(new URL('../gsi/client.js', import.meta.url), 'utf8');
const renderConsent = pug.compileFile(fileURLToPath(new URL('../gsi/consent.pug', import.meta.url)));

/** The opener's origin, where the code is posted: only an http(s) origin, nothing else. */
function openerOrigin(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.origin === value ? value : null;
  } catch {
    return null;
  }
}

export function gsiRoutes(router: Router, fake: FakeGoogle): void {
  router.get('/gsi/client', (ctx) => {
    ctx.type = 'application/javascript';
    ctx.body = `var FAKE_GOOGLE_ORIGIN = ${JSON.stringify(originOf(ctx))};\n${CLIENT_JS}`;
  });

  router.get('/o/oauth2/v2/auth', (ctx) => {
    const origin = openerOrigin(ctx.query.origin);
    const nonce = typeof ctx.query.nonce === 'string' ? ctx.query.nonce : '';
    let problem = '';
    if (ctx.query.client_id !== fake.client.clientId) problem = 'invalid_client';
    else if (!origin) problem = 'origin_mismatch';
    const scenarios = [...fake.fixtures.scenarios.values()];
    ctx.type = 'text/html';
    ctx.status = problem ? 400 : 200;
    ctx.body = renderConsent({
      problem,
      origin: origin ?? '',
      nonce,
      scope: GRANTED_SCOPE,
      accounts: scenarios.filter((s) => s.order < 100),
      failures: scenarios.filter((s) => s.order >= 100),
    });
  });
}
