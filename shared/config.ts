// Where the kit's settings come from: client_secret.json (live) or the fixture client (offline).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OAuth2ClientOptions } from 'google-auth-library';
import { storeSettings, type StoreSettings } from './stores.ts';

export type GoogleEndpoints = NonNullable<OAuth2ClientOptions['endpoints']>;

/** Where the server finds Google. Offline, every URL points at the local fake. */
export interface GoogleUrls {
  /** Passed as they are to OAuth2Client's `endpoints` option. */
  endpoints: GoogleEndpoints;
  /** OpenID Connect userinfo; google-auth-library has no setting for it, so the kit owns it. */
  userinfoUrl: string;
  /** The Google Identity Services script the login page loads. */
  gsiClientUrl: string;
  /** Where users' pictures come from, for the pages' Content-Security-Policy. */
  pictureOrigins: string[];
}

export interface Config {
  mode: 'offline' | 'live';
  clientId: string;
  clientSecret: string;
  google: GoogleUrls;
  /** Keys that sign the session cookie (koa's app.keys). */
  sessionKeys: string[];
  /** How long one call to Google may take before the server gives up, in ms. */
  googleTimeoutMs: number;
  /**
   * Behind a TLS-terminating proxy (TRUST_PROXY=1): Koa trusts X-Forwarded-Proto, and cookies
   * are Secure. Off on plain http://localhost, where a Secure cookie would never come back.
   */
  trustProxy: boolean;
  /** Where the users are kept (step 8 on): SQLite in `dataDir`, or the PostgreSQL at `url`. */
  database: DatabaseSettings;
  /** Where the sessions and the spent states are kept: memory, or Redis (REDIS_URL). */
  stores: StoreSettings;
}

/** Where the users are kept: an SQLite file in `dataDir`, unless `url` (postgres://...) is set. */
export interface DatabaseSettings {
  dataDir: string;
  url: string | null;
}

/** The kit's own .data/ folder (git ignores it), unless DATA_DIR says elsewhere; DATABASE_URL for PostgreSQL. */
export function databaseSettings(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): DatabaseSettings {
  return {
    dataDir: env.DATA_DIR ? resolve(cwd, env.DATA_DIR) : fileURLToPath(new URL('../.data/', import.meta.url)),
    url: env.DATABASE_URL || null,
  };
}

/** The OAuth client the fake Google knows. Not a secret: it only opens the local fake. */
export const FIXTURE_CLIENT = {
  clientId: '1234567890-fixture.apps.googleusercontent.com',
  clientSecret: 'fixture-client-secret-not-a-secret',
} as const;

export const REAL_GOOGLE: GoogleUrls = {
  endpoints: {
    oauth2AuthBaseUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
    oauth2TokenUrl: 'https://oauth2.googleapis.com/token',
    tokenInfoUrl: 'https://oauth2.googleapis.com/tokeninfo',
    oauth2RevokeUrl: 'https://oauth2.googleapis.com/revoke',
    oauth2FederatedSignonPemCertsUrl: 'https://www.googleapis.com/oauth2/v1/certs',
    oauth2FederatedSignonJwkCertsUrl: 'https://www.googleapis.com/oauth2/v3/certs',
  },
  userinfoUrl: 'https://openidconnect.googleapis.com/v1/userinfo',
  gsiClientUrl: 'https://accounts.google.com/gsi/client',
  // Profile pictures: lh3.googleusercontent.com, and its siblings.
  pictureOrigins: ['https://*.googleusercontent.com'],
};

/** The same paths as REAL_GOOGLE's, on another origin (the fake's). */
export function googleAt(origin: string): GoogleUrls {
  const move = (url: string | URL | undefined): string => {
    const moved = new URL(String(url));
    return new URL(moved.pathname, origin).toString();
  };
  const endpoints: GoogleEndpoints = {};
  for (const [name, url] of Object.entries(REAL_GOOGLE.endpoints)) {
    endpoints[name as keyof GoogleEndpoints] = move(url);
  }
  return {
    endpoints,
    userinfoUrl: move(REAL_GOOGLE.userinfoUrl),
    gsiClientUrl: move(REAL_GOOGLE.gsiClientUrl),
    pictureOrigins: [new URL(origin).origin],
  };
}

/** A problem the user can fix; printed as one line, without a stack trace. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface ClientSecret {
  clientId: string;
  clientSecret: string;
}

/** Reads Google's download format: {"web": {"client_id": ..., "client_secret": ...}}. */
export function readClientSecret(file: string): ClientSecret {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`Live mode needs ${file}: download it from Google Cloud Console (see tutorial/live-mode.md).`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${file} is not valid JSON: download it again from Google Cloud Console.`);
  }
  const web = (parsed as { web?: { client_id?: unknown; client_secret?: unknown } } | null)?.web;
  if (typeof web?.client_id !== 'string' || typeof web.client_secret !== 'string') {
    throw new ConfigError(`${file} has no web.client_id and web.client_secret: is it a "Web application" client?`);
  }
  return { clientId: web.client_id, clientSecret: web.client_secret };
}

export interface Settings {
  /** null: offline, with the fixture client and the fake Google. */
  clientSecretFile: string | null;
  sessionKeys: string[];
  trustProxy: boolean;
  /** What the server should say before it starts, one line each: a generated key, a store fit for one instance. */
  warnings: string[];
}

/** The command line's say in the mode. */
export interface ModeFlags {
  live?: boolean;
  offline?: boolean;
}

/**
 * Decides the mode from the command line and the environment, before anything starts:
 * --offline wins; then --live, GOOGLE_CLIENT_SECRET_FILE or a ./client_secret.json mean live.
 * With NODE_ENV=production, no SESSION_KEYS is a ConfigError (a generated key would sign
 * everyone out at each restart, and differ from one instance to the next), and stores that
 * live in one process are warned of.
 */
export function readSettings(flags: ModeFlags, env: NodeJS.ProcessEnv, cwd = process.cwd()): Settings {
  const file = resolve(cwd, env.GOOGLE_CLIENT_SECRET_FILE || 'client_secret.json');
  const live = !flags.offline && (Boolean(flags.live) || Boolean(env.GOOGLE_CLIENT_SECRET_FILE) || existsSync(file));
  const given = (env.SESSION_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  const production = env.NODE_ENV === 'production';
  if (production && given.length === 0) {
    throw new ConfigError(
      'SESSION_KEYS is not set, and NODE_ENV=production needs it: give every instance the same keys (SESSION_KEYS=key1,key2; see tutorial/production.md).',
    );
  }
  const warnings: string[] = [];
  if (given.length === 0) warnings.push('SESSION_KEYS is not set: using a random development key (sessions end when the server stops).');
  if (production && !env.REDIS_URL) {
    warnings.push(
      "REDIS_URL is not set: sessions and spent states are kept in this process's memory, fine for one instance (a second would not see them).",
    );
  }
  if (production && !env.DATABASE_URL) {
    warnings.push(
      'DATABASE_URL is not set: users are kept in an SQLite file on this machine, fine for one instance (a second would not see them).',
    );
  }
  return {
    clientSecretFile: live ? file : null,
    sessionKeys: given.length > 0 ? given : [randomBytes(32).toString('base64url')],
    trustProxy: ['1', 'true', 'yes'].includes((env.TRUST_PROXY ?? '').toLowerCase()),
    warnings,
  };
}

export const GOOGLE_TIMEOUT_MS = 2500;

export function liveConfig(settings: Settings & { clientSecretFile: string }): Config {
  return {
    mode: 'live',
    ...readClientSecret(settings.clientSecretFile),
    google: REAL_GOOGLE,
    sessionKeys: settings.sessionKeys,
    googleTimeoutMs: GOOGLE_TIMEOUT_MS,
    trustProxy: settings.trustProxy,
    database: databaseSettings(),
    stores: storeSettings(),
  };
}

/** The fixture client, talking to the fake Google at `fakeOrigin`. */
export function offlineConfig(
  fakeOrigin: string,
  sessionKeys: string[],
  trustProxy = false,
  database: DatabaseSettings = databaseSettings(),
  stores: StoreSettings = storeSettings(),
): Config {
  return {
    mode: 'offline',
    ...FIXTURE_CLIENT,
    google: googleAt(fakeOrigin),
    sessionKeys,
    googleTimeoutMs: GOOGLE_TIMEOUT_MS,
    trustProxy,
    database,
    stores,
  };
}
