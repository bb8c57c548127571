// The last step as deployed: several real server processes sharing one Redis (sessions, spent
// states) and one PostgreSQL (users), one fake Google, as a round-robin proxy would use them.
// Each run has a PostgreSQL database of its own (created, then dropped) and a Redis key prefix
// of its own (its keys deleted after). The outage test runs its own redis-server on a free
// port, never the machine's shared one: test files run in parallel. Without Redis or
// PostgreSQL the tests are skipped with the reason, except under CI=true.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { Agent, openLoginPage, postGconnect, tempDataDir, type Reply } from '#checker';
import { createFakeGoogleApp } from '#fake-google/index.ts';
import { listSteps, ROOT } from '#kit/manifest.ts';
import { redisMissing } from '#shared/stores.ts';
import { admin, PG, pgMissing, pgUrl } from './postgres.ts';
import { signInInFlight } from './in-flight.ts';

const last = listSteps().at(-1)!;
const REDIS = 'redis://127.0.0.1:6379';

/** Why the shared services cannot be used here, or null when they can. */
async function servicesMissing(): Promise<string | null> {
  const postgres = await pgMissing();
  if (postgres) return postgres;
  const redis = await redisMissing(REDIS);
  if (redis) return redis;
  const server = spawn('redis-server', ['--version'], { stdio: 'ignore' });
  const [code] = (await Promise.race([once(server, 'exit'), once(server, 'error').then(() => [127])])) as [number | null];
  if (code !== 0) return 'redis-server is not installed (the outage test runs one of its own)';
  return null;
}

const missing = await servicesMissing();
if (missing && process.env.CI === 'true') throw new Error(`${missing}: under CI the multi-instance tests must run`);
if (missing) console.log(`skipping the multi-instance tests: ${missing}`);

/** A free TCP port on 127.0.0.1 (free a moment ago). */
async function freePort(): Promise<number> {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((done) => probe.close(done));
  return port;
}

/** A redis-server of the test's own on a free port, nothing kept on disk; resolves once it answers. */
async function startPrivateRedis(port: number): Promise<ChildProcess> {
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  for (let tries = 0; ; tries++) {
    const missing = await redisMissing(`redis://127.0.0.1:${port}`);
    if (!missing) return server;
    if (tries > 100) throw new Error(missing);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

interface Instance {
  child: ChildProcess;
  base: string;
  /** Everything it printed so far, stdout and stderr. */
  out(): string;
  exited: Promise<number | null>;
  /** Resolves once it has printed a line matching `pattern`. */
  printed(pattern: RegExp): Promise<void>;
}

/** One server process of the last step; resolves once it listens. */
async function startInstance(env: Record<string, string>): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', './kit/typescript.mjs', `${last.dir}/server.ts`, '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', SIGN_IN_TRACES: '0', SESSION_KEYS: 'multi-instance-test-key', NODE_ENV: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiting = new Set<{ pattern: RegExp; done: () => void }>();
  const heard = (chunk: Buffer) => {
    output += chunk;
    for (const wait of waiting) if (wait.pattern.test(output)) wait.done();
  };
  child.stdout!.on('data', heard);
  child.stderr!.on('data', heard);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const printed = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      if (pattern.test(output)) return resolve();
      const wait = {
        pattern,
        done: () => {
          waiting.delete(wait);
          resolve();
        },
      };
      waiting.add(wait);
      void exited.then(() => {
        if (waiting.delete(wait)) reject(new Error(`exited before printing ${pattern}: ${output}`));
      });
    });
  await printed(/Listening on http:\/\/localhost:\d+/);
  const port = /Listening on http:\/\/localhost:(\d+)/.exec(output)![1];
  return { child, base: `http://127.0.0.1:${port}`, out: () => output, exited, printed };
}

async function kill(instance: Instance, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
  if (instance.child.exitCode === null && instance.child.signalCode === null) instance.child.kill(signal);
  return instance.exited;
}

/** A browser that has the same cookies as `from` but talks to `base`: the proxy sent it elsewhere. */
function sameBrowserAt(from: Agent, base: string): Agent {
  const agent = new Agent(base);
  for (const [name, value] of from.cookies) agent.cookies.set(name, value);
  return agent;
}

const heading = (reply: Reply) => /<h1>([^<]*)<\/h1>/.exec(reply.body)?.[1] ?? `${reply.status} ${reply.body.slice(0, 80)}`;
/** Who the home page says is signed in, or null. */
async function signedInAs(agent: Agent): Promise<string | null> {
  const reply = await agent.get('/');
  assert.equal(reply.status, 200, reply.body);
  return /Alice Liddell|Bob Builder/.exec(reply.body)?.[0] ?? null;
}
const signOut = (agent: Agent) => agent.request('/gdisconnect', { method: 'POST', headers: { 'x-requested-with': 'XMLHttpRequest' } });

// The two suites run side by side (each one's tests in order): their servers start at once.
describe('to production', { skip: missing ?? false, concurrency: 2 }, () => {
  describe(`several instances of ${last.name} sharing Redis and PostgreSQL`, { concurrency: 1 }, () => {
    const database = `kit_test_${randomBytes(6).toString('hex')}`;
    const prefix = `gconnect-test-${randomBytes(6).toString('hex')}:`;
    let fakeServer: http.Server;
    let fakeOrigin: string;
    /** Resolved when the fake Google gets the slow fixture's token request. */
    let slowTokenAsked: () => void = () => undefined;
    let env: Record<string, string>;
    let a: Instance;
    let b: Instance;
    const agents: Agent[] = [];
    const browser = (base: string) => {
      const agent = new Agent(base);
      agents.push(agent);
      return agent;
    };

    before(async () => {
      await admin(`create database ${database}`);
      // One fake Google for every instance (FAKE_GOOGLE_ORIGIN): its tokens and revocations are shared.
      const { app } = await createFakeGoogleApp();
      // After its body parser, before its routes: told when the slow code's exchange begins.
      app.middleware.splice(1, 0, async (ctx, next) => {
        const body = ctx.request as { body?: { code?: unknown } };
        if (ctx.path === '/token' && body.body?.code === '4/fixture-google-slow') slowTokenAsked();
        await next();
      });
      fakeServer = app.listen(0, '127.0.0.1');
      fakeServer.keepAliveTimeout = 30_000;
      await once(fakeServer, 'listening');
      fakeOrigin = `http://127.0.0.1:${(fakeServer.address() as net.AddressInfo).port}`;
      env = {
        FAKE_GOOGLE_ORIGIN: fakeOrigin,
        REDIS_URL: REDIS,
        REDIS_PREFIX: prefix,
        DATABASE_URL: pgUrl(database),
      };
      [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
    });

    after(async () => {
      for (const agent of agents) agent.close();
      await Promise.all([a, b].filter(Boolean).map((instance) => kill(instance)));
      fakeServer?.closeAllConnections();
      await new Promise((done) => (fakeServer ? fakeServer.close(done) : done(undefined)));
      await admin(`drop database if exists ${database} with (force)`);
      const redis = new Redis(REDIS);
      try {
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    });

    it('the login page from A, the POST /gconnect to B: signed in; the state replayed on A: 401', { timeout: 60_000 }, async () => {
      const onA = browser(a.base);
      const { state } = await openLoginPage(onA);
      const onB = sameBrowserAt(onA, b.base);
      agents.push(onB);
      const signedIn = await postGconnect(onB, { state, code: '4/fixture-alice' });
      assert.equal(signedIn.status, 200, signedIn.body);
      // The same request again, on the other instance: the state is spent everywhere.
      const replay = sameBrowserAt(onA, a.base);
      agents.push(replay);
      const replayed = await postGconnect(replay, { state, code: '4/fixture-alice' });
      assert.equal(replayed.status, 401, replayed.body);
      assert.equal(replayed.body, JSON.stringify('Invalid state parameter.'));
    });

    it('ten parallel POST /gconnect with one state, five to each instance: exactly one passes', { timeout: 60_000 }, async () => {
      const first = browser(a.base);
      const { state } = await openLoginPage(first);
      const replies = await Promise.all(
        Array.from({ length: 10 }, (_, i) => {
          const agent = sameBrowserAt(first, i % 2 ? b.base : a.base);
          agents.push(agent);
          return postGconnect(agent, { state, code: '4/fixture-alice' });
        }),
      );
      const statuses = replies.map((reply) => reply.status);
      assert.equal(statuses.filter((status) => status === 200).length, 1, JSON.stringify(statuses));
      assert.equal(statuses.filter((status) => status === 401).length, 9, JSON.stringify(statuses));
    });

    it('signed in on A: signed in on B; signed out on A: signed out on B', { timeout: 60_000 }, async () => {
      const onA = browser(a.base);
      const { state } = await openLoginPage(onA);
      assert.equal((await postGconnect(onA, { state, code: '4/fixture-alice' })).status, 200);
      const onB = sameBrowserAt(onA, b.base);
      agents.push(onB);
      assert.equal(await signedInAs(onB), 'Alice Liddell');
      const out = await signOut(onA);
      assert.equal(out.status, 200, out.body);
      // B is sent the cookie A's sign-out cleared, as a browser that kept it would send it.
      assert.equal(await signedInAs(onB), null);
    });

    it('two first sign-ins of a new user at once, one on A and one on B: one users row', { timeout: 60_000 }, async () => {
      const replies = await Promise.all(
        [a.base, b.base].map(async (base) => {
          const agent = browser(base);
          const { state } = await openLoginPage(agent);
          return postGconnect(agent, { state, code: '4/fixture-bob' });
        }),
      );
      assert.deepEqual(replies.map(heading).sort(), ['Welcome back, Bob Builder!', 'Welcome, Bob Builder!']);
      const { default: pg } = await import('pg');
      const client = new pg.Client({ ...PG, database });
      await client.connect();
      try {
        const { rows } = await client.query('select count(*)::int as n from users where email = $1', ['bob@example.com']);
        assert.equal(rows[0].n, 1);
      } finally {
        await client.end();
      }
    });

    it('A killed (SIGKILL) mid-traffic: B serves, nobody signed out; both restarted: still signed in', { timeout: 90_000 }, async () => {
      const alice = browser(a.base);
      const { state } = await openLoginPage(alice);
      assert.equal((await postGconnect(alice, { state, code: '4/fixture-alice' })).status, 200);
      // Traffic on both; A dies under it. Requests on A may fail; every one on B is answered, signed in.
      const onB = sameBrowserAt(alice, b.base);
      agents.push(onB);
      const traffic = Array.from({ length: 20 }, async (_, i) => {
        if (i === 5) await kill(a);
        return i % 2 ? signedInAs(onB) : signedInAs(sameBrowserAt(alice, a.base)).catch(() => 'A gone');
      });
      const seen = await Promise.all(traffic);
      assert.deepEqual(
        seen.filter((_, i) => i % 2),
        Array(10).fill('Alice Liddell'),
      );
      await kill(b, 'SIGTERM');
      [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
      for (const base of [a.base, b.base]) {
        const again = sameBrowserAt(alice, base);
        agents.push(again);
        assert.equal(await signedInAs(again), 'Alice Liddell', `after the restart, on ${base}`);
      }
    });

    it('SIGTERM during a slow sign-in: the sign-in is answered, then the server exits 0', { timeout: 60_000 }, async () => {
      const agent = browser(a.base);
      const { state } = await openLoginPage(agent);
      const asked = new Promise<void>((resolve) => (slowTokenAsked = resolve));
      const answer = postGconnect(agent, { state, code: '4/fixture-google-slow' });
      // The server has the request and waits for Google (1.5 s): now stop it.
      await asked;
      const stopping = a;
      const sent = performance.now();
      stopping.child.kill('SIGTERM');
      const reply = await answer;
      assert.equal(reply.status, 200, reply.body);
      assert.equal(heading(reply), 'Welcome back, Alice Liddell!');
      assert.equal(await stopping.exited, 0);
      const ms = performance.now() - sent;
      assert.match(stopping.out(), /^Stopping: 1 request in flight, given up to 10 s to finish\.$/m);
      assert.match(stopping.out(), /^Stopped \(SIGTERM\)\.$/m);
      // A figure, not a verdict: the test's time limit is its only bound.
      console.log(`SIGTERM to exit with a sign-in in flight: ${ms.toFixed(0)} ms`);
    });
  });

  describe(`${last.name} while its Redis is down or refuses (a redis-server of the test's own)`, { concurrency: 1 }, () => {
    it('down at start: 503 JSON, GET /login 200; back: sign-in works; down again: 503 within 5 s, logged once; back: works, in the same process', {
      timeout: 90_000,
    }, async () => {
      const port = await freePort();
      let redis: ChildProcess | null = null;
      const startRedis = async () => {
        redis = await startPrivateRedis(port);
      };
      const stopRedis = async () => {
        const server = redis!;
        server.kill('SIGKILL');
        await once(server, 'exit');
      };
      const server = await startInstance({ REDIS_URL: `redis://127.0.0.1:${port}`, DATA_DIR: tempDataDir(), DATABASE_URL: '' });
      const agents: Agent[] = [];
      const browser = () => {
        const agent = new Agent(server.base);
        agents.push(agent);
        return agent;
      };
      const expect503 = async (reply: Reply, took: number) => {
        assert.equal(reply.status, 503, `${reply.request.method} ${reply.request.path}: ${reply.body}`);
        assert.equal(reply.type, 'application/json');
        assert.equal(reply.body, JSON.stringify('The session store is unavailable.'));
        assert.ok(!reply.setCookies.some((line) => /^gconnect\.sid=[^;]/.test(line)), reply.setCookies.join(' | '));
        assert.ok(took < 5000, `answered in ${took.toFixed(0)} ms`);
      };
      const timed = async (request: Promise<Reply>) => {
        const started = performance.now();
        const reply = await request;
        return { reply, took: performance.now() - started };
      };
      /** Signs `agent` in as soon as Redis answers again (503 until then), in 20 s at most. */
      const signInOnceBack = async (agent: Agent) => {
        for (let tries = 0; ; tries++) {
          const { state: fresh } = await openLoginPage(agent);
          const reply = await postGconnect(agent, { state: fresh, code: '4/fixture-alice' });
          if (reply.status === 200) return;
          assert.equal(reply.status, 503, reply.body);
          assert.ok(tries < 40, 'signed in within 20 s of Redis coming back');
          await new Promise((resolve) => setTimeout(resolve, 500));
        }
      };
      try {
        // Down from the start: the server is up; a sign-in is refused, the login page is served.
        const visitor = browser();
        const { reply: login, state } = await openLoginPage(visitor);
        assert.equal(login.status, 200);
        const refused = await timed(postGconnect(visitor, { state, code: '4/fixture-alice' }));
        await expect503(refused.reply, refused.took);
        // Back: the same process recovers by itself; the state refused above was not spent.
        await startRedis();
        const alice = browser();
        await signInOnceBack(alice);
        assert.equal(await signedInAs(alice), 'Alice Liddell');
        const again = await postGconnect(visitor, { state, code: '4/fixture-alice' });
        assert.equal(again.status, 200, `the state refused while Redis was down was not spent: ${again.body}`);
        // Down again: everything that needs the store is a 503, quickly; what does not, is served.
        await stopRedis();
        const next = browser();
        const { reply: page, state: nextState } = await openLoginPage(next);
        assert.equal(page.status, 200, 'GET /login without a session');
        for (const request of [
          () => alice.get('/'),
          () => signOut(alice),
          () => postGconnect(next, { state: nextState, code: '4/fixture-alice' }),
        ]) {
          const { reply, took } = await timed(request());
          await expect503(reply, took);
        }
        // Back again: a sign-in works in the same process.
        await startRedis();
        await signInOnceBack(next);
        const outages = server.out().match(/the session store \(Redis\) is unavailable: .+/g) ?? [];
        assert.equal(outages.length, 2, `one line an outage, with its cause: ${server.out()}`);
        assert.equal((server.out().match(/the session store \(Redis\) answers again/g) ?? []).length, 2, server.out());
        assert.ok(!/^\s+at /m.test(server.out()), `no stack trace: ${server.out()}`);
        server.child.kill('SIGTERM');
        assert.equal(await server.exited, 0);
      } finally {
        for (const agent of agents) agent.close();
        await kill(server);
        if (redis && (redis as ChildProcess).exitCode === null) await stopRedis();
      }
    });

    it('the store refuses to delete the session: sign-out 503, the token not revoked, still signed in; then it works', {
      timeout: 60_000,
    }, async () => {
      const port = await freePort();
      const redis = await startPrivateRedis(port);
      const admin = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 0 });
      // Its own fake Google, so that the test can ask it about Alice's token.
      const { app } = await createFakeGoogleApp();
      const google = app.listen(0, '127.0.0.1');
      await once(google, 'listening');
      const googleOrigin = `http://127.0.0.1:${(google.address() as net.AddressInfo).port}`;
      const server = await startInstance({
        REDIS_URL: `redis://127.0.0.1:${port}`,
        FAKE_GOOGLE_ORIGIN: googleOrigin,
        DATA_DIR: tempDataDir(),
        DATABASE_URL: '',
      });
      const alice = new Agent(server.base);
      /** What Google's tokeninfo says of the token: 200 while it lives, 400 once revoked. */
      const tokeninfo = async (token: string) =>
        (await fetch(`${googleOrigin}/tokeninfo`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })).status;
      try {
        const { state } = await openLoginPage(alice);
        assert.equal((await postGconnect(alice, { state, code: '4/fixture-alice' })).status, 200);
        const keys = await admin.keys('gconnect:sess:*');
        assert.equal(keys.length, 1, keys.join(' '));
        const token = String((JSON.parse((await admin.get(keys[0]!))!) as { accessToken?: unknown }).accessToken);
        assert.equal(await tokeninfo(token), 200);
        // The store (the kit's RedisSessionStore deletes with DEL) refuses deletes from now on.
        await admin.call('ACL', 'SETUSER', 'default', '-del', '-unlink');
        const refused = await signOut(alice);
        assert.equal(refused.status, 503, refused.body);
        assert.equal(refused.type, 'application/json');
        assert.equal(refused.body, JSON.stringify('The session store is unavailable.'));
        assert.equal(await tokeninfo(token), 200, 'the token is not revoked when the session could not be ended');
        assert.equal(await admin.exists(keys[0]!), 1, 'the session is still in the store');
        assert.equal(await signedInAs(alice), 'Alice Liddell');
        // The store deletes again: the sign-out goes through, whole.
        await admin.call('ACL', 'SETUSER', 'default', '+del', '+unlink');
        const done = await signOut(alice);
        assert.equal(done.status, 200, done.body);
        assert.equal(done.body, JSON.stringify('Successfully disconnected.'));
        assert.equal(await tokeninfo(token), 400, 'the token is revoked');
        assert.equal(await admin.exists(keys[0]!), 0, 'the session is gone from the store');
        assert.equal(await signedInAs(alice), null);
      } finally {
        alice.close();
        await kill(server);
        admin.disconnect();
        google.closeAllConnections();
        await new Promise((done) => google.close(done));
        redis.kill('SIGKILL');
        if (redis.exitCode === null && redis.signalCode === null) await once(redis, 'exit');
      }
    });
  });
});

describe(`${last.name} in production, and its stop (no shared services needed)`, () => {
  /** The server's whole run with these settings, for a start that must fail. */
  async function refusedStart(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = spawn(process.execPath, ['--import', './kit/typescript.mjs', `${last.dir}/server.ts`, '--port', '0'], {
      cwd: ROOT,
      env: { ...process.env, HOST: '127.0.0.1', DATA_DIR: tempDataDir(), DATABASE_URL: '', REDIS_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
    const [code] = (await once(child, 'exit')) as [number | null];
    return { code, stdout, stderr };
  }

  it('NODE_ENV=production without SESSION_KEYS: refused, one line naming it, no stack, exit 1', { timeout: 60_000 }, async () => {
    const { code, stdout, stderr } = await refusedStart({ NODE_ENV: 'production', SESSION_KEYS: '' });
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /^error: SESSION_KEYS is not set, and NODE_ENV=production needs it: [^\n]+\n$/);
  });

  it('NODE_ENV=production with memory stores and the embedded database: starts, one warning line each', { timeout: 60_000 }, async () => {
    const server = await startInstance({ NODE_ENV: 'production', DATA_DIR: tempDataDir(), DATABASE_URL: '', REDIS_URL: '' });
    try {
      const warnings = server.out().match(/^warning: .*$/gm) ?? [];
      assert.equal(warnings.length, 2, server.out());
      assert.match(warnings[0]!, /^warning: REDIS_URL is not set: .*fine for one instance/);
      assert.match(warnings[1]!, /^warning: DATABASE_URL is not set: .*fine for one instance/);
      assert.equal((await new Agent(server.base).get('/login')).status, 200);
    } finally {
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
    }
  });

  it('a request still in flight when the stop has waited long enough is cut, counted in one line; exit 0', {
    timeout: 60_000,
  }, async () => {
    // STOP_GRACE_MS shortens the 10 s wait; Google answers this code only after 10 s.
    const server = await startInstance({ STOP_GRACE_MS: '300', DATA_DIR: tempDataDir(), DATABASE_URL: '', REDIS_URL: '' });
    const agent = new Agent(server.base);
    try {
      const inFlight = await signInInFlight(server.base, agent, '4/fixture-google-timeout');
      inFlight.send();
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
      const outcome = await inFlight.outcome;
      assert.match(typeof outcome === 'string' ? outcome : `answered ${outcome.status}`, /^(ECONNRESET|socket hang up)$/);
      assert.match(server.out(), /^Stopping: 1 request in flight, given up to 0\.3 s to finish\.$/m);
      assert.match(server.out(), /^Stopping: 1 request still in flight after 0\.3 s, cut\.$/m);
      assert.match(server.out(), /^Stopped \(SIGTERM\)\.$/m);
    } finally {
      agent.close();
      await kill(server);
    }
  });
});
