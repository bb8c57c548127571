// POST /token: the authorization-code exchange. The code picks the scenario.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Router } from '@koa/router';
import { complain, originOf, recorded, scenarioVars, sendRecorded, type FakeGoogle } from '../context.ts';
import { mintIdToken } from '../id-token.ts';

function formField(body: unknown, name: string): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : undefined;
}

/** client_secret_post (google-auth-library's default) or client_secret_basic. */
function clientOf(authorization: string, body: unknown): { id?: string; secret?: string } {
  const basic = /^Basic\s+(\S+)$/i.exec(authorization);
  if (basic?.[1]) {
    const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
    return { id, secret };
  }
  return { id: formField(body, 'client_id'), secret: formField(body, 'client_secret') };
}

export function tokenRoute(router: Router, fake: FakeGoogle): void {
  router.post('/token', async (ctx) => {
    const body = ctx.request.body;
    const client = clientOf(ctx.get('authorization'), body);
    if (client.id !== fake.client.clientId || client.secret !== fake.client.clientSecret) {
      complain(
        fake,
        "the code exchange was refused (invalid_client): it must carry the app's client id and client secret, from the config",
      );
      return sendRecorded(ctx, recorded(fake, 'token-invalid-client'));
    }
    if (formField(body, 'grant_type') !== 'authorization_code') {
      complain(
        fake,
        `the code exchange was refused (invalid_grant): grant_type was ${JSON.stringify(formField(body, 'grant_type') ?? null)}, not "authorization_code"`,
      );
    }
    const scenario = fake.fixtures.scenarios.get(formField(body, 'code') ?? '');
    if (formField(body, 'grant_type') !== 'authorization_code' || !scenario) {
      return sendRecorded(ctx, recorded(fake, 'token-invalid-grant'));
    }
    if (formField(body, 'redirect_uri') !== 'postmessage') {
      complain(
        fake,
        `the code exchange was refused (redirect_uri_mismatch): redirect_uri was ${JSON.stringify(formField(body, 'redirect_uri') ?? null)}; a code from Google's popup is exchanged with redirect_uri 'postmessage'`,
      );
      return sendRecorded(ctx, recorded(fake, 'token-redirect-uri-mismatch'));
    }
    // unref'd: a held request must not keep a test process alive after the fake closes.
    if (scenario.delayMs.token) await sleep(scenario.delayMs.token, undefined, { ref: false });
    const template = scenario.responses.token;
    if (template.status !== 200) return sendRecorded(ctx, template);

    const value = `ya29.fixture-${scenario.name}-${randomBytes(24).toString('base64url')}`;
    const issued = { scenario, issuedAt: Date.now() };
    fake.issued.set(value, issued);
    const vars = scenarioVars(fake, scenario, originOf(ctx), { value, issued });
    vars.id_token = await mintIdToken({ scenario, clientId: fake.client.clientId, picture: vars.picture ?? '', keys: fake.keys });
    sendRecorded(ctx, template, vars);
  });
}
