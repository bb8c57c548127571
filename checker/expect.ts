// Expectations on a reply, whose failure messages say what was sent, expected and got.
import assert from 'node:assert/strict';
import type { Reply } from './agent.ts';
import { describeExchange, describeRequest, explain, markDifference, shorten, stagesOf, stoppedAt, type StoppedAt } from './exchange.ts';
import { normalise } from './normalise.ts';

export { verbatim } from './normalise.ts';

/** The seed's answer shape: a status, Content-Type application/json, a JSON string body. */
export function expectJson(reply: Reply, status: number, message: string): void {
  const expected = { status, type: 'application/json', body: JSON.stringify(message) };
  assert.deepEqual({ status: reply.status, type: reply.type, body: reply.body }, expected, describeExchange(reply, expected));
}

export function expectHtml(reply: Reply, status = 200): void {
  const expected = { status, type: 'text/html' };
  try {
    assert.deepEqual({ status: reply.status, type: reply.type }, expected, describeExchange(reply, expected));
  } catch (error) {
    throw Object.assign(error as Error, { stoppedAt: stoppedAt(reply) });
  }
}

/**
 * A failed expectation on an answer that should have gone through a stage: `stoppedAt` says
 * at which stage, and how, the chain stopped. A failed precondition (the check needed a
 * whole sign-in) is that stage's step's fault, not the check's.
 */
export interface ChainFailure extends Error {
  precondition?: true;
  stoppedAt: StoppedAt | null;
}

export function isChainFailure(error: unknown): error is ChainFailure {
  return error instanceof Error && 'stoppedAt' in error;
}

/**
 * A sign-in that must succeed before the check can look further: 200, any body. Not the
 * check's own rule but its precondition: a later stage that refuses or throws is that
 * stage's fault, and the failure says which stage it was.
 */
export function expectSuccess(reply: Reply): void {
  if (reply.status === 200) return;
  const expected = { status: 200, type: '(any type): a whole sign-in, which this check needs before it can look further' };
  const error = new assert.AssertionError({ message: describeExchange(reply, expected) });
  throw Object.assign(error, { precondition: true as const, stoppedAt: stoppedAt(reply) });
}

/** An HTML answer whose body must be exactly `html`; a mismatch is marked where it starts. */
export function expectMarkup(reply: Reply, html: string): void {
  expectHtml(reply);
  if (reply.body === html) return;
  assert.fail([...describeRequest(reply.request), ...markDifference(html, reply.body), ...explain(reply)].join('\n'));
}

/** An answer of this step's own rejections, as status and JSON message. */
export interface Rejection {
  status: number;
  message: string;
}

/**
 * The answer must not be one of `rejections` (a stage's own refusals): a good request gets
 * through this stage, whatever later stages make of it.
 */
export function expectNotRejected(reply: Reply, rejections: Rejection[], why: string): void {
  const hit = rejections.find(
    ({ status, message }) => reply.status === status && reply.type === 'application/json' && reply.body === JSON.stringify(message),
  );
  if (!hit) return;
  fail(
    reply,
    [
      ...describeRequest(reply.request),
      `expected: ${why}; not ${rejections.map(({ status, message }) => `${status} ${JSON.stringify(message)}`).join(', nor ')}`,
      `got:      ${reply.status} ${reply.type || '(no content type)'} ${shorten(normalise(reply.body))}`,
      ...stagesOf(reply),
      ...explain(reply),
    ].join('\n'),
  );
}

/**
 * An expectation in the check's words, for what a status and a body cannot say (a cookie's
 * attributes, what the store holds, what Google knows): `expected` says what should be so,
 * `got` what is (worked out only on failure), `sent` the request whose answer it is about.
 * The learner reads sent / expected / got, never a bare label.
 */
export function expectThat(ok: boolean, expectation: { sent?: Reply; expected: string; got: string | (() => string) }): asserts ok {
  if (ok) return;
  const { sent, expected } = expectation;
  const got = typeof expectation.got === 'function' ? expectation.got() : expectation.got;
  const block = (label: string, text: string) =>
    text
      .split('\n')
      .map((line, index) => (index === 0 ? label.padEnd(10) : ' '.repeat(10)) + line)
      .join('\n');
  const message = [...(sent ? describeRequest(sent.request) : []), block('expected:', expected), block('got:', got)].join('\n');
  if (sent) fail(sent, message);
  throw new assert.AssertionError({ message });
}

/**
 * What came back, in one line for a got: line: the status and type, where a redirect goes, a
 * JSON answer's body, a page's heading and the refusal it states (not its whole markup).
 */
export function answered(reply: Reply): string {
  const parts = [String(reply.status), reply.type || '(no content type)'];
  const location = reply.headers.get('location');
  if (location !== null) parts.push(`to ${location}`);
  else if (reply.type === 'application/json') parts.push(shorten(reply.body, 120));
  else if (reply.type === 'text/html') {
    const text = (pattern: RegExp) => pattern.exec(reply.body)?.[1]?.replace(/\s+/g, ' ').trim();
    const heading = text(/<h1[^>]*>([\s\S]*?)<\/h1>/);
    const refused = text(/<p id="refused"[^>]*>([\s\S]*?)<\/p>/);
    parts.push(
      heading === undefined
        ? `a page without an <h1>: ${shorten(JSON.stringify(reply.body.slice(Math.max(0, reply.body.indexOf('<body')))), 120)}`
        : `a page headed "${heading}"`,
    );
    if (refused !== undefined) parts.push(`that says "${refused}"`);
  } else if (reply.body) parts.push(shorten(JSON.stringify(reply.body), 120));
  return parts.join(' ');
}

/**
 * Where `needle` is in a page, in a few characters either side, for a got: line: `…"<li>the
 * note</li>"…`; `missing` when it is not there.
 */
export function around(body: string, needle: string | RegExp, missing: string, width = 60): string {
  let at = -1;
  let length = 0;
  if (typeof needle === 'string') [at, length] = [body.indexOf(needle), needle.length];
  else {
    const found = needle.exec(body);
    if (found) [at, length] = [found.index, found[0].length];
  }
  if (at < 0) return missing;
  const from = Math.max(0, at - width);
  const to = Math.min(body.length, at + length + width);
  return `${from > 0 ? '…' : ''}${JSON.stringify(body.slice(from, to))}${to < body.length ? '…' : ''}`;
}

/** What a session holds, in words: its keys (the store's bookkeeping left out). */
export function holding(session: Record<string, unknown>): string {
  const keys = Object.keys(session).filter((key) => !key.startsWith('_'));
  return keys.length > 0 ? `holding ${keys.join(', ')}` : 'holding nothing';
}

/**
 * No access or ID token in a page: the token must not reach the browser (a script of the
 * page, an extension or a cached copy would hold the user's Google account).
 */
export function expectNoTokens(reply: Reply, accessToken?: string): void {
  const found = /\bya29\.[\w.-]+|\beyJ[\w-]+\.[\w-]+\.[\w-]*/.exec(reply.body);
  const own = accessToken && !found && reply.body.includes(accessToken) ? accessToken : undefined;
  const leaked = found?.[0] ?? own;
  if (leaked === undefined) return;
  const at = reply.body.indexOf(leaked);
  expectThat(false, {
    sent: reply,
    expected: 'a page without the access token or the ID token: a token must not reach the browser',
    got: `${leaked.startsWith('eyJ') ? 'the ID token' : 'the access token'} in the page, at character ${at + 1}: …${JSON.stringify(reply.body.slice(Math.max(0, at - 40), at + leaked.length + 20))}…`,
  });
}

/** An AssertionError with `message`, that says where `reply`'s chain stopped. */
function fail(reply: Reply, message: string): never {
  throw Object.assign(new assert.AssertionError({ message }), { stoppedAt: stoppedAt(reply) });
}

/** The Content-Security-Policy of a reply, by directive: {'script-src': ["'self'", ...]}. */
export function cspOf(reply: Reply): Record<string, string[]> {
  const header = reply.headers.get('content-security-policy') ?? '';
  return Object.fromEntries(
    header
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name = '', ...sources]) => [name, sources]),
  );
}

/** The headers every answer of the app carries, whatever it is. */
export function expectProtected(reply: Reply): void {
  const header = (name: string, expected: string, ok: (value: string) => boolean) => {
    const value = reply.headers.get(name);
    expectThat(value !== null && ok(value), {
      sent: reply,
      expected: `${name}: ${expected}`,
      got: value === null ? `no ${name} header (answer ${reply.status})` : `${name}: ${value}`,
    });
  };
  header('X-Content-Type-Options', 'nosniff', (value) => value === 'nosniff');
  header('Referrer-Policy', 'no-referrer or strict-origin-when-cross-origin', (value) =>
    /^(no-referrer|strict-origin-when-cross-origin)$/.test(value),
  );
  header('Cross-Origin-Opener-Policy', "same-origin-allow-popups (GIS's popup needs it)", (value) => value === 'same-origin-allow-popups');
  header('X-Frame-Options', 'DENY', (value) => value === 'DENY');
  header('Content-Security-Policy', "one with frame-ancestors 'none'", () => cspOf(reply)['frame-ancestors']?.join(' ') === "'none'");
}
