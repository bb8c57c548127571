// Where the sessions and the spent states live: in this process's memory by default (one
// instance), or in Redis when REDIS_URL is set, shared by every instance of the server. A state
// spent on one instance is then spent on all, and a session begun on one is read on all.
//
// Redis down fails closed: a command fails at once (no queue that holds it until Redis is
// back) or after COMMAND_TIMEOUT_MS, the request is answered 503 (StoreUnavailable, see
// errors.ts), the cause is logged once an outage, and the client reconnects by itself.
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { StoreUnavailable } from './errors.ts';
import { closeAtStop } from './shutdown.ts';

/** Where the stores are: memory (redisUrl null) or the Redis at redisUrl, its keys under prefix. */
export interface StoreSettings {
  redisUrl: string | null;
  /** Put before every key, so that several kits (or test runs) can share one Redis. */
  prefix: string;
}

/** REDIS_URL (redis://host:port/db) and REDIS_PREFIX ("gconnect:" unless set). */
export function storeSettings(env: NodeJS.ProcessEnv = process.env): StoreSettings {
  return { redisUrl: env.REDIS_URL || null, prefix: env.REDIS_PREFIX || 'gconnect:' };
}

/** The states already used (step 1's check-state.ts): one small interface, two stores. */
export interface SpentStates {
  /**
   * Marks `key` spent for `ttlMs` and says whether it was unspent. One atomic operation: of
   * calls with one key at the same moment, in any number of processes sharing the store,
   * exactly one gets true.
   */
  spend(key: string, ttlMs: number): Promise<boolean>;
}

declare module 'koa' {
  interface DefaultContext {
    /** Where the app marks the states it accepted (set by useSession, shared/session.ts). */
    spentStates: SpentStates;
  }
}

/**
 * In this process's memory. Bounded: only states that passed the check (a signed cookie of ours,
 * still good) are kept, and each for its lifetime at most.
 */
export class MemorySpentStates implements SpentStates {
  readonly #spent: LRUCache<string, true>;
  readonly max: number;

  constructor(max = 100_000) {
    this.max = max;
    // Each state is kept for the ttl spend() is given; ten minutes unless said.
    // ttlResolution 0: no timer a look (see MemorySessionStore, shared/session.ts).
    this.#spent = new LRUCache({ max, ttl: 10 * 60 * 1000, ttlResolution: 0 });
  }

  // #region spend-memory
  async spend(key: string, ttlMs: number): Promise<boolean> {
    // The look and the mark with no await between them: no other request runs in between.
    if (this.#spent.has(key)) return false;
    this.#spent.set(key, true, { ttl: ttlMs });
    return true;
  }
  // #endregion spend-memory

  /** For tools: how many states are kept. */
  get size(): number {
    return this.#spent.size;
  }
}

/** The session data as koa-session hands it over. */
export type SessionRecord = Record<string, unknown>;

/** koa-session's external store (get/set/destroy; maxAge in ms, or "session"). */
export interface SessionStore {
  get(key: string): Promise<SessionRecord | undefined>;
  set(key: string, data: SessionRecord, maxAge: number | 'session' | undefined): Promise<void>;
  destroy(key: string): Promise<void>;
}

/** How long a connection attempt and a command may take (together under 5 s) before a 503. */
export const CONNECT_TIMEOUT_MS = 2000;
export const COMMAND_TIMEOUT_MS = 2000;

/**
 * One connection to Redis for the app's two stores. Every command goes through run(): a failure
 * becomes StoreUnavailable, logged once until Redis answers again.
 */
export class RedisConnection {
  readonly client: Redis;
  /** The cause of the outage under way, or null while Redis answers. */
  #down: string | null = null;

  constructor(settings: StoreSettings & { redisUrl: string }) {
    // #region fail-fast
    this.client = new Redis(settings.redisUrl, {
      keyPrefix: settings.prefix,
      // Fail fast: while Redis is away a command fails at once, rather than waiting in a queue.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: CONNECT_TIMEOUT_MS,
      // A Redis that is there but does not answer (stopped, a network gone silent).
      commandTimeout: COMMAND_TIMEOUT_MS,
      // Tries again for ever, at most a second apart: the server recovers by itself.
      retryStrategy: (times) => Math.min(times * 100, 1000),
    });
    // #endregion fail-fast
    // Each failed reconnection is an 'error' event: one line an outage, not one a second.
    this.client.on('error', (err: Error) => this.#failed(err));
    this.client.on('ready', () => this.#answered());
  }

  /** Runs one command; StoreUnavailable when Redis cannot be reached. */
  async run<T>(command: (client: Redis) => Promise<T>): Promise<T> {
    try {
      await this.#connecting();
      const result = await command(this.client);
      this.#answered();
      return result;
    } catch (err) {
      this.#failed(err);
      throw new StoreUnavailable(`the session store is unavailable: ${this.#down}`, { cause: err });
    }
  }

  /** A connection being made (at start): wait for it a moment rather than fail a request at once. */
  async #connecting(): Promise<void> {
    const status = this.client.status;
    if (status !== 'wait' && status !== 'connecting' && status !== 'connect') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.client.off('ready', done);
        this.client.off('close', done);
        resolve();
      };
      const timer = setTimeout(done, CONNECT_TIMEOUT_MS);
      this.client.once('ready', done);
      this.client.once('close', done);
    });
  }

  #failed(err: unknown): void {
    if (this.#down !== null) return;
    const error = err as { message?: string; code?: string } | null;
    this.#down = error?.message || error?.code || String(err);
    console.error(`[gconnect] the session store (Redis) is unavailable: ${this.#down}`);
  }

  #answered(): void {
    if (this.#down === null) return;
    this.#down = null;
    console.error('[gconnect] the session store (Redis) answers again.');
  }

  async close(): Promise<void> {
    if (this.client.status === 'end') return;
    // QUIT when connected (what was sent is answered first); else stop reconnecting at once.
    if (this.client.status === 'ready') await this.client.quit().catch(() => this.client.disconnect());
    else this.client.disconnect();
  }
}

/** Spent states in Redis: one `SET key 1 NX PX ttl`, which Redis runs atomically. */
export class RedisSpentStates implements SpentStates {
  readonly #redis: RedisConnection;

  constructor(redis: RedisConnection) {
    this.#redis = redis;
  }

  // #region spend-redis
  async spend(key: string, ttlMs: number): Promise<boolean> {
    // NX: set only if absent. Of parallel SETs of one key, on any instance, one gets OK.
    const reply = await this.#redis.run((client) => client.set(`state:${key}`, '1', 'PX', ttlMs, 'NX'));
    return reply === 'OK';
  }
  // #endregion spend-redis
}

/** The default session lifetime when koa-session says "session" (until the browser closes). */
const SESSION_TTL_MS = 24 * 60 * 60 * 1000;

/** Sessions in Redis, as JSON, each expiring with its cookie. */
export class RedisSessionStore implements SessionStore {
  readonly #redis: RedisConnection;

  constructor(redis: RedisConnection) {
    this.#redis = redis;
  }

  async get(key: string): Promise<SessionRecord | undefined> {
    const text = await this.#redis.run((client) => client.get(`sess:${key}`));
    if (text === null) return undefined;
    try {
      return JSON.parse(text) as SessionRecord;
    } catch {
      // Not ours, or damaged: no session, rather than a crash.
      return undefined;
    }
  }

  async set(key: string, data: SessionRecord, maxAge: number | 'session' | undefined): Promise<void> {
    const ttl = typeof maxAge === 'number' ? Math.max(1, Math.round(maxAge)) : SESSION_TTL_MS;
    await this.#redis.run((client) => client.set(`sess:${key}`, JSON.stringify(data), 'PX', ttl));
  }

  async destroy(key: string): Promise<void> {
    await this.#redis.run((client) => client.del(`sess:${key}`));
  }
}

export interface Stores {
  kind: 'memory' | 'redis';
  /** null: memory, the caller's own store (shared/session.ts makes it). */
  sessions: SessionStore | null;
  spentStates: SpentStates;
  close(): Promise<void>;
}

/** The stores the settings name; a Redis connection is closed when the server stops. */
export function openStores(settings: StoreSettings): Stores {
  if (!settings.redisUrl) {
    return { kind: 'memory', sessions: null, spentStates: new MemorySpentStates(), close: async () => undefined };
  }
  const redis = new RedisConnection({ ...settings, redisUrl: settings.redisUrl });
  const close = closeAtStop(() => redis.close());
  return { kind: 'redis', sessions: new RedisSessionStore(redis), spentStates: new RedisSpentStates(redis), close };
}

/** Why the Redis at `url` cannot be used now, in a few words, or null when it answers a PING. */
export async function redisMissing(url: string, timeoutMs = 3000): Promise<string | null> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // The first error says why (ECONNREFUSED...); the rejection then only says the connection closed.
  let cause: string | undefined;
  client.on('error', (err: Error) => (cause ??= err.message));
  try {
    await client.connect();
    await client.ping();
    return null;
  } catch (err) {
    return `Redis at ${url} is unreachable (${cause ?? (err instanceof Error ? err.message : String(err))})`;
  } finally {
    client.disconnect();
  }
}
