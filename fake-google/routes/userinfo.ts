// GET /v1/userinfo: the OpenID Connect profile of the access token's user (Bearer only).
import type { Router } from '@koa/router';
import { complain, originOf, recorded, scenarioVars, sendRecorded, wrongToken, type FakeGoogle } from '../context.ts';

export function userinfoRoute(router: Router, fake: FakeGoogle): void {
  router.get('/v1/userinfo', (ctx) => {
    const value = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1];
    const issued = value ? fake.issued.get(value) : undefined;
    if (!value || !issued) {
      const why = wrongToken('userinfo', value ?? null, 'as `Authorization: Bearer <access token>`');
      if (why) complain(fake, why);
      return sendRecorded(ctx, recorded(fake, 'invalid-token'));
    }
    const { scenario } = issued;
    const vars = scenarioVars(fake, scenario, originOf(ctx), { value, issued });
    sendRecorded(ctx, scenario.responses.userinfo, vars, scenario.override.userinfo);
  });
}
