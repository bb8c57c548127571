// A tiny HTTP client with a cookie jar: one Agent is one browser. It speaks node:http with a
// keep-alive pool of its own, as a browser does, and gives up on a request after
// REQUEST_TIMEOUT_MS with an error that names the request, so a stuck server costs seconds
// and says where it was stuck.
//
// Like a browser, it sends a request again when a kept-alive connection turns out to have
// been closed by the server (its idle timeout, 5 s in Node) just as the request went out:
// the server never read it. On a busy machine that race is real (a browser left idle while
// another floods the server), and without the retry a correct server fails with ECONNRESET.
//
// Hand-written on node:http, not a library, because of that retry. Node's fetch gives no
// way to know a connection was reused or to pool per browser (its undici Agent is not
// exposed); the undici package retries a POST only by method and error code, so it would
// also resend a request a fresh connection lost after the server read it (a crash the check
// must report), and it is a large package to load on every check. The jar is a Map: one
// origin, cookies set by the app under test; tough-cookie would refuse the Secure cookies
// a check behind a simulated TLS proxy (TRUST_PROXY, X-Forwarded-Proto) must send over
// plain http, and brings public-suffix data a single-origin jar never needs.
import http from 'node:http';

/** A hang guard, not a budget: the fake Google answers in milliseconds. */
export const REQUEST_TIMEOUT_MS = 20_000;

/** Connections one browser keeps to the server (each may go stale once). */
const MAX_SOCKETS = 6;

export interface SentRequest {
  method: string;
  /** Path and query, e.g. /gconnect?state=... */
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface Reply {
  status: number;
  /** The media type without parameters, e.g. "application/json"; "" when none was sent. */
  type: string;
  headers: Headers;
  body: string;
  /** Raw Set-Cookie headers of this reply. */
  setCookies: string[];
  /** What was sent for it, so a failed expectation can say so. */
  request: SentRequest;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Text, or bytes (a gzip body, say). */
  body?: string | Buffer;
}

/** The server did not answer in time; the message names the request. */
export class NoAnswer extends Error {
  override name = 'NoAnswer';
}

/** Says what a request was, in one line, for messages: "POST /gconnect?state=... (body: ...)". */
export function requestLine(request: SentRequest): string {
  const body = request.body ? ` (body: ${request.body.length > 40 ? `${request.body.slice(0, 40)}…` : request.body})` : '';
  return `${request.method} ${request.path}${body}`;
}

export class Agent {
  readonly cookies = new Map<string, string>();
  readonly #pool = new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  readonly base: string;
  /** Requests sent and not yet answered, shared with whoever watches this agent's check. */
  readonly #inFlight: Set<SentRequest>;
  readonly #timeoutMs: number;

  /** Sent with every request of this browser, e.g. what a TLS-terminating proxy adds. */
  readonly #headers: Record<string, string>;

  constructor(base: string, options: { inFlight?: Set<SentRequest>; timeoutMs?: number; headers?: Record<string, string> } = {}) {
    this.base = base;
    this.#inFlight = options.inFlight ?? new Set();
    this.#timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
    this.#headers = options.headers ?? {};
  }

  request(path: string, options: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...this.#headers, ...options.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const body = options.body;
    const sent: SentRequest = {
      method: options.method ?? 'GET',
      path,
      headers,
      body: typeof body === 'string' ? body : body ? `(${body.length} bytes)` : '',
    };
    const wire = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
    this.#inFlight.add(sent);
    return this.#send(sent, wire, body, MAX_SOCKETS).finally(() => this.#inFlight.delete(sent));
  }

  /** One try; `staleLeft` more when a reused connection was closed under it. */
  #send(sent: SentRequest, wire: Record<string, string>, body: string | Buffer | undefined, staleLeft: number): Promise<Reply> {
    return new Promise<Reply>((resolve, reject) => {
      let answered = false;
      const request = http.request(new URL(sent.path, this.base), { method: sent.method, headers: wire, agent: this.#pool }, (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const replyHeaders = new Headers();
          const raw = response.rawHeaders;
          for (let i = 0; i < raw.length; i += 2) replyHeaders.append(raw[i]!, raw[i + 1]!);
          const setCookies = replyHeaders.getSetCookie();
          for (const line of setCookies) this.#remember(line);
          resolve({
            status: response.statusCode ?? 0,
            type: (replyHeaders.get('content-type') ?? '').split(';')[0]!.trim(),
            headers: replyHeaders,
            body: Buffer.concat(chunks).toString('utf8'),
            setCookies,
            request: sent,
          });
        });
      });
      request.setTimeout(this.#timeoutMs, () => {
        request.destroy(
          new NoAnswer(`no answer in ${this.#timeoutMs / 1000} s to ${requestLine(sent)}: the server is stuck on this request`),
        );
      });
      request.on('error', (err: NodeJS.ErrnoException) => {
        // The server closed an idle connection as this request went out: it never saw it.
        if (request.reusedSocket && !answered && staleLeft > 0 && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) {
          resolve(this.#send(sent, wire, body, staleLeft - 1));
        } else {
          reject(err instanceof NoAnswer ? err : new Error(`${requestLine(sent)} failed: ${err.message}`));
        }
      });
      request.end(body);
    });
  }

  get(path: string): Promise<Reply> {
    return this.request(path);
  }

  /** Closes this browser's idle connections. */
  close(): void {
    this.#pool.destroy();
  }

  #remember(line: string): void {
    const [pair = '', ...attributes] = line.split(';');
    const at = pair.indexOf('=');
    const name = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    const expired = attributes.some((attribute) => {
      const [key = '', val = ''] = attribute.split('=').map((part) => part.trim());
      return (/^expires$/i.test(key) && Date.parse(val) <= Date.now()) || (/^max-age$/i.test(key) && Number(val) <= 0);
    });
    if (expired) this.cookies.delete(name);
    else this.cookies.set(name, value);
  }
}

/** A Set-Cookie line's attributes, lower-cased, e.g. {httponly: '', samesite: 'lax'}. */
export function cookieAttributes(line: string): Record<string, string> {
  const [, ...attributes] = line.split(';');
  return Object.fromEntries(
    attributes.map((attribute) => {
      const [key = '', ...rest] = attribute.split('=');
      return [key.trim().toLowerCase(), rest.join('=').trim().toLowerCase()];
    }),
  );
}
