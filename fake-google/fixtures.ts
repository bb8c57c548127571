// Loads fixtures/: users, recorded response templates and scenarios (one JSON file each).
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** A response as Google sends it: status, headers and body, with {{placeholders}} in strings. */
export interface ResponseTemplate {
  status: number;
  headers: Record<string, string>;
  body: Json;
}

export interface FixtureUser {
  sub: string;
  email: string;
  email_verified: boolean;
  name: string;
  given_name: string;
  family_name: string;
  picture: string;
  locale: string;
}

export type Endpoint = 'token' | 'tokeninfo' | 'userinfo' | 'revoke';

export type IdTokenKey = 'test' | 'forger' | 'unknown-kid';
const ID_TOKEN_KEYS: readonly IdTokenKey[] = ['test', 'forger', 'unknown-kid'];

export interface Scenario {
  /** The file's name without .json, e.g. "alice". */
  name: string;
  /** The authorization code that selects this scenario, e.g. "4/fixture-alice". */
  code: string;
  label: string;
  says: string;
  userName: string;
  user: FixtureUser;
  responses: Record<Endpoint, ResponseTemplate>;
  /** Fields laid over the rendered body of an endpoint, or over the ID token's claims. */
  override: Partial<Record<Endpoint | 'idToken', JsonObject>>;
  /**
   * Which key signs the ID token: the one the certs list ("test"), another under the listed
   * kid ("forger"), or another under a kid the certs do not list ("unknown-kid").
   */
  idTokenKey: IdTokenKey;
  idTokenIssuedSecondsAgo: number;
  /** How long an endpoint waits before it answers, to play a Google that does not answer. */
  delayMs: Partial<Record<Endpoint, number>>;
  /** Where the scenario stands in lists (the sign-in window, `npm run step`); lower first. */
  order: number;
  /** The step that brings the code in: its chapter lists it (kit/manifest.ts reads it). */
  step: number;
}

export interface Fixtures {
  users: Record<string, FixtureUser>;
  responses: Record<string, ResponseTemplate>;
  /** By authorization code. */
  scenarios: Map<string, Scenario>;
}

const DEFAULT_RESPONSES: Record<Endpoint, string> = {
  token: 'token-ok',
  tokeninfo: 'tokeninfo-ok',
  userinfo: 'userinfo-ok',
  revoke: 'revoke-ok',
};

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`fixture ${file}: ${(err as Error).message}`);
  }
}

function readJsonDir(dir: string): Map<string, unknown> {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort();
  return new Map(files.map((file) => [basename(file, '.json'), readJson(join(dir, file))]));
}

interface ScenarioFile {
  code: string;
  label: string;
  says: string;
  user: string;
  responses?: Partial<Record<Endpoint, string>>;
  override?: Scenario['override'];
  idTokenKey?: IdTokenKey;
  idTokenIssuedSecondsAgo?: number;
  order?: number;
  delayMs?: Partial<Record<Endpoint, number>>;
  step: number;
}

function toScenario(name: string, raw: ScenarioFile, fixtures: Omit<Fixtures, 'scenarios'>): Scenario {
  const where = `fixtures/scenarios/${name}.json`;
  if (typeof raw.code !== 'string' || typeof raw.label !== 'string' || typeof raw.says !== 'string') {
    throw new Error(`${where}: needs string fields code, label and says`);
  }
  const user = fixtures.users[raw.user];
  if (!user) throw new Error(`${where}: no user "${raw.user}" in fixtures/users.json`);
  // Required, so that a new scenario is one file and still lands in its step's chapter.
  if (!Number.isInteger(raw.step) || raw.step < 0) throw new Error(`${where}: needs "step", the number of the step that brings it in`);
  if (raw.idTokenKey !== undefined && !ID_TOKEN_KEYS.includes(raw.idTokenKey)) {
    throw new Error(`${where}: idTokenKey is one of ${ID_TOKEN_KEYS.join(', ')}`);
  }
  const responses = {} as Record<Endpoint, ResponseTemplate>;
  for (const endpoint of Object.keys(DEFAULT_RESPONSES) as Endpoint[]) {
    const file = raw.responses?.[endpoint] ?? DEFAULT_RESPONSES[endpoint];
    const template = fixtures.responses[file];
    if (!template) throw new Error(`${where}: no response "${file}" in fixtures/responses/`);
    responses[endpoint] = template;
  }
  return {
    name,
    code: raw.code,
    label: raw.label,
    says: raw.says,
    userName: raw.user,
    user,
    responses,
    override: raw.override ?? {},
    idTokenKey: raw.idTokenKey ?? 'test',
    idTokenIssuedSecondsAgo: raw.idTokenIssuedSecondsAgo ?? 0,
    order: raw.order ?? 100,
    delayMs: raw.delayMs ?? {},
    step: raw.step,
  };
}

export function loadFixtures(dir = FIXTURES_DIR): Fixtures {
  const users = readJson(join(dir, 'users.json')) as Record<string, FixtureUser>;
  const responses = Object.fromEntries(readJsonDir(join(dir, 'responses'))) as Record<string, ResponseTemplate>;
  const list = [...readJsonDir(join(dir, 'scenarios'))].map(([name, raw]) => toScenario(name, raw as ScenarioFile, { users, responses }));
  list.sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
  const scenarios = new Map<string, Scenario>();
  for (const scenario of list) {
    if (scenarios.has(scenario.code)) throw new Error(`fixtures/scenarios/${scenario.name}.json: code ${scenario.code} is used twice`);
    scenarios.set(scenario.code, scenario);
  }
  return { users, responses, scenarios };
}

/** Replaces every {{name}} in every string of a template; an unknown name is a fixture bug. */
export function fillPlaceholders(value: Json, vars: Readonly<Record<string, string>>): Json {
  if (typeof value === 'string') {
    return value.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
      const filled = vars[name];
      if (filled === undefined) throw new Error(`fixture placeholder {{${name}}} has no value`);
      return filled;
    });
  }
  if (Array.isArray(value)) return value.map((item) => fillPlaceholders(item, vars));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, fillPlaceholders(item, vars)]));
  }
  return value;
}
