// Says in plain words what a check sent and what came back, for the message of a failed
// expectation: `npm run check` shows it to the learner as it is, so keep the layout stable.
// Ports, tokens and other random values are normalised first, so the text is the same from
// run to run and a caret under the first difference stays where it belongs.
import type { Reply, SentRequest } from './agent.ts';
import { normalise } from './normalise.ts';
import { parseServerTiming } from '#shared/server-timing.ts';

/** The request headers a learner's stage looks at; the others are noise. */
const HEADERS_THAT_MATTER = ['x-requested-with', 'content-type'];

const LABEL = 10;

export function shorten(text: string, max = 300): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters in all)`;
}

function lines(label: string, first: string, rest: string[] = []): string[] {
  return [`${label.padEnd(LABEL)}${first}`, ...rest.map((line) => `${''.padEnd(LABEL)}${line}`)];
}

export function describeRequest(request: SentRequest): string[] {
  const rest: string[] = [];
  for (const [name, value] of Object.entries(request.headers)) {
    if (HEADERS_THAT_MATTER.includes(name.toLowerCase())) rest.push(`${name}: ${value}`);
  }
  const cookie = request.headers.cookie;
  // Cookie values are random; their names say whether the browser had a session.
  rest.push(
    cookie
      ? `cookies: ${cookie
          .split('; ')
          .map((pair) => pair.split('=')[0])
          .join(', ')}`
      : 'cookies: none',
  );
  if (request.body) rest.push(`body: ${shorten(request.body, 80)}`);
  return lines('sent:', normalise(`${request.method} ${request.path}`), rest.map(normalise));
}

export interface Answer {
  status: number;
  type: string;
  /** Undefined: any body. */
  body?: string;
}

function describeAnswer(answer: Answer): string {
  return [String(answer.status), answer.type || '(no content type)', answer.body === undefined ? '' : shorten(normalise(answer.body))]
    .filter(Boolean)
    .join(' ');
}

/**
 * What an answer of a well-known shape means, in plain words. Koa answers 404 Not Found
 * itself when no middleware set a body: for POST /gconnect that is a chain that stopped.
 */
export function explain(reply: Reply): string[] {
  if (reply.request.path.startsWith('/gconnect') && reply.request.method === 'POST' && reply.status === 404) {
    return [
      'note:     a 404 is what Koa answers when no stage of POST /gconnect answered. The chain stopped',
      '          before the route answered: a stage returned without answering and without `await next()`,',
      '          or called `next()` without `await`, so Koa sent its answer before the later stages ran.',
    ];
  }
  if (reply.status === 502 && reply.body === JSON.stringify("Google refused the server's request.")) {
    // shared/errors.ts: what a stage let through from a call to Google is the server's failure, never the client's 4xx.
    const stop = stoppedAt(reply);
    const who = stop?.outcome === 'threw' ? `${stop.stage} threw` : 'a stage threw';
    return [
      `note:     ${who}: Google refused one of its calls and nothing caught it. The kit answers that 502, the`,
      "          server's failure, and logs it (below), never passing Google's 4xx on as the client's. Catch it in",
      '          the stage, and answer as this step says.',
    ];
  }
  if (reply.status === 500) {
    // The trace tells a stage that answered 500 on purpose from one that threw.
    const stop = stoppedAt(reply);
    if (stop?.outcome === 'answered') return [`note:     ${stop.stage} answered 500 itself: nothing threw.`];
    if (stop?.outcome === 'threw') return [`note:     a 500 means your server threw: ${stop.stage} did; what it logged is below.`];
    return ['note:     a 500 means your server threw; what it logged is below.'];
  }
  return [];
}

/**
 * The stages the answer went through, from its Server-Timing header (the kit's trace, see
 * shared/trace.ts): require-xhr ✔ check-state ✔ match-user ✘ answered 401. Empty without one.
 */
export function stagesOf(reply: Reply): string[] {
  const header = reply.headers.get('server-timing');
  if (!header) return [];
  // The stages are the metrics with a desc that are not calls to Google (total has none).
  const stages = parseServerTiming(header)
    .filter(({ name, desc }) => desc !== undefined && !name.startsWith('google-'))
    .map(({ name, desc = '' }) => {
      if (desc === 'next') return `${name} ✔`;
      const [what = '', status = ''] = desc.split(' ');
      // An answer that is not an error is where a chain should end; anything else stopped it.
      return what === 'answered' && Number(status) < 400
        ? `${name} answered ${status}`
        : `${name} ✘ ${what} ${/^\d+$/.test(status) ? status : ''}`.trim();
    });
  return stages.length > 0 ? lines('stages:', stages.join('  ')) : [];
}

/** Where a chain stopped: the stage that answered, threw or stopped, and what it answered. */
export interface StoppedAt {
  /** The stage's name, as its file is named: validate-tokens. */
  stage: string;
  outcome: 'answered' | 'threw' | 'stopped';
  status?: number;
  /** The answer's JSON message, or its media type. */
  message?: string;
}

/** The stage where the answer's chain stopped, from its Server-Timing header; null without one. */
export function stoppedAt(reply: Reply): StoppedAt | null {
  const header = reply.headers.get('server-timing');
  if (!header) return null;
  const last = parseServerTiming(header)
    .filter(({ name, desc }) => desc !== undefined && !name.startsWith('google-'))
    .findLast(({ desc }) => desc !== 'next');
  if (!last) return null;
  const [, what = '', status, message] = /^(\w+)(?: (\d+))?(?: (.*))?$/s.exec(last.desc ?? '') ?? [];
  if (what !== 'answered' && what !== 'threw' && what !== 'stopped') return null;
  return {
    stage: last.name,
    outcome: what,
    ...(status === undefined ? {} : { status: Number(status) }),
    ...(message === undefined ? {} : { message }),
  };
}

/** sent / expected / got, one block; `expected` leaves out what the check does not look at. */
export function describeExchange(reply: Reply, expected: Answer): string {
  const got: Answer = {
    status: reply.status,
    type: reply.type,
    body: expected.body === undefined && reply.status < 400 ? undefined : reply.body,
  };
  return [
    ...describeRequest(reply.request),
    ...lines('expected:', describeAnswer(expected)),
    ...lines('got:', describeAnswer(got)),
    ...stagesOf(reply),
    ...explain(reply),
  ].join('\n');
}

/**
 * Two texts that should be equal, one above the other, cut around their first difference,
 * with a caret under it: markup that must match character for character.
 */
export function markDifference(expected: string, got: string, context = 60): string[] {
  const [want, have] = [normalise(expected), normalise(got)];
  let at = 0;
  while (at < want.length && at < have.length && want[at] === have[at]) at++;
  const from = Math.max(0, at - context);
  const cut = (text: string) =>
    `${from > 0 ? '…' : ''}${JSON.stringify(text.slice(from, at + context))}${at + context < text.length ? '…' : ''}`;
  // The caret sits under the first character that differs, past the opening quote.
  const column = LABEL + (from > 0 ? 1 : 0) + JSON.stringify(want.slice(from, at)).length - 1;
  return [
    ...lines('expected:', cut(want)),
    ...lines('got:', cut(have)),
    `${' '.repeat(column)}^ the first difference, at character ${at + 1}`,
  ];
}
