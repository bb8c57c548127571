// POST /revoke: ends an access token; tokeninfo and userinfo reject it afterwards.
import type { Router } from '@koa/router';
import { accessTokenOf, recorded, sendRecorded, type FakeGoogle } from '../context.ts';

export function revokeRoute(router: Router, fake: FakeGoogle): void {
  router.post('/revoke', (ctx) => {
    const value = accessTokenOf(ctx);
    if (!value || !fake.issued.delete(value)) return sendRecorded(ctx, recorded(fake, 'revoke-invalid-token'));
    sendRecorded(ctx, recorded(fake, 'revoke-ok'));
  });
}
