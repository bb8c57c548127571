// POST /revoke: ends an access token; tokeninfo and userinfo reject it afterwards. A
// scenario may make it fail (Google refuses, or does not answer), for the sign-out's sake.
import type { Router } from '@koa/router';
import { accessTokenOf, recorded, sendRecorded, type FakeGoogle } from '../context.ts';

export function revokeRoute(router: Router, fake: FakeGoogle): void {
  router.post('/revoke', (ctx) => {
    const value = accessTokenOf(ctx);
    const issued = value ? fake.issued.get(value) : undefined;
    if (!value || !issued) return sendRecorded(ctx, recorded(fake, 'revoke-invalid-token'));
    const answer = issued.scenario.responses.revoke;
    if (answer.status === 200) fake.issued.delete(value);
    sendRecorded(ctx, answer);
  });
}
