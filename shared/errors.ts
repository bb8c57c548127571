// The last line of defence: every answer is JSON, a client's mistake is answered as one (4xx,
// never 500), a call to Google no stage caught as the server's (502, never the client's 4xx),
// no stack trace ever reaches the client, and no token the log.
import type Koa from 'koa';
import type { Middleware } from 'koa';
import { answered } from './answered.ts';
import { googleDidNotAnswer, googleFailure, type GoogleFailure } from './google-error.ts';
import { answerJson } from './json-answer.ts';

const TOKENS = /\b(?:ya29\.[\w.-]+|eyJ[\w-]+\.[\w-]+\.[\w-]*|1\/\/[\w-]+)/g;

/** Replaces anything shaped like a Google access, ID or refresh token. */
export function redactTokens(text: string): string {
  return text.replace(TOKENS, '[redacted]');
}

/**
 * The store of sessions and spent states (Redis) could not be reached: the request that needed
 * it is answered 503, and nothing it would have written is written. Its store logs the cause,
 * once an outage; the handler below only answers.
 */
export class StoreUnavailable extends Error {
  override name = 'StoreUnavailable';
}

/** What Koa and its router answer by themselves, with no body of ours: said as JSON too. */
const PLAIN_ANSWERS: Record<number, string> = {
  404: 'Not found.',
  405: 'Method not allowed.',
  501: 'Not implemented.',
};

/**
 * The status a thrown error stands for: 502 for a call to Google that no stage caught (Google
 * refused or failed the server's own request: whatever status Google gave, it is no fault of
 * the browser's), its own 4xx, 400 for a corrupt body, else 500.
 */
export function statusOf(err: unknown): number {
  if (googleFailure(err)) return 502;
  if (typeof err !== 'object' || err === null) return 500;
  const { status, code } = err as { status?: unknown; code?: unknown };
  if (typeof status === 'number' && status >= 400 && status < 500) return status;
  // zlib's errors (Z_DATA_ERROR, Z_BUF_ERROR): a compressed body that does not decompress.
  if (typeof code === 'string' && code.startsWith('Z_')) return 400;
  return 500;
}

/** A Google failure in words, for the log: what Google answered (no URL: it may hold a token). */
function describeGoogle(failure: GoogleFailure): string {
  if (failure.status === null) return 'Google did not answer';
  return `Google answered ${failure.status}${failure.error ? ` (${failure.error})` : ''}`;
}

/**
 * Answers errors and Koa's bodiless answers as JSON, and emits unexpected errors on the app
 * (Koa's convention), whose listener logs them with tokens redacted.
 */
export function handleErrors(app: Koa): Middleware {
  app.on('error', (err: unknown, ctx?: Koa.Context) => {
    // A browser that went away while an answer was on its way is no error of ours.
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNRESET') return;
    const where = ctx ? `${ctx.method} ${ctx.path}` : 'outside a request';
    const message = err instanceof Error ? err.message : String(err);
    const google = googleFailure(err);
    const cause = google ? `a call to Google that no stage caught: ${describeGoogle(google)}: ` : '';
    console.error(`[gconnect] ${where} failed: ${cause}${redactTokens(message)}`);
  });
  return async (ctx, next) => {
    try {
      await handle(ctx, next);
    } finally {
      // The outermost handler: the status is now the one sent (the traces read it, trace.ts).
      answered(ctx);
    }
  };
}

/** handleErrors' work: answers what was thrown, and Koa's bodiless answers, as JSON. */
async function handle(ctx: Koa.Context, next: Koa.Next): Promise<void> {
  try {
    await next();
    const plain = PLAIN_ANSWERS[ctx.status];
    if (plain && ctx.body == null) answerJson(ctx, ctx.status, plain);
  } catch (thrown) {
    const err = (thrown ?? {}) as { status?: unknown; code?: unknown; expose?: boolean; message?: string };
    const status = statusOf(thrown);
    // A request whose body was left unread must not leave its bytes on a kept-alive
    // connection, where they would be read as the next request.
    if (!ctx.req.complete) ctx.set('Connection', 'close');
    if (thrown instanceof StoreUnavailable) {
      // Fail closed: no sign-in, no page for a session that cannot be read.
      answerJson(ctx, 503, 'The session store is unavailable.');
      return;
    }
    if (status < 500) {
      // Client errors Koa and its middleware raise on purpose (a body too large, an
      // encoding we do not read): their message when it is meant to be shown.
      answerJson(ctx, status, err.expose && err.message ? err.message : defaultMessage(status));
      return;
    }
    const google = googleFailure(thrown);
    if (google) {
      // The server's own request to Google failed and no stage caught it: not the browser's fault.
      answerJson(
        ctx,
        502,
        googleDidNotAnswer(google) ? "Google did not answer the server's request." : "Google refused the server's request.",
      );
    } else answerJson(ctx, 500, 'Internal server error.');
    ctx.app.emit('error', thrown, ctx);
  }
}

function defaultMessage(status: number): string {
  return (
    ({ 400: 'Bad request.', 413: 'Request entity too large.', 415: 'Unsupported content encoding.' } as Record<number, string>)[status] ??
    'Bad request.'
  );
}
