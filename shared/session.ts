// Sessions: the cookie holds only a signed, random session id; the data stays on the server
// in a bounded, expiring store. (koa-session's default store would put the data, readable,
// in the cookie itself: tokens included.)
import type Koa from 'koa';
import session from 'koa-session';
import { LRUCache } from 'lru-cache';
import type { Config } from './config.ts';
import { openStores, type SessionStore } from './stores.ts';

/** What the kit keeps in a session. Nothing here ever reaches the browser. */
export interface SessionData {
  accessToken?: string;
  /** Google's user id: the `sub` claim. */
  googleId?: string;
  /** The kit's own id for the user (step 8 on): the profile is read from the database by it. */
  userId?: number;
  username?: string;
  picture?: string;
  email?: string;
  /** The secret the session's CSRF tokens are made from and checked against (step 9 on). */
  csrfSecret?: string;
  /** Messages shown once, on the next page. */
  flash?: string[];
}

export interface KoaSession extends SessionData {
  readonly isNew: boolean;
  /** Gives the session a new id (and cookie), keeping its data. */
  regenerate(): Promise<void> | undefined;
  /** The session's data, without koa-session's own fields. */
  toJSON(): Record<string, unknown>;
}

declare module 'koa' {
  interface DefaultContext {
    /** koa-session; null once a handler ends the session. */
    session: KoaSession | null;
  }
}

export const SESSION_COOKIE = 'gconnect.sid';
export const SESSION_MAX_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * The server-side store: koa-session's external store interface over an LRU cache. Bounded:
 * the oldest session goes when it is full. Only signed-in users have a session (a visitor's
 * state lives in a cookie of its own), so no number of anonymous visits can push them out.
 */
export class MemorySessionStore implements SessionStore {
  readonly #cache: LRUCache<string, Record<string, unknown>>;
  /** How many sessions it keeps at most. */
  readonly max: number;

  constructor(max = 10_000) {
    this.max = max;
    // ttlResolution 0: the clock is read at each look. lru-cache's default (1 ms) keeps the time
    // it read for 1 ms with a timer of its own, which fires: a timer a look, most of them wasted.
    this.#cache = new LRUCache({ max, ttl: SESSION_MAX_AGE_MS, ttlResolution: 0 });
  }

  async get(key: string): Promise<Record<string, unknown> | undefined> {
    return this.#cache.get(key);
  }

  async set(key: string, data: Record<string, unknown>, maxAge: number | 'session' | undefined): Promise<void> {
    this.#cache.set(key, data, { ttl: typeof maxAge === 'number' ? maxAge : SESSION_MAX_AGE_MS });
  }

  async destroy(key: string): Promise<void> {
    this.#cache.delete(key);
  }

  /** For tests and tools: how many sessions are stored. */
  get size(): number {
    return this.#cache.size;
  }
}

/**
 * A new session id and none of the old session's data: sign-in starts from a clean slate.
 * (koa-session's regenerate() alone keeps the data, so a previous user's profile, token or
 * flash would follow the new id.)
 */
export async function freshSession(session: KoaSession): Promise<void> {
  await session.regenerate();
  for (const key of Object.keys(session.toJSON())) delete (session as unknown as Record<string, unknown>)[key];
}

/**
 * koa-session over the configured stores (shared/stores.ts): memory, or Redis when REDIS_URL is
 * set. It also gives the app its spent states (ctx.spentStates), from the same place: one
 * setting moves both. `store`, when given, holds the sessions (tests look inside it).
 */
export function useSession(app: Koa, config: Config, store?: SessionStore): Koa.Middleware {
  const stores = openStores(config.stores);
  app.context.spentStates = stores.spentStates;
  return session(
    {
      key: SESSION_COOKIE,
      maxAge: SESSION_MAX_AGE_MS,
      httpOnly: true,
      signed: true,
      sameSite: 'lax',
      // Behind a TLS proxy (config.trustProxy) the cookie travels over HTTPS only.
      secure: config.trustProxy,
      renew: true,
      store: store ?? stores.sessions ?? new MemorySessionStore(),
    },
    app,
  );
}
