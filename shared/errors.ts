// The last line of defence: no stack trace ever reaches the client, and no token the log.
import type { Middleware } from 'koa';
import { answerJson } from './json-answer.ts';

const TOKENS = /\b(?:ya29\.[\w.-]+|eyJ[\w-]+\.[\w-]+\.[\w-]*|1\/\/[\w-]+)/g;

/** Replaces anything shaped like a Google access, ID or refresh token. */
export function redactTokens(text: string): string {
  return text.replace(TOKENS, '[redacted]');
}

export function handleErrors(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const { status, expose, message } = err as { status?: number; expose?: boolean; message?: string };
      if (expose && typeof status === 'number' && status >= 400 && status < 500) {
        // Client errors Koa and its middleware raise on purpose (a body too large, ...).
        answerJson(ctx, status, String(message));
        return;
      }
      console.error(`[gconnect] ${ctx.method} ${ctx.path} failed: ${redactTokens(String(message ?? err))}`);
      answerJson(ctx, 500, 'Internal server error.');
    }
  };
}
