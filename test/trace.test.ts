// Every sign-in is traced, stage by stage, without the stages knowing: the answer's
// Server-Timing header, the report `npm run step` prints, and no token in either.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Agent, importApp, serveApp, serving, signIn, testConfig, type Reply, type Served } from '#checker';
import { startFakeGoogle, type RunningFakeGoogle } from '#fake-google/index.ts';
import { listSteps } from '#kit/manifest.ts';
import Koa from 'koa';
import { handleErrors, StoreUnavailable } from '#shared/errors.ts';
import { parseServerTiming } from '#shared/server-timing.ts';
import { describeTrace, serverTiming, traced, type Trace } from '#shared/trace.ts';

const last = listSteps().at(-1)!;

describe(`the sign-in's trace (${last.name})`, () => {
  let fake: RunningFakeGoogle;
  let served: Served;
  let base: string;
  const traces: Trace[] = [];
  before(async () => {
    fake = await startFakeGoogle();
    const createApp = await importApp(last.dir);
    served = await serveApp(createApp(testConfig(fake.origin), { onTrace: (trace) => traces.push(trace) }));
    base = served.base;
  });
  after(async () => {
    await served.close();
    await fake.close();
  });

  /** The Server-Timing entries: name, and desc. */
  const timing = (reply: Reply) => parseServerTiming(reply.headers.get('server-timing') ?? '').map(({ name, desc }) => [name, desc ?? '']);

  it('a good sign-in: each stage handed on, the welcome answered, each call to Google timed', async () => {
    const reply = await signIn(new Agent(base), '4/fixture-alice');
    assert.equal(reply.status, 200);
    assert.deepEqual(
      timing(reply).filter(([name]) => !name!.startsWith('google-') && name !== 'total'),
      [
        ['require-xhr', 'next'],
        ['check-state', 'next'],
        ['exchange-code', 'next'],
        ['validate-tokens', 'next'],
        ['match-user', 'next'],
        ['fetch-profile', 'next'],
        ['remember-user', 'next'],
        ['store-session', 'next'],
        ['welcome', 'answered 200 text/html'],
      ],
    );
    const google = timing(reply).filter(([name]) => name!.startsWith('google-'));
    assert.deepEqual(
      google.filter(([name]) => name !== 'google-certs'),
      [
        ['google-token', 'exchange-code: 200'],
        ['google-tokeninfo', 'validate-tokens: 200'],
        ['google-userinfo', 'fetch-profile: 200'],
      ],
    );
    const trace = traces.at(-1)!;
    assert.equal(trace.status, 200);
    assert.match(describeTrace(trace), /^POST \/gconnect 200 in [\d.]+ ms\n {2}✔ require-xhr +[\d.]+ ms\n/);
    assert.match(describeTrace(trace), /\n {2}✔ exchange-code +[\d.]+ ms {2}\(Google token [\d.]+ ms\)\n/);
    assert.match(describeTrace(trace), /\n {2}✔ welcome +[\d.]+ ms {2}200 text\/html$/);
  });

  it('a failing sign-in: the stage that answered, its status and message; nothing after it; no token anywhere', async () => {
    const reply = await signIn(new Agent(base), '4/fixture-other-client');
    assert.equal(reply.status, 401);
    const stages = timing(reply).filter(([name]) => !name!.startsWith('google-') && name !== 'total');
    assert.deepEqual(stages.at(-1), ['match-user', "answered 401 Token's client ID does not match app's."]);
    const trace = traces.at(-1)!;
    assert.match(describeTrace(trace), /\n {2}✘ match-user +[\d.]+ ms {2}401 "Token's client ID does not match app's\."$/);
    const everything = `${reply.headers.get('server-timing')} ${JSON.stringify(traces)}`;
    assert.doesNotMatch(everything, /ya29\.|eyJ|fixture-client-secret/, 'no token or secret in a trace');
  });

  it('a stage that throws: the answer says only "threw" (an exception can name files), the terminal says what, with the status the error handler gave', async () => {
    const app = new Koa();
    app.use(handleErrors(app));
    app.removeAllListeners('error'); // the handler's logger: this test looks at the error itself
    const emitted: unknown[] = [];
    app.on('error', (err: unknown) => emitted.push(err));
    const seen: Trace[] = [];
    const boom = new Error('ENOENT: no such file /kit/steps/07/views/welcome.pug');
    for (const stage of traced(
      {
        requireXhr: async (_ctx, next) => next(),
        welcome: async () => {
          throw boom;
        },
      },
      (trace) => seen.push(trace),
    ))
      app.use(stage);
    await serving(app, async (origin) => {
      const reply = await new Agent(origin).request('/gconnect', { method: 'POST' });
      assert.equal(reply.status, 500);
      assert.equal(reply.body, '"Internal server error."');
      assert.deepEqual(
        timing(reply).filter(([name]) => name !== 'total'),
        [
          ['require-xhr', 'next'],
          ['welcome', 'threw'],
        ],
      );
      assert.doesNotMatch(reply.headers.get('server-timing') ?? '', /ENOENT|welcome\.pug/);
      assert.deepEqual(emitted, [boom]);
      assert.match(
        describeTrace(seen[0]!),
        /^POST \/gconnect 500 in [\d.]+ ms\n.*\n {2}✘ welcome +[\d.]+ ms {2}threw "ENOENT: no such file \/kit\/steps\/07\/views\/welcome\.pug"$/,
      );
    });
  });

  it('the status actually sent: a store failing in a stage, or after the chain (the session saved), is 503 in the trace too', async () => {
    const app = new Koa();
    app.use(handleErrors(app));
    app.removeAllListeners('error');
    // As koa-session saves the session after the route: its store fails then, on /after.
    app.use(async (ctx, next) => {
      await next();
      if (ctx.path === '/after') throw new StoreUnavailable('the session store is unavailable: NOPERM');
    });
    const seen: Trace[] = [];
    for (const stage of traced(
      {
        requireXhr: async (_ctx, next) => next(),
        checkState: async (ctx) => {
          if (ctx.path === '/during') throw new StoreUnavailable('the session store is unavailable: ECONNREFUSED');
          ctx.body = 'Welcome';
        },
      },
      (trace) => seen.push(trace),
    ))
      app.use(stage);
    await serving(app, async (origin) => {
      for (const path of ['/during', '/after']) {
        const reply = await new Agent(origin).request(path, { method: 'POST' });
        assert.deepEqual([reply.status, reply.body], [503, JSON.stringify('The session store is unavailable.')]);
        assert.equal(seen.at(-1)?.route, `POST ${path}`, 'reported before the answer reached the browser');
        assert.equal(seen.at(-1)?.status, 503, path);
        assert.match(describeTrace(seen.at(-1)!), new RegExp(`^POST ${path} 503 in [\\d.]+ ms\\n`));
      }
    });
    assert.equal(seen.length, 2, 'each request reported once');
  });

  it('a stage that neither answers nor hands on is named as where the chain stopped', () => {
    const trace: Trace = {
      route: 'POST /gconnect',
      status: 404,
      ms: 3,
      google: [],
      stages: [
        { name: 'require-xhr', ms: 0.1, outcome: 'next' },
        { name: 'check-state', ms: 0.2, outcome: 'stopped' },
      ],
    };
    assert.match(describeTrace(trace), /\n {2}✘ check-state +0\.2 ms {2}neither answered nor called next\(\): the chain stops here$/);
  });
});

describe('the Server-Timing header: written by the trace, read by the checker and npm run bench', () => {
  const trace: Trace = {
    route: 'POST /gconnect',
    status: 401,
    ms: 12.345,
    stages: [
      { name: 'require-xhr', ms: 0, outcome: 'next' },
      { name: 'match-user', ms: 1.004, outcome: 'answered', status: 401, type: 'application/json', message: 'Say "no", then; stop \\ é' },
      { name: 'welcome', ms: 2, outcome: 'threw', message: 'ENOENT' },
    ],
    google: [{ name: 'tokeninfo', stage: 'validate-tokens', ms: 3.1, status: null }],
  };

  it('writes the header as it always has (the devtools and the tutorial show it)', () => {
    assert.equal(
      serverTiming(trace),
      'require-xhr;dur=0.00;desc="next", match-user;dur=1.00;desc="answered 401 Say \\"no\\", then; stop \\\\ ?", welcome;dur=2.00;desc="threw", google-tokeninfo;dur=3.10;desc="validate-tokens: no answer", total;dur=12.35',
    );
  });

  it('reads back what it wrote: names, durations to 0.01 ms, descs with their quotes, commas and semicolons', () => {
    assert.deepEqual(parseServerTiming(serverTiming(trace)), [
      { name: 'require-xhr', dur: 0, desc: 'next' },
      { name: 'match-user', dur: 1, desc: 'answered 401 Say "no", then; stop \\ ?' },
      { name: 'welcome', dur: 2, desc: 'threw' },
      { name: 'google-tokeninfo', dur: 3.1, desc: 'validate-tokens: no answer' },
      { name: 'total', dur: 12.35 },
    ]);
  });

  it('reads what other servers write: spaces, token descs, no dur, a bad dur, repeats, unknown and bare params, junk', () => {
    assert.deepEqual(parseServerTiming('cache ; desc = "Cache Read" ; dur = 23.2,db;dur=53, miss'), [
      { name: 'cache', dur: 23.2, desc: 'Cache Read' },
      { name: 'db', dur: 53 },
      { name: 'miss' },
    ]);
    assert.deepEqual(parseServerTiming('a;desc=hit;dur=x, b;DUR=1;dur=2;desc="first";desc="second", c;gpu=7;flag;dur=4'), [
      { name: 'a', desc: 'hit' },
      { name: 'b', dur: 1, desc: 'first' },
      { name: 'c', dur: 4 },
    ]);
    // A metric that cannot be read past some point keeps what was read; the next comma outside
    // quotes starts the next one, and an unmatched quote does not swallow the rest.
    assert.deepEqual(parseServerTiming('x;dur=1 junk;desc="a, b", , ;dur=3, "q", y;desc="open, z;dur=5'), [
      { name: 'x', dur: 1 },
      { name: 'y' },
      { name: 'z', dur: 5 },
    ]);
    assert.deepEqual(parseServerTiming(''), []);
  });
});
