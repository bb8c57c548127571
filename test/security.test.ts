// What the suites cannot see from a step's own checks: live mode's Content-Security-Policy,
// the error handler's conventions, and a battery of malformed requests against the last
// step, none of which may get a 500 or a stack trace.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import Koa from 'koa';
import { gaxios } from 'google-auth-library';
import { Agent, cspOf, importApp, openLoginPage, serving, startKit, type Reply, type RunningKit } from '#checker';
import { liveConfig, readSettings } from '#shared/config.ts';
import { handleErrors } from '#shared/errors.ts';
import { listSteps, ROOT } from '#kit/manifest.ts';

const last = listSteps().at(-1)!;

describe('live mode', () => {
  it("the CSP lets in Google's sign-in folder and its picture host, and nothing inline", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gconnect-')), 'client_secret.json');
    writeFileSync(file, JSON.stringify({ web: { client_id: 'live-id.apps.googleusercontent.com', client_secret: 'live-secret' } }));
    const settings = readSettings({ live: true }, { GOOGLE_CLIENT_SECRET_FILE: file, SESSION_KEYS: 'k' });
    const app = (await importApp(last.dir))(liveConfig({ ...settings, clientSecretFile: settings.clientSecretFile! }));
    await serving(app, async (base) => {
      const login = await new Agent(base).get('/login');
      assert.ok(login.body.includes('<script src="https://accounts.google.com/gsi/client"'), "the page loads Google's script");
      const csp = cspOf(login);
      assert.deepEqual(
        {
          script: csp['script-src'],
          style: csp['style-src'],
          connect: csp['connect-src'],
          frame: csp['frame-src'],
          img: csp['img-src'],
          ancestors: csp['frame-ancestors'],
        },
        {
          script: ["'self'", 'https://accounts.google.com/gsi/'],
          style: ["'self'", 'https://accounts.google.com/gsi/'],
          connect: ["'self'", 'https://accounts.google.com/gsi/'],
          frame: ['https://accounts.google.com/gsi/'],
          img: ["'self'", 'https://*.googleusercontent.com'],
          ancestors: ["'none'"],
        },
      );
      assert.equal(login.headers.get('strict-transport-security'), null, 'no HSTS on plain http');
    });
  });
});

describe('the error handler', () => {
  it('answers an unexpected error with a bare 500, emits it on the app, and logs it with tokens redacted', async () => {
    const app = new Koa();
    const logged: string[] = [];
    const emitted: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.join(' '));
    try {
      app.use(handleErrors(app));
      app.on('error', (err) => emitted.push(err));
      app.use(() => {
        throw new Error('Google said no to ya29.a0-secret-token-value and eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl');
      });
      const reply = await serving(app, (base) => new Agent(base).get('/somewhere'));
      assert.deepEqual(
        { status: reply.status, type: reply.type, body: reply.body },
        { status: 500, type: 'application/json', body: '"Internal server error."' },
      );
      assert.equal(emitted.length, 1, "emitted on the app, as Koa's own handler does");
      assert.deepEqual(logged, ['[gconnect] GET /somewhere failed: Google said no to [redacted] and [redacted]']);
    } finally {
      console.error = original;
    }
  });

  it("an uncaught refusal of Google's is the server's fault: 502, never the client's 400, logged once with its cause, no token", async () => {
    // A stand-in for Google's token endpoint that refuses, as Google does a bad code.
    const google = new Koa();
    google.use((ctx) => {
      ctx.status = 400;
      ctx.body = { error: 'invalid_grant', error_description: 'Bad Request' };
    });
    const app = new Koa();
    const logged: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.join(' '));
    try {
      app.use(handleErrors(app));
      const reply = await serving(google, async (googleBase) => {
        // A stage that calls Google and catches nothing, with a token in the request.
        app.use(async () => {
          await gaxios.request({ url: `${googleBase}/token?access_token=ya29.a0-secret-token-value`, method: 'POST' });
        });
        return serving(app, (base) => new Agent(base).get('/gconnect'));
      });
      assert.deepEqual(
        { status: reply.status, type: reply.type, body: reply.body },
        { status: 502, type: 'application/json', body: JSON.stringify("Google refused the server's request.") },
      );
      assert.equal(logged.length, 1, logged.join('\n'));
      assert.match(
        logged[0]!,
        /^\[gconnect\] GET \/gconnect failed: a call to Google that no stage caught: Google answered 400 \(invalid_grant\)/,
      );
      assert.doesNotMatch(logged[0]!, /ya29\.a0-secret/);
    } finally {
      console.error = original;
    }
  });
});

describe(`malformed requests to ${last.name}: never a 500, never a stack trace`, () => {
  let kit: RunningKit;
  before(async () => {
    kit = await startKit(last.dir);
  });
  after(() => kit.close());

  /** A POST /gconnect from a browser that opened /login, with this body and these headers. */
  async function post(headers: Record<string, string>, body: string | Buffer): Promise<Reply> {
    const agent = kit.agent();
    const { state } = await openLoginPage(agent);
    return agent.request(`/gconnect?state=${state}`, {
      method: 'POST',
      headers: { 'x-requested-with': 'XMLHttpRequest', 'content-type': 'application/octet-stream', ...headers },
      body,
    });
  }

  const cases: [string, () => Promise<Reply>, number?][] = [
    ['an unknown Content-Encoding', () => post({ 'content-encoding': 'x-probe' }, '4/fixture-alice')],
    ['a corrupt gzip body', () => post({ 'content-encoding': 'gzip' }, 'not gzip')],
    ['a corrupt deflate body', () => post({ 'content-encoding': 'deflate' }, 'not deflate')],
    ['a gzip body that is fine', () => post({ 'content-encoding': 'gzip' }, gzipSync('4/fixture-alice'))],
    ['a body of 1 MB', () => post({}, 'x'.repeat(1024 * 1024))],
    ['a body of the wrong type, broken JSON', () => post({ 'content-type': 'application/json' }, '{"code":')],
    ['a charset nobody knows', () => post({ 'content-type': 'application/octet-stream; charset=x-nothing' }, '4/fixture-alice')],
    [
      'a tampered session cookie',
      () => new Agent(kit.base).request('/', { headers: { cookie: 'gconnect.sid=not-a-session; gconnect.sid.sig=forged' } }),
    ],
    [
      'a tampered state cookie',
      () =>
        new Agent(kit.base).request('/gconnect?state=abc', {
          method: 'POST',
          headers: { 'x-requested-with': 'XMLHttpRequest', cookie: 'gconnect.state=abc; gconnect.state.sig=forged' },
          body: 'x',
        }),
    ],
    [
      'a state that is not text',
      () =>
        new Agent(kit.base).request('/gconnect?state[a]=1&state=%E0%A4%A', {
          method: 'POST',
          headers: { 'x-requested-with': 'XMLHttpRequest' },
          body: 'x',
        }),
    ],
    ['a path out of the public folder: 404, no file of the kit', () => new Agent(kit.base).get('/..%2f..%2fpackage.json'), 404],
    ['a path out of the public folder, as plain dots', () => new Agent(kit.base).get('/../../package.json'), 404],
    ['a path with a broken escape', () => new Agent(kit.base).get('/%E0%A4%A')],
    ['an unknown method', () => new Agent(kit.base).request('/gconnect', { method: 'PROPFIND' })],
  ];

  it('a state cookie past its ten minutes is refused by the server itself, not only dropped by the browser', async () => {
    const { state } = await openLoginPage(kit.agent());
    // The cookie as our server would sign it (koa's cookies: keygrip, HMAC-SHA1, base64url),
    // good until a moment given here: a replay with a cookie a browser should have dropped.
    const send = (goodUntil: number) => {
      const value = `${state}.${goodUntil}`;
      const sig = createHmac('sha1', kit.config.sessionKeys[0]!).update(`gconnect.state=${value}`).digest('base64url');
      return new Agent(kit.base).request(`/gconnect?state=${state}`, {
        method: 'POST',
        headers: {
          'x-requested-with': 'XMLHttpRequest',
          'content-type': 'application/octet-stream',
          cookie: `gconnect.state=${value}; gconnect.state.sig=${sig}`,
        },
        body: '4/fixture-alice',
      });
    };
    const stale = await send(Date.now() - 1);
    assert.equal(`${stale.status} ${stale.body}`, '401 "Invalid state parameter."');
    // The same cookie, still good, passes: the signature above is the server's own.
    const good = await send(Date.now() + 60_000);
    assert.equal(good.status, 200, good.body);
  });

  for (const [what, send, expected] of cases) {
    it(what, async () => {
      const reply = await send();
      // (501 is the answer to a method no route knows, as Koa gives it: not a failure.)
      assert.ok(reply.status < 500 || reply.status === 501, `${what}: ${reply.status} ${reply.body.slice(0, 200)}`);
      if (expected) assert.equal(reply.status, expected, `${what}: ${reply.body.slice(0, 200)}`);
      assert.doesNotMatch(reply.body, /\bat .*\.(ts|js):\d+|node_modules|"devDependencies"/, 'no stack trace, no file of the kit');
      assert.ok(!reply.body.includes(ROOT), `no path of the kit's: ${reply.body.slice(0, 200)}`);
    });
  }
});
