// Work that waits until a request's answer is final: its status as it will be sent, after
// every handler further out has had its say (step 9's pageErrors answers a failing database
// 503, handleErrors a failing session store 503, koa-session saves the session after the
// route). The kit's outermost handler, handleErrors (errors.ts), says when: answered(ctx). An
// app without it: when the answer has gone out, or the connection closed.
import type { Context } from 'koa';

const waiting = new WeakMap<Context, (() => void)[]>();

/** Runs `then` once the answer to `ctx` is final (ctx.status is what is sent). */
export function whenAnswered(ctx: Context, then: () => void): void {
  const list = waiting.get(ctx);
  if (list) {
    list.push(then);
    return;
  }
  waiting.set(ctx, [then]);
  const settle = () => answered(ctx);
  ctx.res.once('finish', settle);
  ctx.res.once('close', settle);
}

/** The answer to `ctx` is final: runs what waits for it, once. */
export function answered(ctx: Context): void {
  const list = waiting.get(ctx);
  if (!list) return;
  waiting.delete(ctx);
  for (const then of list) then();
}
