// The offline fake Google answers as its fixtures say, and google-auth-library, pointed at
// it through `endpoints` only, accepts exactly the ID tokens it should.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { FIXTURE_CLIENT } from '#shared/config.ts';
import { GRANTED_SCOPE } from '#fake-google/context.ts';
import { loadFixtures, type Scenario } from '#fake-google/fixtures.ts';
import { startFakeGoogle, type RunningFakeGoogle } from '#fake-google/index.ts';
import { createGoogleClient } from '#shared/google-client.ts';
import { testConfig } from '#checker';

let fake: RunningFakeGoogle;
before(async () => {
  fake = await startFakeGoogle();
});
after(() => fake.close());

// Calls that should be answered wait as long as the harness's servers do (the kit's 2.5 s is
// a product setting, not a test budget).
const config = () => testConfig(fake.origin);

function exchange(code: string, fields: Record<string, string> = {}, signal?: AbortSignal) {
  return fetch(config().google.endpoints.oauth2TokenUrl!, {
    method: 'POST',
    signal,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      client_id: FIXTURE_CLIENT.clientId,
      client_secret: FIXTURE_CLIENT.clientSecret,
      redirect_uri: 'postmessage',
      ...fields,
    }),
  });
}

function tokeninfo(accessToken: string) {
  return fetch(config().google.endpoints.tokenInfoUrl!, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } });
}

/** Whether google-auth-library should accept the scenario's ID token. */
function idTokenShouldPass(scenario: Scenario): boolean {
  // google-auth-library's verifyIdToken takes accounts.google.com, with or without https://, as Google's issuer.
  const issuer = scenario.override.idToken?.iss ?? 'https://accounts.google.com';
  return (
    scenario.idTokenKey === 'test' &&
    scenario.idTokenIssuedSecondsAgo < 3600 &&
    !scenario.override.idToken?.aud &&
    ['accounts.google.com', 'https://accounts.google.com'].includes(String(issuer))
  );
}

describe('fake Google: every scenario answers as its fixture says', () => {
  // Scenarios are read from fixtures/ at load time, so that a new scenario file is tested too.
  for (const scenario of loadFixtures().scenarios.values()) {
    it(`${scenario.code}: ${scenario.says}`, { timeout: 15_000 }, async () => {
      if (scenario.delayMs.token) {
        // Held on purpose (step 2's tests show the server gives up): no answer in 500 ms.
        await assert.rejects(exchange(scenario.code, {}, AbortSignal.timeout(500)), { name: 'TimeoutError' });
        return;
      }
      const reply = await exchange(scenario.code);
      const template = scenario.responses.token;
      assert.equal(reply.status, template.status);
      for (const [name, value] of Object.entries(template.headers)) assert.equal(reply.headers.get(name), value);
      const body = (await reply.json()) as Record<string, unknown>;
      if (reply.status !== 200) {
        assert.deepEqual(body, template.body);
        return;
      }
      assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'id_token', 'scope', 'token_type']);
      assert.equal(body.token_type, 'Bearer');
      const accessToken = String(body.access_token);

      const info = await tokeninfo(accessToken);
      assert.equal(info.status, scenario.responses.tokeninfo.status);
      const infoBody = (await info.json()) as Record<string, unknown>;
      if (info.status === 200) {
        // Google sends tokeninfo's numbers and booleans as strings, and always a scope.
        for (const [key, value] of Object.entries(infoBody)) assert.equal(typeof value, 'string', `tokeninfo.${key}`);
        assert.equal(infoBody.scope, GRANTED_SCOPE);
        assert.equal(infoBody.sub, scenario.override.tokeninfo?.sub ?? scenario.user.sub);
        assert.equal(infoBody.aud, scenario.override.tokeninfo?.aud ?? FIXTURE_CLIENT.clientId);
        assert.ok(
          Number(infoBody.expires_in) > 3500 && Number(infoBody.exp) > Date.now() / 1000,
          `a live token: ${JSON.stringify(infoBody)}`,
        );
      } else {
        assert.deepEqual(infoBody, scenario.responses.tokeninfo.body);
      }

      const profile = await fetch(config().google.userinfoUrl, { headers: { authorization: `Bearer ${accessToken}` } });
      assert.equal(profile.status, scenario.responses.userinfo.status);
      if (profile.status === 200) {
        const user = (await profile.json()) as Record<string, unknown>;
        assert.deepEqual(
          { sub: user.sub, name: user.name, email: user.email, email_verified: user.email_verified },
          { sub: scenario.user.sub, name: scenario.user.name, email: scenario.user.email, email_verified: scenario.user.email_verified },
        );
        assert.equal(user.picture, scenario.user.picture.replace('{{google}}', fake.origin));
      }

      const client = createGoogleClient(config());
      const verifying = client.verifyIdToken({ idToken: String(body.id_token), audience: FIXTURE_CLIENT.clientId });
      if (idTokenShouldPass(scenario)) {
        const claims = (await verifying).getPayload();
        assert.equal(claims?.iss, 'https://accounts.google.com');
        assert.equal(claims?.aud, FIXTURE_CLIENT.clientId);
        assert.equal(claims?.azp, FIXTURE_CLIENT.clientId);
        assert.equal(claims?.sub, scenario.user.sub);
        assert.equal(claims?.email, scenario.user.email);
        assert.equal(claims?.email_verified, scenario.user.email_verified);
        assert.equal(claims?.name, scenario.user.name);
        assert.equal(claims?.exp, (claims?.iat ?? 0) + 3600);
      } else {
        await assert.rejects(verifying);
      }
    });
  }
});

describe('fake Google: the protocol around the scenarios', () => {
  it('serves its key as Google does: PEM certificates (v1) and a JWK set (v3) that verify its ID tokens', async () => {
    const pem = (await (await fetch(config().google.endpoints.oauth2FederatedSignonPemCertsUrl!)).json()) as Record<string, string>;
    const [kid, cert] = Object.entries(pem)[0] ?? [];
    assert.match(String(kid), /^[0-9a-f]{40}$/);
    assert.match(String(cert), /^-----BEGIN CERTIFICATE-----/);
    const body = (await (await exchange('4/fixture-bob')).json()) as { id_token: string };
    const jwks = createRemoteJWKSet(new URL(String(config().google.endpoints.oauth2FederatedSignonJwkCertsUrl)));
    const { payload, protectedHeader } = await jwtVerify(body.id_token, jwks, {
      issuer: 'https://accounts.google.com',
      audience: FIXTURE_CLIENT.clientId,
    });
    assert.equal(protectedHeader.kid, kid);
    assert.equal(payload.email, 'bob@example.com');
  });

  it('each exchange mints a new access token and ID token', async () => {
    const first = (await (await exchange('4/fixture-alice')).json()) as Record<string, string>;
    const second = (await (await exchange('4/fixture-alice')).json()) as Record<string, string>;
    assert.notEqual(first.access_token, second.access_token);
    assert.match(String(first.access_token), /^ya29\./);
  });

  it('a wrong client secret: 401 invalid_client', async () => {
    const reply = await exchange('4/fixture-alice', { client_secret: 'guess' });
    assert.equal(reply.status, 401);
    assert.equal(((await reply.json()) as { error: string }).error, 'invalid_client');
  });

  it('a redirect_uri other than postmessage: 400 redirect_uri_mismatch', async () => {
    const reply = await exchange('4/fixture-alice', { redirect_uri: 'http://localhost:5000/gconnect' });
    assert.equal(reply.status, 400);
    assert.equal(((await reply.json()) as { error: string }).error, 'redirect_uri_mismatch');
  });

  it('an unknown code: 400 invalid_grant', async () => {
    const reply = await exchange('4/unknown');
    assert.equal(reply.status, 400);
    assert.equal(((await reply.json()) as { error: string }).error, 'invalid_grant');
  });

  it('tokeninfo and userinfo reject a token they never issued', async () => {
    assert.equal((await tokeninfo('ya29.made-up')).status, 400);
    const profile = await fetch(config().google.userinfoUrl, { headers: { authorization: 'Bearer ya29.made-up' } });
    assert.equal(profile.status, 401);
  });

  it('a revoked token is rejected afterwards; revoking it twice answers 400', async () => {
    const { access_token: token } = (await (await exchange('4/fixture-alice')).json()) as { access_token: string };
    assert.equal((await tokeninfo(token)).status, 200);
    const revoke = () => fetch(`${config().google.endpoints.oauth2RevokeUrl}?token=${encodeURIComponent(token)}`, { method: 'POST' });
    assert.equal((await revoke()).status, 200);
    assert.equal((await tokeninfo(token)).status, 400);
    assert.equal((await revoke()).status, 400);
  });

  it('a call to Google whose time ran out before it began fails cleanly, leaving nothing uncaught behind', async () => {
    // gaxios's default node-fetch destroyed the unsent request body with an AbortError nobody
    // listened to; thrown from the next tick queue, it could end a server or kill an unrelated
    // request's HTTP parser mid-body. The kit's client uses Node's own fetch instead.
    const stray: unknown[] = [];
    const record = (err: unknown) => stray.push(err);
    process.on('uncaughtException', record);
    try {
      const client = createGoogleClient({ ...config(), googleTimeoutMs: 1 });
      for (let i = 0; i < 5; i++) {
        const call = client.getToken({ code: '4/fixture-alice', redirect_uri: 'postmessage' });
        const busyUntil = performance.now() + 10;
        while (performance.now() < busyUntil); // a busy event loop: the 1 ms runs out before the call starts
        await assert.rejects(call);
      }
      await new Promise((done) => setTimeout(done, 50));
      assert.deepEqual(stray, []);
    } finally {
      process.off('uncaughtException', record);
    }
  });

  it("google-auth-library's getTokenInfo reads the fake's answer (scope present, Bearer POST)", async () => {
    const client = createGoogleClient(config());
    const { tokens } = await client.getToken({ code: '4/fixture-alice', redirect_uri: 'postmessage' });
    const info = await client.getTokenInfo(String(tokens.access_token));
    assert.deepEqual(info.scopes, GRANTED_SCOPE.split(' '));
    assert.equal(info.sub, '108250930531234567801');
  });

  it("serves the fixture users' avatars as SVG", async () => {
    const reply = await fetch(`${fake.origin}/avatars/alice.svg`);
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('content-type'), 'image/svg+xml');
    assert.equal((await fetch(`${fake.origin}/avatars/..%2Fusers.json`)).status, 404);
  });
});

describe('fake Google: the offline sign-in window', () => {
  const consent = (query: Record<string, string>) => fetch(`${fake.origin}/o/oauth2/v2/auth?${new URLSearchParams(query)}`);
  const good = { client_id: FIXTURE_CLIENT.clientId, origin: 'http://localhost:5000', nonce: 'n1', scope: 'openid email profile' };

  it("/gsi/client serves the stand-in script, which knows the fake's origin", async () => {
    const reply = await fetch(`${fake.origin}/gsi/client`);
    assert.equal(reply.headers.get('content-type'), 'application/javascript; charset=utf-8');
    const script = await reply.text();
    assert.ok(script.startsWith(`var FAKE_GOOGLE_ORIGIN = "${fake.origin}";\n`), script.slice(0, 80));
    assert.match(script, /initCodeClient/);
  });

  it('the consent page says it is the stand-in and lists every scenario, escaped', async () => {
    const reply = await consent(good);
    assert.equal(reply.status, 200);
    const page = await reply.text();
    assert.match(page, /Offline stand-in for Google's sign-in window\./);
    for (const scenario of loadFixtures().scenarios.values()) assert.ok(page.includes(`data-code="${scenario.code}"`), scenario.code);
    assert.ok(page.includes('&lt;script&gt;alert(1)&lt;/script&gt;') && !page.includes('<script>alert(1)'), "Mallory's name escaped");
  });

  it('refuses an unknown client id (invalid_client) and an opener that is not an http(s) origin', async () => {
    const wrongClient = await consent({ ...good, client_id: 'someone-else' });
    assert.equal(wrongClient.status, 400);
    assert.match(await wrongClient.text(), /Error 400: invalid_client/);
    const wrongOrigin = await consent({ ...good, origin: 'javascript:alert(1)' });
    assert.equal(wrongOrigin.status, 400);
    assert.match(await wrongOrigin.text(), /Error 400: origin_mismatch/);
  });
});
