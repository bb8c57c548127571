// Every call the server makes to Google (the fake offline) goes out here: through undici's
// `request` on one Agent, which keeps one pool of kept-alive connections per origin and
// closes an idle one before the server's announced Keep-Alive timeout runs out.
//
// Why not Node's fetch: on Node 20 one fetch to the fake cost the server about 1 ms of CPU
// (web streams, a Request and a Response, an AbortSignal each), several times what
// undici's request costs for the same call (about 0.15-0.4 ms measured here), and a sign-in
// makes three. google-auth-library still makes its calls (gaxios builds them and reads the
// answers); only the HTTP underneath is this module's (its `fetchImplementation`).
import { Agent, request } from 'undici';
import { noteGoogleCall } from './trace.ts';

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

/** The body gaxios hands on: a string, or URLSearchParams (a form, as the code exchange sends). */
function bodyOf(init: RequestInit | undefined, headers: Headers): string | undefined {
  const body = init?.body;
  if (body == null) return undefined;
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) {
    if (!headers.has('content-type')) headers.set('content-type', 'application/x-www-form-urlencoded;charset=UTF-8');
    return body.toString();
  }
  throw new TypeError('a call to Google with a body that is neither text nor a form');
}

/** gaxios's `fetchImplementation`: its calls, through callGoogle, each over within `timeoutMs`. */
export function googleFetch(timeoutMs: number): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const headers = new Headers(init?.headers);
    const body = bodyOf(init, headers);
    const method = (init?.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'POST') throw new TypeError(`a call to Google with method ${method}`);
    const answer = await callGoogle(url, {
      method,
      headers: Object.fromEntries(headers),
      body,
      signal: init?.signal ?? undefined,
      timeoutMs,
    });
    return new ReadResponse(answer);
  };
}
