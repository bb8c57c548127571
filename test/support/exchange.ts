// Says in plain words what a test sent and what came back, for the message of a failed
// expectation: `npm run check` shows it to the learner as it is (after normalising ports
// and random tokens), so keep the layout stable.
import type { Reply, SentRequest } from './agent.ts';

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
  rest.push(cookie ? `cookies: ${cookie.split('; ').map((pair) => pair.split('=')[0]).join(', ')}` : 'cookies: none');
  if (request.body) rest.push(`body: ${shorten(request.body, 80)}`);
  return lines('sent:', `${request.method} ${request.path}`, rest);
}

export interface Answer {
  status: number;
  type: string;
  /** Undefined: any body. */
  body?: string;
}

function describeAnswer(answer: Answer): string {
  return [String(answer.status), answer.type || '(no content type)', answer.body === undefined ? '' : shorten(answer.body)].filter(Boolean).join(' ');
}

/** sent / expected / got, one block; `expected` leaves out what the test does not check. */
export function describeExchange(reply: Reply, expected: Answer): string {
  const got: Answer = { status: reply.status, type: reply.type, body: expected.body === undefined && reply.status < 400 ? undefined : reply.body };
  return [...describeRequest(reply.request), ...lines('expected:', describeAnswer(expected)), ...lines('got:', describeAnswer(got))].join('\n');
}
