// The server's calls to Google go out on kept-alive connections, one pool per origin
// (shared/google-http.ts): sign-ins one after another, and several at once, open a handful
// of connections to the fake Google, not three a sign-in.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Agent, importApp, serveApp, signIn, testConfig, type Served } from '#checker';
import { startFakeGoogle, type RunningFakeGoogle } from '#fake-google/index.ts';
import { listSteps } from '#kit/manifest.ts';
import { gaxios } from 'google-auth-library';
import { createGoogleClient } from '#shared/google-client.ts';
import { googleDidNotAnswer, googleFailure } from '#shared/google-error.ts';
import { callGoogle, GoogleTransporter, googleConnections } from '#shared/google-http.ts';

const last = listSteps().at(-1)!;

describe(`calls to Google reuse their connections (${last.name})`, () => {
  let fake: RunningFakeGoogle;
  let served: Served;
  before(async () => {
    fake = await startFakeGoogle();
    const createApp = await importApp(last.dir);
    served = await serveApp(createApp(testConfig(fake.origin)));
  });
  after(async () => {
    await served.close();
    await fake.close();
  });

  it('20 sign-ins in a row, then 3 times 8 at once: 132 calls to Google on a handful of connections', { timeout: 30_000 }, async () => {
    const before = fake.connections;
    for (let i = 0; i < 20; i++) {
      assert.equal((await signIn(new Agent(served.base), i % 2 ? '4/fixture-bob' : '4/fixture-alice')).status, 200);
    }
    // One at a time, one connection does (a sign-in's calls follow each other); two leave room for a stall.
    assert.ok(fake.connections - before <= 2, `${fake.connections - before} connections for 20 sign-ins one after another (60 calls)`);
    for (let round = 0; round < 3; round++) {
      const replies = await Promise.all(Array.from({ length: 8 }, () => signIn(new Agent(served.base), '4/fixture-alice')));
      assert.deepEqual(
        replies.map((reply) => reply.status),
        Array(8).fill(200),
      );
    }
    // Eight at once open more, and the rounds after the first reuse them: without reuse, 132.
    const opened = fake.connections - before;
    assert.ok(opened <= 16, `${opened} connections for 44 sign-ins (132 calls)`);
    assert.ok(googleConnections()[fake.origin]!.idle >= 1, 'the pool for the fake keeps its connections open');
  });

  it("a refusal reaches the stage as gaxios words it: a GaxiosError whose message is Google's own error, its status, no token in its config", {
    timeout: 30_000,
  }, async () => {
    const client = createGoogleClient(testConfig(fake.origin));
    const refused = await client.getToken({ code: '4/fixture-bad-code', redirect_uri: 'postmessage' }).then(
      () => null,
      (err: unknown) => err,
    );
    assert.ok(refused instanceof gaxios.GaxiosError, `a GaxiosError, not ${String(refused)}`);
    assert.equal(refused.message, 'invalid_grant');
    assert.equal(refused.status, 400);
    assert.ok(!JSON.stringify(refused.config).includes('4/fixture-bad-code'), 'the code stays out of the error');
  });
});

/** A TCP server that answers every request with `answer(socket)`: HTTP as a broken server writes it. */
async function rawServer(answer: (socket: Socket) => void): Promise<{ origin: string; server: Server }> {
  const server = createServer((socket) => {
    socket.once('data', () => answer(socket));
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return { origin: `http://127.0.0.1:${address.port}`, server };
}

describe('a call to Google that goes wrong fails, and its connection is not kept', () => {
  const servers: Server[] = [];
  after(() => {
    for (const server of servers) server.close();
  });

  const cases: [string, (socket: Socket) => void, RegExp | { name: string }][] = [
    [
      'an answer cut short (the connection closed 10 bytes into 100)',
      (socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"access_t'),
      // Node's own error for a response cut short ('aborted', ECONNRESET), or the module's, whichever comes first: not the deadline's.
      /^Error: (aborted|the answer was cut short)$/,
    ],
    [
      "an answer far larger than any of Google's (2 MB)",
      (socket) => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2097152\r\n\r\n');
        socket.write(Buffer.alloc(2 * 1024 * 1024, 'a'));
      },
      /an answer over 1048576 bytes/,
    ],
    ['no answer within the deadline', () => undefined, { name: 'TimeoutError' }],
  ];
  for (const [what, answer, error] of cases) {
    it(what, { timeout: 30_000 }, async () => {
      const { origin, server } = await rawServer(answer);
      servers.push(server);
      await assert.rejects(callGoogle(`${origin}/token`, { method: 'POST', body: 'code=x', timeoutMs: 2_000 }), error);
      // Destroyed, not handed back to the pool half read: once it has left the calls in use, it is not idle in the pool.
      while ((googleConnections()[origin]?.inUse ?? 0) > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(googleConnections()[origin]?.idle ?? 0, 0, `the pool for ${origin} keeps no connection`);
    });
  }

  it("an answer whose status is no HTTP status (600) fails the library's call as no answer, a GaxiosError without a response", {
    timeout: 30_000,
  }, async () => {
    const { origin, server } = await rawServer((socket) =>
      socket.end('HTTP/1.1 600 Odd\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}'),
    );
    servers.push(server);
    const failed = await new GoogleTransporter(2_000)
      .request({ url: `${origin}/token`, method: 'POST', data: new URLSearchParams({ code: 'x' }) })
      .then(
        () => null,
        (err: unknown) => err,
      );
    // Not the RangeError a Response throws on 600: the stages tell Google's failures by GaxiosError.
    assert.ok(failed instanceof gaxios.GaxiosError, `a GaxiosError, not ${String(failed)}`);
    assert.equal(failed.message, 'an answer with status 600, which is no HTTP status');
    assert.ok(googleDidNotAnswer(googleFailure(failed)), 'the sign-in says Google did not answer (a 502), not that the code was refused');
  });
});
