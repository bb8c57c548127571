// GET or POST /tokeninfo: what Google knows of an access token.
import type { Router, RouterMiddleware } from '@koa/router';
import { accessTokenOf, complain, originOf, recorded, scenarioVars, sendRecorded, wrongToken, type FakeGoogle } from '../context.ts';

export function tokeninfoRoute(router: Router, fake: FakeGoogle): void {
  const answer: RouterMiddleware = (ctx) => {
    const value = accessTokenOf(ctx);
    const issued = value ? fake.issued.get(value) : undefined;
    if (!value || !issued) {
      const why = wrongToken('tokeninfo', value ?? null);
      if (why) complain(fake, why);
      return sendRecorded(ctx, recorded(fake, 'tokeninfo-invalid-token'));
    }
    const { scenario } = issued;
    const vars = scenarioVars(fake, scenario, originOf(ctx), { value, issued });
    sendRecorded(ctx, scenario.responses.tokeninfo, vars, scenario.override.tokeninfo);
  };
  router.get('/tokeninfo', answer);
  router.post('/tokeninfo', answer);
}
