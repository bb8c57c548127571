// Every call the server makes to Google (the fake offline) goes out here: through Node's own
// http (https for Google itself), on one keep-alive Agent per protocol, which keeps a pool of
// connections per origin and closes an idle one before the server's announced Keep-Alive
// timeout runs out (10 s when it announces none).
//
// Why not fetch, or the undici package: Node's http parses answers in native code, where both
// run llhttp compiled to WebAssembly and a client written in JavaScript. Measured here (Node 20,
// a POST and its JSON answer, one at a time): a fresh process's first 500 calls cost 0.5-0.75 ms
// of CPU each with http, 1.1-1.7 ms with undici's request, 2.5 ms with fetch; warm, http costs
// no more than undici. A sign-in makes three, and every new server starts cold.
// google-auth-library still makes its calls (what to ask, and what the answers mean); the HTTP
// underneath is this module's (GoogleTransporter, below, instead of gaxios).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import { gaxios } from 'google-auth-library';
import { noteGoogleCall } from './trace.ts';

/** The library's own User-Agent (google-api-nodejs-client/VERSION), as its interceptor set it. */
const USER_AGENT = `google-api-nodejs-client/${
  (JSON.parse(readFileSync(createRequire(import.meta.url).resolve('google-auth-library/package.json'), 'utf8')) as { version: string })
    .version
}`;

/** An idle connection is closed after this long, or 1 s before the server's own Keep-Alive timeout. */
const IDLE_MS = 10_000;

/** One per process and protocol: a pool per origin, shared by every app the process runs. */
const agents = {
  'http:': new http.Agent({ keepAlive: true, timeout: IDLE_MS }),
  'https:': new https.Agent({ keepAlive: true, timeout: IDLE_MS }),
} as const;

/** Google's answers are a few hundred bytes of JSON: one far larger is not read to the end. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/** For tests: the connections the pools hold, by origin: in use by a call, and idle (kept for the next). */
export function googleConnections(): Record<string, { inUse: number; idle: number }> {
  const counts: Record<string, { inUse: number; idle: number }> = {};
  for (const [protocol, agent] of Object.entries(agents)) {
    for (const [kind, pool] of [
      ['inUse', agent.sockets],
      ['idle', agent.freeSockets],
    ] as const) {
      for (const [name, sockets] of Object.entries(pool)) {
        // An Agent names a pool host:port:..., the rest being TLS options.
        const [host, port] = name.split(':');
        const origin = port ? `${protocol}//${host}:${port}` : `${protocol}//${host}`;
        counts[origin] ??= { inUse: 0, idle: 0 };
        counts[origin][kind] += sockets?.length ?? 0;
      }
    }
  }
  return counts;
}

export interface GoogleRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Ends the call (a caller's own reason to give up). */
  signal?: AbortSignal;
  /** The whole call (connection, headers, body) not over within this many ms of its start: it fails, a TimeoutError. */
  timeoutMs: number;
}

export interface GoogleAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One call, its answer read whole (Google's answers are a few hundred bytes of JSON), noted in the sign-in's trace. */
export async function callGoogle(url: string, call: GoogleRequest): Promise<GoogleAnswer> {
  const note = noteGoogleCall(url);
  let status: number | null = null;
  // The deadline: one timer, cleared when the call ends. (gaxios's own `timeout` made an
  // AbortSignal.timeout a call, whose timer nobody clears: it fired seconds after every call.)
  // Required: a server that sends its headers and then stalls would hold a call without one.
  const deadline = new Deadline(call.timeoutMs, call.signal);
  try {
    const answer = await send(new URL(url), call, deadline.signal);
    status = answer.status;
    return answer;
  } finally {
    deadline.clear();
    note?.(status);
  }
}

/** The request, and its answer read whole; an abort of `signal` ends it with the signal's reason. */
function send(url: URL, call: GoogleRequest, signal: AbortSignal | undefined): Promise<GoogleAnswer> {
  const protocol = url.protocol;
  if (protocol !== 'http:' && protocol !== 'https:') return Promise.reject(new TypeError(`not an http(s) URL: ${protocol}`));
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { ...call.headers };
    if (call.body !== undefined) headers['content-length'] = Buffer.byteLength(call.body);
    const options = { method: call.method ?? 'GET', headers, agent: agents[protocol] };
    const request = (protocol === 'https:' ? https : http).request(url, options, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) fail(new Error(`an answer over ${MAX_ANSWER_BYTES} bytes`));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        signal?.removeEventListener('abort', onAbort);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8') });
      });
      response.on('error', fail);
      // The server closed the connection before the answer's end.
      response.on('close', () => {
        if (!response.complete) fail(new Error('the answer was cut short'));
      });
    });
    // The first of an abort, a failed connection or an answer cut short settles the call; the
    // connection is destroyed, never handed back to the pool half read.
    function fail(err: unknown): void {
      signal?.removeEventListener('abort', onAbort);
      request.destroy();
      reject(err);
    }
    function onAbort(): void {
      fail(signal?.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', fail);
    request.end(call.body);
  });
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
    // A status outside 200-599 is no answer of Google's (and a Response would throw a
    // RangeError on it): a failure without a response, as when there is no answer at all.
    if (answer.status < 200 || answer.status > 599) {
      throw new gaxios.GaxiosError(`an answer with status ${answer.status}, which is no HTTP status`, config);
    }
    const response = Object.assign(new ReadResponse(answer), { config, data: dataOf(answer) as T });
    if (answer.status < 200 || answer.status > 299) {
      throw new gaxios.GaxiosError(errorMessage(response.data, answer.status), config, response);
    }
    return response;
  }
}
