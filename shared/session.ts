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
    /**
     * Ends the session now: deletes it from its store (awaited: a store that fails throws, and
     * the session is still there), then ends it for koa-session (cookie cleared). Installed by
     * useSession.
     */
    endSession(): Promise<void>;
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
  const sessions = store ?? stores.sessions ?? new MemorySessionStore();
  // `ctx.session = null` alone deletes the session from the store only after the whole chain
  // has returned: a handler that goes on (revokes the token at Google, say) cannot know
  // whether the store will succeed. endSession() deletes it first, and waits: when it returns,
  // the session is gone for every instance; when the store fails, it throws (StoreUnavailable:
  // 503) and nothing after it runs.
  const ended = new WeakMap<object, string>();
  app.context.endSession = async function endSession(this: Koa.Context): Promise<void> {
    // The id koa-session read the session by: the signed cookie's value.
    const id = this.cookies.get(SESSION_COOKIE, { signed: true });
    if (id) {
      await sessions.destroy(id);
      ended.set(this, id);
    }
    this.session = null;
  };
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
      store: {
        get: (key) => sessions.get(key),
        set: (key, data, maxAge) => sessions.set(key, data, maxAge),
        // Already deleted by endSession(): not deleted twice, so that a store failing after
        // that (the token since revoked) cannot turn a sign-out that happened into a 503.
        destroy: async (key, options?: { ctx?: object }) => {
          if (options?.ctx && ended.get(options.ctx) === key) return;
          await sessions.destroy(key);
        },
      },
    },
    app,
  );
}
