// A tiny HTTP client with a cookie jar: one Agent is one browser.

export interface Reply {
  status: number;
  /** The media type without parameters, e.g. "application/json". */
  type: string;
  headers: Headers;
  body: string;
  /** Raw Set-Cookie headers of this reply. */
  setCookies: string[];
  /** What was sent for it, so a failed expectation can say so. */
  request: SentRequest;
}

export interface SentRequest {
  method: string;
  /** Path and query, e.g. /gconnect?state=... */
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export class Agent {
  readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  async request(path: string, options: RequestOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    const method = options.method ?? 'GET';
    const response = await fetch(new URL(path, this.base), { method, headers, body: options.body, redirect: 'manual' });
    const setCookies = response.headers.getSetCookie();
    for (const line of setCookies) this.#remember(line);
    return {
      status: response.status,
      type: (response.headers.get('content-type') ?? '').split(';')[0]!.trim(),
      headers: response.headers,
      body: await response.text(),
      setCookies,
      request: { method, path, headers, body: options.body ?? '' },
    };
  }

  get(path: string): Promise<Reply> {
    return this.request(path);
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
