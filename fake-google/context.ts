// What every route of the fake Google shares: its fixtures, keys, client and issued tokens.
import { LRUCache } from 'lru-cache';
import type { Context } from 'koa';
import {
  fillPlaceholders,
  type Fixtures,
  type FixtureUser,
  type Json,
  type JsonObject,
  type ResponseTemplate,
  type Scenario,
} from './fixtures.ts';
import type { SigningKeys } from './keys.ts';

export const GRANTED_SCOPE = 'openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile';
const ACCESS_TOKEN_SECONDS = 3599;

export interface IssuedToken {
  scenario: Scenario;
  issuedAt: number;
}

export interface FakeGoogle {
  fixtures: Fixtures;
  keys: SigningKeys;
  client: { clientId: string; clientSecret: string };
  /** Access tokens handed out by /token, until they expire or are revoked. Bounded. */
  issued: LRUCache<string, IssuedToken>;
  /** Requests refused because the caller broke the protocol, in plain words; the latest few. */
  complaints: string[];
  /** Told of each complaint as it happens (`npm run step` prints them). */
  onComplaint?: (message: string) => void;
}

const KEPT_COMPLAINTS = 50;

/**
 * Notes a request the fake refused because the caller got the protocol wrong (a wrong
 * redirect_uri, an ID token where an access token belongs): what a learner needs to hear.
 */
export function complain(fake: FakeGoogle, message: string): void {
  if (!fake.complaints.includes(message)) fake.complaints.push(message);
  if (fake.complaints.length > KEPT_COMPLAINTS) fake.complaints.shift();
  fake.onComplaint?.(message);
}

/** Why a token a route did not issue was refused, when the caller sent the wrong kind. */
export function wrongToken(endpoint: string, value: string | null, carrier = ''): string | null {
  if (!value) return `${endpoint} was called without an access token${carrier ? ` ${carrier}` : ''}`;
  if (value.startsWith('eyJ')) return `${endpoint} was given the ID token: it takes the access token (ya29...)`;
  return null;
}

export function createIssuedTokens(): LRUCache<string, IssuedToken> {
  // ttlResolution 0: the clock read at each look, not kept for 1 ms by a timer a look.
  return new LRUCache({ max: 10_000, ttl: ACCESS_TOKEN_SECONDS * 1000, ttlResolution: 0 });
}

/** This fake's own origin, as the request reached it (Koa 3's ctx.origin is the Origin header). */
export function originOf(ctx: Context): string {
  return `${ctx.protocol}://${ctx.host}`;
}

/** The user's fields with {{google}} filled in with this fake's origin. */
export function userAt(user: FixtureUser, origin: string): Record<string, string> {
  const filled = fillPlaceholders(user as unknown as Json, { google: origin }) as Record<string, Json>;
  return Object.fromEntries(Object.entries(filled).map(([key, value]) => [key, String(value)]));
}

/** The placeholders a scenario's responses may use. */
export function scenarioVars(
  fake: FakeGoogle,
  scenario: Scenario,
  origin: string,
  token?: { value: string; issued: IssuedToken },
): Record<string, string> {
  const vars: Record<string, string> = {
    ...userAt(scenario.user, origin),
    google: origin,
    client_id: fake.client.clientId,
    scope: GRANTED_SCOPE,
  };
  if (token) {
    const exp = Math.floor(token.issued.issuedAt / 1000) + ACCESS_TOKEN_SECONDS;
    vars.access_token = token.value;
    vars.exp = String(exp);
    vars.expires_in = String(Math.max(0, exp - Math.floor(Date.now() / 1000)));
  }
  return vars;
}

/** Sends a recorded response: its status, its headers, its body with placeholders filled. */
export function sendRecorded(ctx: Context, template: ResponseTemplate, vars: Record<string, string> = {}, override?: JsonObject): void {
  let body = fillPlaceholders(template.body, vars);
  if (override && body !== null && typeof body === 'object' && !Array.isArray(body)) {
    body = { ...body, ...override };
  }
  ctx.status = template.status;
  ctx.set(template.headers);
  ctx.body = JSON.stringify(body);
}

/** A fixed response from fixtures/responses/, by file name. */
export function recorded(fake: FakeGoogle, name: string): ResponseTemplate {
  const template = fake.fixtures.responses[name];
  if (!template) throw new Error(`no fixtures/responses/${name}.json`);
  return template;
}

/** The access token from `Authorization: Bearer`, the query or a form body. */
export function accessTokenOf(ctx: Context): string | null {
  const header = ctx.get('authorization');
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer?.[1]) return bearer[1];
  const body = ctx.request.body as Record<string, unknown> | undefined;
  const fromQuery = ctx.query.access_token ?? ctx.query.token;
  const fromBody = body?.access_token ?? body?.token;
  for (const value of [fromQuery, fromBody]) if (typeof value === 'string' && value) return value;
  return null;
}
