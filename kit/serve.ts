// Starts one step's server the way a learner runs it: offline with the fake Google (the
// default) or live with client_secret.json; prints what to do; stops cleanly on Ctrl-C or
// SIGTERM, and when the process that started it (npm) ends.
import { once } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { argsOrExit } from './cli.ts';
import { whenParentEnds } from './parent.ts';
import { ConfigError, liveConfig, offlineConfig, readSettings, type Config, type ModeFlags, type Settings } from '#shared/config.ts';
import { loadFixtures } from '#fake-google/fixtures.ts';
import { startFakeGoogle, type RunningFakeGoogle } from '#fake-google/index.ts';
import type { CreateApp } from '#shared/app.ts';
import type Koa from 'koa';
import { label } from './learner.ts';
import { readStep } from './manifest.ts';
import { closeAll } from '#shared/shutdown.ts';
import { describeTrace, type Trace } from '#shared/trace.ts';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** FAKE_GOOGLE_ORIGIN as an origin (http://host:port, nothing after); else one line, and exit 1. */
function fakeOriginOrExit(given: string): string {
  let url: URL | null = null;
  try {
    url = new URL(given);
  } catch {
    // Not a URL at all ("localhost:9" parses, as a scheme; "127.0.0.1:9" does not).
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.pathname !== '/' || url.search || url.hash) {
    fail(`error: FAKE_GOOGLE_ORIGIN must be an origin like http://127.0.0.1:PORT (npm run fake-google prints it), not "${given}".`);
  }
  return url.origin;
}

/** What a server takes on its command line: `npx tsx steps/06-welcome-output/server.ts --live`. */
export const SERVE_OPTIONS = { port: { type: 'string' }, live: { type: 'boolean' }, offline: { type: 'boolean' } } as const;

export interface ServeOptions extends ModeFlags {
  /** A learner's folder, named so (e.g. "my-gconnect/"), rather than one of the kit's steps. */
  learner?: string;
  /** --port; else PORT; else 5000. */
  port?: string;
}

const SERVER_USAGE = 'npx tsx steps/NN-name/server.ts [--port N] [--live | --offline]';

/** The port to listen on: a number from 0 (any free port) to 65535, else bad usage. */
function portOf(given: string | undefined): number {
  const text = given ?? (process.env.PORT || '5000');
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    console.error(`error: the port must be a number from 0 to 65535, not ${JSON.stringify(text)}.`);
    process.exit(2);
  }
  return Number(text);
}

/** Serves a step's folder; without options, its server.ts's own command line decides. */
export async function serveStep(folder: URL | string, options?: ServeOptions): Promise<void> {
  const dir = typeof folder === 'string' ? folder : fileURLToPath(folder);
  const step = readStep(dir.replace(/\/$/, ''));
  const chosen: ServeOptions =
    options ?? argsOrExit({ usage: SERVER_USAGE, command: 'npx tsx server.ts', options: SERVE_OPTIONS, ownWord: () => false }).values;
  let settings: Settings;
  try {
    settings = readSettings(chosen, process.env);
  } catch (err) {
    if (err instanceof ConfigError) fail(`error: ${err.message}`);
    throw err;
  }
  for (const warning of settings.warnings) console.warn(`warning: ${warning}`);

  let fake: RunningFakeGoogle | null = null;
  let config: Config;
  if (settings.clientSecretFile) {
    try {
      config = liveConfig({ ...settings, clientSecretFile: settings.clientSecretFile });
    } catch (err) {
      if (err instanceof ConfigError) fail(`error: ${err.message}`);
      throw err;
    }
  } else if (process.env.FAKE_GOOGLE_ORIGIN) {
    // A fake Google in a process of its own (npm run bench measures each process apart).
    const origin = fakeOriginOrExit(process.env.FAKE_GOOGLE_ORIGIN);
    fake = { origin, fixtures: loadFixtures(), complaints: [], connections: 0, close: async () => undefined };
    config = offlineConfig(origin, settings.sessionKeys, settings.trustProxy);
  } else {
    // The fake says, as it happens, when it refused a request the server got wrong.
    fake = await startFakeGoogle({ onComplaint: (message) => console.warn(`fake Google refused a request: ${message}`) });
    config = offlineConfig(fake.origin, settings.sessionKeys, settings.trustProxy);
  }

  const port = portOf(chosen.port);
  const host = process.env.HOST || 'localhost';
  // Each sign-in's trace, stage by stage, in this terminal (SIGN_IN_TRACES=0 turns it off).
  const onTrace = process.env.SIGN_IN_TRACES === '0' ? undefined : (trace: Trace) => console.log(describeTrace(trace));
  let app: Koa;
  try {
    const { createApp } = (await import(`${dir}/app.ts`)) as { createApp: CreateApp };
    app = createApp(config, { onTrace });
  } catch (err) {
    // A syntax error, a misspelt import, a crash in createApp: said as npm run check says it,
    // file, line and code, not as a stack through the TypeScript loader.
    await fake?.close();
    const { describeLoadError } = await import('#checker/check-report.ts');
    fail(`error: the app in ${label(dir)} did not start:\n${describeLoadError(dir, err).replace(/^/gm, '  ')}`);
  }
  const server: Server = app.listen(port, host);
  try {
    await once(server, 'listening');
  } catch (err) {
    await fake?.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      fail(`error: port ${port} is in use: stop the other server, or pick another port: npm run step -- N --port ${port + 1}.`);
    throw err;
  }

  const url = `http://localhost:${(server.address() as AddressInfo).port}`;
  console.log(
    chosen.learner ? `Your folder ${chosen.learner}: POST /gconnect as you wrote it.` : `Step ${step.name}: ${step.title}. ${step.summary}`,
  );
  console.log(`Listening on ${url}`);
  if (fake) {
    console.log(`Mode: offline (fake Google at ${fake.origin}; no network, no Google account needed)`);
    console.log('Fixture codes (paste one as the request body, or pick it in the sign-in window):');
    for (const scenario of fake.fixtures.scenarios.values()) {
      console.log(`  ${scenario.code.padEnd(34)} ${scenario.says}`);
    }
  } else {
    console.log(`Mode: live (client ${config.clientId}, real Google)`);
  }
  console.log(
    chosen.learner
      ? `Try: open ${url}/login in a browser; curl commands are in each chapter of tutorial/; npm run check tests it.`
      : `Try: open ${url}/login in a browser; curl commands are in ${step.chapter}`,
  );
  stopCleanly(server, fake);
  // Said only once Ctrl-C is handled: whoever reads this may press it at once.
  console.log('Stop with Ctrl-C.');
}

/**
 * How long a stop waits for the requests in flight (a sign-in waits up to 10 s for each call to
 * Google): 10 s, or STOP_GRACE_MS (the tests' shorter wait for what is cut).
 */
function graceMs(): number {
  const given = Number(process.env.STOP_GRACE_MS);
  return Number.isFinite(given) && given >= 0 && process.env.STOP_GRACE_MS ? given : 10_000;
}

/**
 * Ctrl-C (SIGINT) or SIGTERM stop the server: it takes no new connection, lets the requests in
 * flight finish (a sign-in under way completes) for up to 10 s, closes idle connections at once
 * and each other one as its answer goes out; what is still in flight after that is cut, and
 * counted in one line. Then the fake Google, the Redis and database connections (shared/
 * shutdown.ts), and exit 0. Signals during the stop change
 * nothing: a terminal's Ctrl-C reaches the server twice (from the terminal, and forwarded by
 * npm), and the second must not cut the sign-in the first let finish.
 *
 * It also stops when the process that started it ends (kit/parent.ts says why).
 */
function stopCleanly(server: Server, fake: RunningFakeGoogle | null): void {
  const inFlight = new Set<ServerResponse>();
  let stopping = false;
  server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    // Keep-alive would hold the connection open after its answer, and the stop with it.
    if (stopping) response.setHeader('Connection', 'close');
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
  });

  const unwatch = whenParentEnds(() => void stop('Stopped: the process that started this server ended.'));

  const onSignal = (signal: NodeJS.Signals) => void stop(`Stopped (${signal}).`);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  async function stop(said: string): Promise<void> {
    if (stopping) return;
    stopping = true;
    // Whoever read this server's output may be gone (a tool that started it and ended): a line
    // written to a closed pipe must not crash the stop.
    for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);
    unwatch();
    for (const response of inFlight) if (!response.headersSent) response.setHeader('Connection', 'close');
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections();
    const grace = graceMs();
    const requests = (count: number) => (count === 1 ? '1 request' : `${count} requests`);
    if (inFlight.size > 0) console.log(`Stopping: ${requests(inFlight.size)} in flight, given up to ${grace / 1000} s to finish.`);
    const cut = setTimeout(() => {
      if (inFlight.size > 0) console.log(`Stopping: ${requests(inFlight.size)} still in flight after ${grace / 1000} s, cut.`);
      server.closeAllConnections();
    }, grace);
    await closed;
    clearTimeout(cut);
    await fake?.close();
    // Redis and the database: their connections closed, not dropped with the process.
    await closeAll();
    console.log(said);
    process.exit(0);
  }
}
