// The app under test (any folder whose app.ts exports createApp) and a fake Google, both on
// 127.0.0.1 on free ports: one of each for a whole run of checks. Every test uses its own
// browsers (agents), so the tests of a run do not see each other.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type Koa from 'koa';
import { offlineConfig, type Config } from '#shared/config.ts';
import { startFakeGoogle, type RunningFakeGoogle } from '#fake-google/index.ts';
import { StoreUnavailable } from '#shared/errors.ts';
import { MemorySessionStore } from '#shared/session.ts';
import { closesOf } from '#shared/shutdown.ts';
import type { SpentStates, StoreSettings } from '#shared/stores.ts';
import type { CreateApp } from '#shared/app.ts';
import { Agent, type SentRequest } from './agent.ts';
import { CHECK_HEADER, tagRequests } from './check-log.ts';
import { type Replica, type RunningReplicas, startReplicas } from './replicas.ts';

/**
 * How long the app waits for the fake Google on ordinary calls. The fake answers in
 * milliseconds; this only stops a hang, so no verdict depends on the machine's speed.
 */
export const GOOGLE_TIMEOUT_MS = 10_000;
/**
 * The silent-Google scenario's own server gives up after this. The fake stays silent 10 s in
 * that scenario, a hundred times longer, so a short wait cannot turn a right answer wrong.
 */
export const SILENT_GOOGLE_TIMEOUT_MS = 100;
/**
 * How many sessions the app under test keeps: few, so that a check can send more anonymous
 * visits than the store holds, in a fraction of a second.
 */
export const SESSIONS_KEPT = 200;

/** Temporary data folders made by testConfig: removed when the process exits. */
const dataDirs: string[] = [];
process.once('exit', () => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** A new, empty folder for an app's SQLite database, removed when the process exits. */
export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gconnect-test-'));
  dataDirs.push(dir);
  return dir;
}

/**
 * The fixture client against the fake at `fakeOrigin`, waiting for it GOOGLE_TIMEOUT_MS, with
 * a database of its own (never the kit's .data/, never another test's).
 */
export function testConfig(fakeOrigin: string, sessionKeys = ['test-session-key']): Config {
  return {
    ...offlineConfig(fakeOrigin, sessionKeys, false, { dataDir: tempDataDir(), url: null }, { redisUrl: null, prefix: '' }),
    googleTimeoutMs: GOOGLE_TIMEOUT_MS,
  };
}

/**
 * The app's sessions in a check: in memory, and a check can make deleting one of them fail, as
 * a session store (Redis) failing would: one session at a time, so checks running at once do
 * not see each other's failures.
 */
export class CheckedSessionStore extends MemorySessionStore {
  readonly #refused = new Set<string>();

  /** Deleting the session `id` fails with StoreUnavailable (503) until `refuse` is false. */
  refuseToDelete(id: string, refuse = true): void {
    if (refuse) this.#refused.add(id);
    else this.#refused.delete(id);
  }

  override async destroy(key: string): Promise<void> {
    if (this.#refused.has(key)) throw new StoreUnavailable('the session store is unavailable: the check refuses to delete this session');
    await super.destroy(key);
  }
}

export interface Kit {
  /** The app's origin, e.g. http://127.0.0.1:40123 */
  base: string;
  config: Config;
  /** The fake Google's origin. */
  google: string;
  /** The app's server-side sessions, to look inside (and make fail). */
  sessions: CheckedSessionStore;
  /** Where the app marks the states it accepted (memory, in a check). */
  spentStates: SpentStates;
  /** A new browser with an empty cookie jar; `headers` go with each of its requests. */
  agent(headers?: Record<string, string>): Agent;
  /** The same app on a server of its own, with these settings changed (one server each). */
  withConfig(changes: Partial<Config>): Promise<Kit>;
  /** The same app on a server of its own that waits only SILENT_GOOGLE_TIMEOUT_MS for Google. */
  impatient(): Promise<Kit>;
  /** The same app on a server of its own with an empty database of its own (step 8 on): nobody has signed in there. */
  freshDatabase(): Promise<Kit>;
  /**
   * `count` instances of the folder's app as a deployment runs them, each a process of its own
   * (checker/replicas.ts): the same keys and fake Google, and one Redis for all when `stores`
   * names one; otherwise each keeps its sessions and spent states in its own memory.
   */
  replicas(count: number, stores?: StoreSettings): Promise<Replica[]>;
}

export interface RunningKit extends Kit {
  fake: RunningFakeGoogle;
  /**
   * A view of this kit for one test: its agents report what they are waiting for, and tag
   * their requests with `tag` (see check-log.ts).
   */
  forTest(inFlight: Set<SentRequest>, requestTimeoutMs?: number, tag?: string): Kit & { closeAgents(): void };
  close(): Promise<void>;
}

/** Loads a folder's app.ts; throws what the import threw (a syntax error, a crash at load). */
export async function importApp(dir: string): Promise<CreateApp> {
  const module = (await import(pathToFileURL(join(resolve(dir), 'app.ts')).href)) as { createApp?: unknown };
  if (typeof module.createApp !== 'function') throw new TypeError('app.ts does not export a function createApp(config)');
  return module.createApp as CreateApp;
}

interface AppServer {
  base: string;
  config: Config;
  sessions: CheckedSessionStore;
  spentStates: SpentStates;
  close(): Promise<void>;
}

export interface Served {
  /** The server's origin, e.g. http://127.0.0.1:40123 */
  base: string;
  /** Closes it, kept-alive connections included. */
  close(): Promise<void>;
}

/** Serves a Koa app on 127.0.0.1, on a free port. */
export async function serveApp(app: Koa): Promise<Served> {
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}

/** Serves `app` for the length of `work`, which gets its origin. */
export async function serving<T>(app: Koa, work: (base: string) => Promise<T>): Promise<T> {
  const served = await serveApp(app);
  try {
    return await work(served.base);
  } finally {
    await served.close();
  }
}

/**
 * Each app gets a database of its own, an SQLite file in a temporary folder removed when it
 * closes: apps started at once never share a file (two writers on one sql.js file lose writes).
 */
async function listen(createApp: CreateApp, config: Config, sessionsKept: number): Promise<AppServer> {
  const sessions = new CheckedSessionStore(sessionsKept);
  const dataDir = mkdtempSync(join(tmpdir(), 'gconnect-check-'));
  const own = { ...config, database: { dataDir, url: null } };
  let served: Served;
  let spentStates: SpentStates;
  // What the app opens (a Redis connection, a database pool) is closed with its server.
  let closeStores: () => Promise<void> = async () => undefined;
  try {
    const { value: app, close } = closesOf(() => createApp(own, { sessionStore: sessions }));
    closeStores = close;
    spentStates = app.context.spentStates;
    // Outermost: what the app logs while it answers a check's request goes to that check's log too.
    app.middleware.unshift(tagRequests);
    served = await serveApp(app);
  } catch (err) {
    await closeStores();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    base: served.base,
    config: own,
    sessions,
    spentStates,
    async close() {
      await served.close();
      await closeStores();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface KitOptions {
  /** The folder's createApp, when the caller has it already. */
  createApp?: CreateApp;
  /** How many sessions the app keeps (default SESSIONS_KEPT; the kit's own default is 10,000). */
  sessionsKept?: number;
}

export async function startKit(dir: string, options: KitOptions = {}): Promise<RunningKit> {
  const app = options.createApp ?? (await importApp(dir));
  const kept = options.sessionsKept ?? SESSIONS_KEPT;
  const fake = await startFakeGoogle();
  const base = testConfig(fake.origin);
  let main: AppServer;
  try {
    main = await listen(app, base, kept);
  } catch (err) {
    await fake.close();
    throw err;
  }
  // Servers of the same app with other settings, started when a check first asks for one.
  const others = new Map<string, Promise<AppServer>>();
  // Servers started anew at each call (fresh databases), never shared by two calls.
  const own: Promise<AppServer>[] = [];
  const other = (changes: Partial<Config>) => {
    const key = JSON.stringify(changes);
    if (!others.has(key)) others.set(key, listen(app, { ...base, ...changes }, kept));
    return others.get(key)!;
  };
  const fresh = (changes: Partial<Config>) => {
    const started = listen(app, { ...base, ...changes }, kept);
    own.push(started);
    return started;
  };

  // Instances in processes of their own (replicas), stopped with the kit.
  const deployments: Promise<RunningReplicas>[] = [];
  /** A browser of a test: it reports what it waits for, tags its requests, and is closed with the test's. */
  const newAgent = (
    origin: string,
    inFlight: Set<SentRequest>,
    agents: Agent[],
    requestTimeoutMs: number | undefined,
    tag: string | undefined,
    headers: Record<string, string> | undefined,
  ) => {
    const agent = new Agent(origin, {
      inFlight,
      timeoutMs: requestTimeoutMs,
      headers: tag ? { [CHECK_HEADER]: tag, ...headers } : headers,
    });
    agents.push(agent);
    return agent;
  };

  const view = (server: AppServer, inFlight: Set<SentRequest>, agents: Agent[], requestTimeoutMs?: number, tag?: string): Kit => ({
    base: server.base,
    config: server.config,
    google: fake.origin,
    sessions: server.sessions,
    spentStates: server.spentStates,
    agent(headers) {
      return newAgent(server.base, inFlight, agents, requestTimeoutMs, tag, headers);
    },
    async withConfig(changes) {
      return view(await other(changes), inFlight, agents, requestTimeoutMs, tag);
    },
    async impatient() {
      return view(await other({ googleTimeoutMs: SILENT_GOOGLE_TIMEOUT_MS }), inFlight, agents, requestTimeoutMs, tag);
    },
    async freshDatabase() {
      // A server, and so a database, of its own each time.
      return view(await fresh({}), inFlight, agents, requestTimeoutMs, tag);
    },
    async replicas(count, stores) {
      const started = startReplicas(dir, count, {
        google: fake.origin,
        sessionKeys: base.sessionKeys,
        ...(stores ? { stores } : {}),
        dataDir: tempDataDir,
        agent: (origin, headers) => newAgent(origin, inFlight, agents, requestTimeoutMs, tag, headers),
      });
      deployments.push(started);
      return (await started).replicas;
    },
  });

  const shared: Agent[] = [];
  return {
    ...view(main, new Set(), shared),
    fake,
    forTest(inFlight, requestTimeoutMs, tag) {
      const agents: Agent[] = [];
      return {
        ...view(main, inFlight, agents, requestTimeoutMs, tag),
        closeAgents: () => {
          for (const agent of agents) agent.close();
        },
      };
    },
    async close() {
      for (const agent of shared) agent.close();
      await Promise.all([
        main.close(),
        ...[...others.values(), ...own].map((server) => server.then((started) => started.close())),
        ...deployments.map((started) => started.then((running) => running.close()).catch(() => undefined)),
      ]);
      await fake.close();
    },
  };
}
