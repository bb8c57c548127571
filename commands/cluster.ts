// npm run cluster [-- --instances N] [-- --port N]: the last step as deployed, on one machine.
// One fake Google (offline), N server processes of the last step with the configured stores
// (REDIS_URL, DATABASE_URL; see tutorial/production.md), and in front of them a small
// round-robin proxy on :5000, as a load balancer would be. A request the proxy could not
// deliver (its instance is gone) goes to another instance when it is idempotent (GET, HEAD,
// OPTIONS); a POST is never sent twice: it gets a 502, as from a real load balancer. Ctrl-C
// (or SIGTERM) stops them all, each instance finishing what it has in flight.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startFakeGoogle } from '#fake-google/index.ts';
import { argsOrExit, countOrExit, exitWithUsage, portOrExit } from '#kit/cli.ts';
import { ConfigError, readSettings } from '#shared/config.ts';
import { listSteps, ROOT, TS_NODE_ARGS } from '#kit/manifest.ts';
import { stopChildren } from '#kit/children.ts';
import { whenParentEnds } from '#kit/parent.ts';

/** Each instance is a Node process of about 100 MB: a typo (30 for 3) must not swamp a laptop. */
const MAX_INSTANCES = 16;
const USAGE = `npm run cluster [-- --instances N] [-- --port N]   (default: 2 instances, at most ${MAX_INSTANCES}; port PORT or 5000, 0: any free one)`;
const { values, words } = argsOrExit({
  usage: USAGE,
  command: 'npm run cluster',
  options: { instances: { type: 'string' }, port: { type: 'string' } },
  ownWord: () => false,
});
if (words.length > 0) exitWithUsage(`Unexpected argument ${words[0]}.`, USAGE);
const count = countOrExit(values.instances, 2, 'instances', USAGE);
if (count > MAX_INSTANCES)
  exitWithUsage(`error: --instances takes at most ${MAX_INSTANCES} (each is a Node process), not ${count}.`, USAGE);
const portText = String(portOrExit(values.port, 'PORT', 5000, USAGE));

const last = listSteps().at(-1)!;
const env: NodeJS.ProcessEnv = { ...process.env };
// What the server refuses (NODE_ENV=production without SESSION_KEYS), the cluster refuses too,
// before it makes a key of its own that would get round it.
try {
  readSettings({ offline: true }, env, ROOT);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`error: ${err.message}`);
  process.exit(1);
}
// One key for every instance: a cookie signed by one must be good on all.
if (!env.SESSION_KEYS) {
  env.SESSION_KEYS = randomBytes(32).toString('base64url');
  console.warn('warning: SESSION_KEYS is not set: one random key for these instances (sessions end when the cluster stops).');
}
if (!env.REDIS_URL) {
  console.warn(
    'warning: REDIS_URL is not set: each instance keeps its own sessions and spent states (a state spent on one is accepted by another; see tutorial/production.md).',
  );
}
const ownDataDirs = !env.DATABASE_URL;
if (ownDataDirs)
  console.warn(
    'warning: DATABASE_URL is not set: each instance keeps its users in an SQLite file of its own, in .data/cluster-N/ (or DATA_DIR/cluster-N/).',
  );

// The fake Google, shared by every instance (FAKE_GOOGLE_ORIGIN): one set of issued tokens.
const fake = await startFakeGoogle({ onComplaint: (message) => console.warn(`fake Google refused a request: ${message}`) });

interface Instance {
  name: string;
  child: ChildProcess;
  port: number;
  gone: boolean;
}

/** Starts instance `i`; resolves once it listens. Its lines are printed with its name. */
async function startInstance(i: number): Promise<Instance> {
  const name = `[${i}]`;
  // --offline: the fake Google above, even where a client_secret.json would make a server live.
  const child = spawn(process.execPath, [...TS_NODE_ARGS, join(last.dir, 'server.ts'), '--port', '0', '--offline'], {
    cwd: ROOT,
    env: {
      ...env,
      FAKE_GOOGLE_ORIGIN: fake.origin,
      HOST: '127.0.0.1',
      ...(ownDataDirs ? { DATA_DIR: join(env.DATA_DIR ? resolve(env.DATA_DIR) : join(ROOT, '.data'), `cluster-${i}`) } : {}),
    },
    // Its own process group: Ctrl-C reaches the cluster, which stops the instances itself.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  const listening = new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`instance ${i} exited (${code}) before it listened`)));
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        const port = /^Listening on http:\/\/localhost:(\d+)$/.exec(line)?.[1];
        if (port) resolve(Number(port));
        // The fixture codes are the fake's, printed once below, not once per instance.
        if (/^ {2}4\/|^Fixture codes|^Try: |^Stop with Ctrl-C|^Mode: /.test(line)) return;
        console.log(`${name} ${line}`);
      });
    }
  });
  const instance: Instance = { name, child, port: await listening, gone: false };
  child.once('exit', (code, signal) => {
    instance.gone = true;
    if (!stopping) console.log(`${name} exited (${signal ?? code}): the proxy sends its requests to the others.`);
  });
  return instance;
}

let stopping = false;
let instances: Instance[] = [];
/** Every instance's process, from its spawn on: a stop during the start stops those too. */
const started: ChildProcess[] = [];

/** Stops what was started before the proxy listens (a failed start, or Ctrl-C meanwhile). */
async function stopStarted(code: number): Promise<never> {
  stopping = true;
  await stopChildren(started);
  await fake.close();
  if (code === 0) console.log('Stopped.');
  process.exit(code);
}

// Until the proxy listens, a stop stops the instances started so far (then stop() below takes over).
let stopDuringStart: ((said: string) => void) | null = (said) => {
  if (stopping) return;
  console.log(`Stopping the cluster (${said})...`);
  void stopStarted(0);
};
const signalled = (said: string) => (stopDuringStart ? stopDuringStart(said) : onStop(said));
process.on('SIGINT', () => signalled('SIGINT'));
process.on('SIGTERM', () => signalled('SIGTERM'));
whenParentEnds(() => signalled('the process that started it ended'));
try {
  instances = await Promise.all(Array.from({ length: count }, (_, i) => startInstance(i + 1)));
} catch (err) {
  if (stopping) await new Promise(() => undefined); // the stop under way exits
  console.error(`error: ${(err as Error).message}`);
  await stopStarted(1);
}

/** The proxy's own answers, JSON as the app's are. */
function answerJsonTo(response: http.ServerResponse, status: number, message: string): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  response.end(JSON.stringify(message));
}

/** The methods a proxy may send again: they change nothing on the server. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);
const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade'];
const upstreamAgent = new http.Agent({ keepAlive: true });
let turn = 0;

/** Sends the request to the next instance in turn; another one if it is gone and the request may be sent again. */
function forward(request: http.IncomingMessage, response: http.ServerResponse, tried: Set<Instance>): void {
  const candidates = instances.filter((instance) => !instance.gone && !tried.has(instance));
  if (candidates.length === 0) {
    answerJsonTo(response, 503, 'No instance is answering.');
    return;
  }
  const target = candidates[turn++ % candidates.length]!;
  tried.add(target);
  const headers: http.OutgoingHttpHeaders = { ...request.headers, 'x-forwarded-for': request.socket.remoteAddress ?? '' };
  for (const name of HOP_BY_HOP) delete headers[name];
  const upstream = http.request({
    host: '127.0.0.1',
    port: target.port,
    method: request.method,
    path: request.url,
    headers,
    agent: upstreamAgent,
  });
  upstream.on('response', (answer) => {
    const answerHeaders: http.OutgoingHttpHeaders = { ...answer.headers, 'x-instance': target.name.slice(1, -1) };
    for (const name of HOP_BY_HOP) delete answerHeaders[name];
    response.writeHead(answer.statusCode ?? 502, answerHeaders);
    answer.pipe(response);
  });
  upstream.on('error', () => {
    if (response.headersSent) response.destroy();
    else if (IDEMPOTENT.has(request.method ?? '')) forward(request, response, tried);
    else answerJsonTo(response, 502, 'The instance that had this request went away: try again.');
  });
  if (IDEMPOTENT.has(request.method ?? '')) upstream.end();
  else request.pipe(upstream);
}

const proxy = http.createServer((request, response) => forward(request, response, new Set()));
proxy.listen(Number(portText), 'localhost');
try {
  await once(proxy, 'listening');
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code;
  console.error(
    code === 'EADDRINUSE'
      ? `error: port ${portText} is in use: pick another one (npm run cluster -- --port ${Number(portText) + 1}).`
      : `error: ${(err as Error).message}`,
  );
  await stop(1);
}
const url = `http://localhost:${(proxy.address() as AddressInfo).port}`;
console.log(`Cluster: ${count} instances of step ${last.name}, behind a round-robin proxy.`);
console.log(
  `Stores: ${env.REDIS_URL ? 'Redis (REDIS_URL)' : "each instance's memory"}; users: ${ownDataDirs ? 'an SQLite file each' : 'PostgreSQL (DATABASE_URL)'}.`,
);
console.log(`Fake Google at ${fake.origin} (shared by the instances)`);
console.log(`Listening on ${url}`);
console.log(`Try: open ${url}/login in a browser; each answer's X-Instance header says which instance sent it.`);
console.log('Stop with Ctrl-C.');

/** Stops the proxy, then each instance (SIGTERM: it finishes what it has in flight), then the fake. */
async function stop(code = 0): Promise<never> {
  stopping = true;
  proxy.close();
  proxy.closeIdleConnections();
  await stopChildren(instances.map((instance) => instance.child));
  upstreamAgent.destroy();
  await fake.close();
  console.log('Stopped.');
  process.exit(code);
}

let stopAsked = false;
function onStop(said: string): void {
  if (stopAsked) return;
  stopAsked = true;
  console.log(`Stopping the cluster (${said})...`);
  void stop().then(() => undefined);
}
stopDuringStart = null;
