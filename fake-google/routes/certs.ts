// The keys ID tokens are checked against: PEM certificates (v1) and a JWK set (v3).
import type { Router } from '@koa/router';
import type { FakeGoogle } from '../context.ts';

// Google's certs are cached by clients for as long as max-age says.
const CACHE = 'public, max-age=21600, must-revalidate, no-transform';

export function certsRoutes(router: Router, fake: FakeGoogle): void {
  router.get('/oauth2/v1/certs', (ctx) => {
    ctx.set('cache-control', CACHE);
    ctx.body = { [fake.keys.kid]: fake.keys.certPem };
  });
  router.get('/oauth2/v3/certs', (ctx) => {
    ctx.set('cache-control', CACHE);
    ctx.body = { keys: [fake.keys.publicJwk] };
  });
}
