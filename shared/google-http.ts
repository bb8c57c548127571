// Every call the server makes to Google (the fake offline) goes out here: through undici's
// `request` on one Agent, which keeps one pool of kept-alive connections per origin and
// closes an idle one before the server's announced Keep-Alive timeout runs out.
//
// Why not Node's fetch: on Node 20 one fetch to the fake cost the server about 1 ms of CPU
// (web streams, a Request and a Response, an AbortSignal each), several times what
// undici's request costs for the same call (about 0.15-0.4 ms measured here), and a sign-in
// makes three. google-auth-library still makes its calls (what to ask, and what the answers
// mean); the HTTP underneath is this module's (GoogleTransporter, below, instead of gaxios).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gaxios } from 'google-auth-library';
import { Agent, request } from 'undici';
import { noteGoogleCall } from './trace.ts';

/** The library's own User-Agent (google-api-nodejs-client/VERSION), as its interceptor set it. */
const USER_AGENT = `google-api-nodejs-client/${
  (JSON.parse(readFileSync(createRequire(import.meta.url).resolve('google-auth-library/package.json'), 'utf8')) as { version: string })
    .version
}`;

/** One per process: a pool per origin, shared by every app the process runs. */
const agent = new Agent({ keepAliveTimeout: 10_000 });

/** For tests: how many connections the pools hold, by origin (open or being opened). */
export function googleConnections(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [origin, stats] of Object.entries(agent.stats)) counts[origin] = Number(stats.connected);
  return counts;
}

export interface GoogleRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Ends the call (a caller's own reason to give up). */
  signal?: AbortSignal;
  /** The whole call (connection, headers, body) not over within this many ms of its start: it fails, a TimeoutError. */
  timeoutMs?: number;
}

export interface GoogleAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One call, its answer read whole (Google's answers are a few hundred bytes of JSON), noted in the sign-in's trace. */
export async function callGoogle(url: string, call: GoogleRequest = {}): Promise<GoogleAnswer> {
  const note = noteGoogleCall(url);
  let status: number | null = null;
  // The deadline: one timer, cleared when the call ends. (gaxios's own `timeout` made an
  // AbortSignal.timeout a call, whose timer nobody clears: it fired seconds after every call.)
  const deadline = call.timeoutMs === undefined ? null : new Deadline(call.timeoutMs, call.signal);
  try {
    const answer = await request(url, {
      dispatcher: agent,
      method: call.method ?? 'GET',
      headers: call.headers,
      body: call.body,
      signal: deadline?.signal ?? call.signal,
      // undici's own timeouts (300 s each by default) add timers of their own; the deadline covers both.
      ...(deadline && { headersTimeout: 0, bodyTimeout: 0 }),
    });
    status = answer.statusCode;
    return { status, headers: answer.headers, text: await answer.body.text() };
  } finally {
    deadline?.clear();
    note?.(status);
  }
}

/** Aborts its signal with a TimeoutError after `ms`, or when `outer` aborts; clear() when the call is over. */
class Deadline {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #outer: AbortSignal | undefined;
  readonly #onOuterAbort = () => this.#controller.abort(this.#outer?.reason);

  constructor(ms: number, outer?: AbortSignal) {
    this.#timer = setTimeout(() => this.#controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')), ms);
    this.#timer.unref();
    this.#outer = outer;
    if (outer?.aborted) this.#onOuterAbort();
    else outer?.addEventListener('abort', this.#onOuterAbort, { once: true });
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  clear(): void {
    clearTimeout(this.#timer);
    this.#outer?.removeEventListener('abort', this.#onOuterAbort);
  }
}

/**
 * A refusal's message as gaxios words it (its GaxiosError.extractAPIErrorFromResponse, which
 * its types leave out): Google's own `error` ("invalid_grant"), or `error.message`, or a text
 * body; else the status.
 */
function errorMessage(data: unknown, status: number): string {
  if (typeof data === 'string' && data) return data;
  const error = data && typeof data === 'object' && 'error' in data ? data.error : undefined;
  if (typeof error === 'string' && error) return error;
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') return error.message;
  return `Request failed with status code ${status}`;
}

/**
 * A Response whose body was read already: gaxios reads the status, the headers and the text;
 * `bodyUsed` tells its errors the data is there (a GaxiosError keeps `response.data` only
 * then). Without a body stream it costs a few µs, where a Response over a text costs 40.
 */
class ReadResponse extends Response {
  override readonly bodyUsed = true;
  override readonly text: () => Promise<string>;
  override readonly json = async (): Promise<unknown> => JSON.parse(await this.text());
  override readonly arrayBuffer = async (): Promise<ArrayBuffer> => new TextEncoder().encode(await this.text()).buffer as ArrayBuffer;
  override readonly blob = async (): Promise<Blob> => new Blob([await this.text()]);

  constructor(answer: GoogleAnswer) {
    const headers: [string, string][] = [];
    for (const [name, value] of Object.entries(answer.headers)) {
      if (typeof value === 'string') headers.push([name, value]);
      else if (value) for (const each of value) headers.push([name, each]);
    }
    super(null, { status: answer.status, headers });
    this.text = async () => answer.text;
  }
}

/** Request headers as gaxios's callers give them (a Headers, an object, pairs): one plain object. */
function headersOf(given: gaxios.GaxiosOptions['headers']): Record<string, string> {
  if (given === undefined) return {};
  if (given instanceof Headers) return Object.fromEntries(given);
  if (Array.isArray(given)) return Object.fromEntries(given);
  return { ...(given as Record<string, string>) };
}

/** What gaxios makes of an answer's body: JSON when it says so (text if it does not parse), else the text. */
function dataOf(answer: GoogleAnswer): unknown {
  const type = answer.headers['content-type'];
  if (answer.status === 204) return '';
  if (typeof type === 'string' && type.toLowerCase().includes('application/json')) {
    try {
      return JSON.parse(answer.text) as unknown;
    } catch {
      return answer.text;
    }
  }
  return answer.text;
}

/**
 * google-auth-library's transporter: its calls (the code exchange, tokeninfo, the certificates,
 * revoke) go straight to callGoogle, each over within `timeoutMs`. A Gaxios, for the library's
 * types, whose `request` does only what these calls need: the method, URL, headers and form body
 * it is given; the answer's data parsed as gaxios parses it; a GaxiosError for a status outside
 * 2xx or no answer, as gaxios throws. What it leaves out costs more CPU than the call itself:
 * gaxios's deep copy of every option, its URL and header rebuilding, its request and response
 * interceptors (the library's debug logging), a Response built from the answer. No retries, as
 * before (the kit turned gaxios's off: a sign-in fails fast and says so).
 */
export class GoogleTransporter extends gaxios.Gaxios {
  readonly #timeoutMs: number;
  /** The headers the library's interceptors added to every call (its client and Node versions). */
  readonly #always: Record<string, string>;

  constructor(timeoutMs: number) {
    super();
    this.#timeoutMs = timeoutMs;
    this.#always = { 'x-goog-api-client': `gl-node/${process.versions.node}`, 'user-agent': USER_AGENT };
  }

  override async request<T>(options: gaxios.GaxiosOptions = {}): Promise<gaxios.GaxiosResponse<T>> {
    const url = String(options.url);
    const method = (options.method ?? 'GET').toUpperCase();
    // Only what an error keeps: never the query (revoke's carries the token), headers or body.
    const where = new URL(url);
    where.search = '';
    const config = { url: where, method, headers: new Headers(), responseType: 'unknown' } as gaxios.GaxiosOptionsPrepared;
    if (method !== 'GET' && method !== 'POST') throw new gaxios.GaxiosError(`a call to Google with method ${method}`, config);
    const headers = { ...this.#always, ...headersOf(options.headers) };
    let body: string | undefined;
    if (options.data instanceof URLSearchParams) {
      body = options.data.toString();
      if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type'))
        headers['content-type'] = 'application/x-www-form-urlencoded;charset=UTF-8';
    } else if (typeof options.data === 'string') body = options.data;
    else if (options.data != null) throw new gaxios.GaxiosError('a call to Google with a body that is neither text nor a form', config);
    let answer: GoogleAnswer;
    try {
      answer = await callGoogle(url, { method, headers, body, timeoutMs: this.#timeoutMs });
    } catch (err) {
      throw new gaxios.GaxiosError(err instanceof Error ? err.message : String(err), config, undefined, err);
    }
    const response = Object.assign(new ReadResponse(answer), { config, data: dataOf(answer) as T });
    if (answer.status < 200 || answer.status > 299) {
      throw new gaxios.GaxiosError(errorMessage(response.data, answer.status), config, response);
    }
    return response;
  }
}
