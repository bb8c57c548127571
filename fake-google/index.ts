// The offline fake Google: a real HTTP server on 127.0.0.1 serving Google's endpoints on
// Google's paths, replaying fixtures/. The kit's OAuth2Client reaches it only through its
// `endpoints` option, so nothing in the server under test is patched or mocked.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import Router from '@koa/router';
import Koa from 'koa';
import bodyParser from 'koa-bodyparser';
import { FIXTURE_CLIENT } from '#shared/config.ts';
import { createIssuedTokens, type FakeGoogle } from './context.ts';
import { loadFixtures, type Fixtures } from './fixtures.ts';
import { loadSigningKeys } from './keys.ts';
import { avatarsRoute } from './routes/avatars.ts';
import { certsRoutes } from './routes/certs.ts';
import { gsiRoutes } from './routes/gsi.ts';
import { revokeRoute } from './routes/revoke.ts';
import { tokenRoute } from './routes/token.ts';
import { tokeninfoRoute } from './routes/tokeninfo.ts';
import { userinfoRoute } from './routes/userinfo.ts';

export interface FakeGoogleOptions {
  client?: { clientId: string; clientSecret: string };
  /** Told of each request refused because the caller broke the protocol. */
  onComplaint?: (message: string) => void;
  fixtures?: Fixtures;
  port?: number;
}

export interface RunningFakeGoogle {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  fixtures: Fixtures;
  /** Requests refused because the caller broke the protocol, in plain words. */
  complaints: readonly string[];
  /** How many TCP connections it has accepted so far (a client that keeps them alive opens few). */
  readonly connections: number;
  close(): Promise<void>;
}

export async function createFakeGoogleApp(options: FakeGoogleOptions = {}): Promise<{ app: Koa; fake: FakeGoogle }> {
  const fake: FakeGoogle = {
    fixtures: options.fixtures ?? loadFixtures(),
    keys: await loadSigningKeys(),
    client: options.client ?? FIXTURE_CLIENT,
    issued: createIssuedTokens(),
    complaints: [],
    onComplaint: options.onComplaint,
  };
  const router = new Router();
  for (const addRoutes of [tokenRoute, tokeninfoRoute, userinfoRoute, revokeRoute, certsRoutes, avatarsRoute, gsiRoutes]) {
    addRoutes(router, fake);
  }
  const app = new Koa();
  app.use(bodyParser({ enableTypes: ['form', 'json'] }));
  app.use(router.routes()).use(router.allowedMethods());
  return { app, fake };
}

export async function startFakeGoogle(options: FakeGoogleOptions = {}): Promise<RunningFakeGoogle> {
  const { app, fake } = await createFakeGoogleApp(options);
  const server = app.listen(options.port ?? 0, '127.0.0.1');
  // The app's fetch closes an idle connection a second before the server's announced
  // Keep-Alive timeout, on a coarse timer; Node's 5 s leaves a busy machine a race where the
  // fake closes a connection as a call goes out on it (a 502 no real Google would cause).
  // With 30 s, the app always lets go first.
  server.keepAliveTimeout = 30_000;
  let connections = 0;
  server.on('connection', () => connections++);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    fixtures: fake.fixtures,
    complaints: fake.complaints,
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
