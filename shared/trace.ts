// A trace of every sign-in, for the learner: each stage of the chain, timed, with what it did
// (handed on, answered, stopped, threw), and each call to Google. The chain is wrapped where
// the route is mounted, so the stage files know nothing of it. The answer carries it in a
// Server-Timing header (the browser's devtools draw it); `npm run step` prints it.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context, Middleware } from 'koa';
import { whenAnswered } from './answered.ts';
import { redactTokens } from './errors.ts';
import { formatServerTiming } from './server-timing.ts';

export interface StageTrace {
  /** The stage's name, as its file is named: match-user. */
  name: string;
  /** Time in the stage itself, without the stages after it, in ms. */
  ms: number;
  /** next: it handed on; answered: it set the answer; stopped: neither; threw: an exception. */
  outcome: 'next' | 'answered' | 'stopped' | 'threw';
  status?: number;
  /** The answer's media type, e.g. application/json. */
  type?: string;
  /** The answer's JSON message, or what was thrown (for the terminal only): never a token. */
  message?: string;
}

export interface GoogleCall {
  /** token, tokeninfo, certs, userinfo, revoke */
  name: string;
  /** The stage that made the call. */
  stage: string;
  ms: number;
  /** null: no answer (a timeout, a refused connection). */
  status: number | null;
}

export interface Trace {
  route: string;
  status: number;
  ms: number;
  stages: StageTrace[];
  google: GoogleCall[];
}

interface Current {
  trace: Trace;
  /** The stage running now, for the calls to Google it makes. */
  stage: string;
}

const current = new AsyncLocalStorage<Current>();

/** Google's endpoint a URL is, by its path (the same on the fake's origin). */
function googleCall(url: string): string {
  const path = new URL(url).pathname;
  if (path.endsWith('/certs')) return 'certs';
  return path.split('/').filter(Boolean).at(-1) ?? path;
}

/**
 * Notes a call to Google in the trace of the request that makes it, if any: call what it
 * returns with the answer's status (null: no answer) when the call ends.
 */
export function noteGoogleCall(url: string): ((status: number | null) => void) | undefined {
  const now = current.getStore();
  if (!now) return undefined;
  const { stage } = now;
  const started = performance.now();
  return (status) => {
    now.trace.google.push({ name: googleCall(url), stage, ms: performance.now() - started, status });
  };
}

/** requireXhr -> require-xhr: the name of the stage's file. */
const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** An answer's JSON message (the seed's answers are JSON strings), if it is one. */
function messageOf(ctx: Context): string | undefined {
  const body: unknown = ctx.body;
  if (typeof body !== 'string' || !ctx.response.is('json')) return undefined;
  try {
    const message: unknown = JSON.parse(body);
    return typeof message === 'string' ? redactTokens(message) : undefined;
  } catch {
    return undefined;
  }
}

function wrap(name: string, stage: Middleware): Middleware {
  return async (ctx, next) => {
    const now = current.getStore();
    const started = performance.now();
    if (now) now.stage = name;
    let handedOn = false;
    try {
      await stage(ctx, async () => {
        handedOn = true;
        now?.trace.stages.push({ name, ms: performance.now() - started, outcome: 'next' });
        await next();
      });
    } catch (err) {
      // Thrown here, not by a stage after this one (whose own wrapper noted it).
      if (!handedOn)
        now?.trace.stages.push({
          name,
          ms: performance.now() - started,
          outcome: 'threw',
          message: redactTokens(err instanceof Error ? err.message : String(err)),
        });
      throw err;
    }
    if (!handedOn) {
      const answered = ctx.body != null;
      const answer = answered ? { status: ctx.status, type: ctx.response.type, message: messageOf(ctx) } : {};
      now?.trace.stages.push({ name, ms: performance.now() - started, outcome: answered ? 'answered' : 'stopped', ...answer });
    }
  };
}

/**
 * A Server-Timing header: a stage each, then each call to Google, with what they did. What a
 * stage threw stays in the terminal: an exception's message can name files and internals.
 */
export function serverTiming(trace: Trace): string {
  const stages = trace.stages.map((stage) => ({
    name: stage.name,
    dur: stage.ms,
    desc:
      stage.outcome === 'next' || stage.outcome === 'threw'
        ? stage.outcome
        : [stage.outcome, stage.status, stage.message ?? stage.type].filter(Boolean).join(' '),
  }));
  const google = trace.google.map((call) => ({
    name: `google-${call.name}`,
    dur: call.ms,
    desc: `${call.stage}: ${call.status ?? 'no answer'}`,
  }));
  return formatServerTiming([...stages, ...google, { name: 'total', dur: trace.ms }]);
}

/**
 * Wraps a route's chain of stages, named by their keys (an array is named by its functions'
 * names), to trace each request: in its answer's Server-Timing header, and to `report`.
 */
export function traced<S>(chain: Record<string, Middleware<S>> | Middleware<S>[], report?: (trace: Trace) => void): Middleware<S>[] {
  const stages = Array.isArray(chain)
    ? chain.map((stage, index) => [stage.name || `stage-${index + 1}`, stage] as const)
    : Object.entries(chain);
  const begin: Middleware<S> = async (ctx, next) => {
    const trace: Trace = { route: `${ctx.method} ${ctx.path}`, status: 0, ms: 0, stages: [], google: [] };
    const started = performance.now();
    try {
      await current.run({ trace, stage: '' }, next);
    } finally {
      trace.ms = performance.now() - started;
      ctx.set('Server-Timing', serverTiming(trace));
      // The status is read once the answer is final, not guessed here: what a stage threw is
      // answered further out (a failing database 503 by step 9's pageErrors, a failing store
      // 503 by handleErrors), and the session is saved after the chain (its store failing then
      // turns a 200 into a 503). The trace tells the status actually sent.
      if (report)
        whenAnswered(ctx, () => {
          trace.status = ctx.status;
          report(trace);
        });
    }
  };
  return [begin, ...stages.map(([name, stage]) => wrap(kebab(name), stage as Middleware) as Middleware<S>)];
}

/** The compact block `npm run step` prints for a traced request. */
export function describeTrace(trace: Trace): string {
  const width = Math.max(0, ...trace.stages.map((stage) => stage.name.length));
  const lines = [`${trace.route} ${trace.status} in ${trace.ms.toFixed(1)} ms`];
  for (const stage of trace.stages) {
    const mark = stage.outcome === 'next' || (stage.outcome === 'answered' && (stage.status ?? 500) < 400) ? '✔' : '✘';
    const calls = trace.google
      .filter((call) => call.stage === stage.name)
      .map(
        (call) =>
          `Google ${call.name} ${call.ms.toFixed(1)} ms${call.status === null ? ', no answer' : call.status >= 400 ? `, ${call.status}` : ''}`,
      );
    const what = stage.message === undefined ? stage.type : JSON.stringify(stage.message);
    const said =
      stage.outcome === 'next'
        ? ''
        : stage.outcome === 'stopped'
          ? 'neither answered nor called next(): the chain stops here'
          : [stage.outcome === 'threw' ? 'threw' : stage.status, what].filter(Boolean).join(' ');
    lines.push(
      `  ${mark} ${stage.name.padEnd(width)} ${stage.ms.toFixed(1).padStart(6)} ms${said ? `  ${said}` : ''}${calls.length ? `  (${calls.join('; ')})` : ''}`,
    );
  }
  if (!trace.stages.some((stage) => stage.outcome !== 'next'))
    lines.push(`  ✘ no stage answered (a next() without await?): Koa answered ${trace.status} on its own`);
  return lines.join('\n');
}
