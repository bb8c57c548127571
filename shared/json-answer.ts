import type { Context } from 'koa';

/** Answers a JSON string, the way the seed's make_response(json.dumps(...)) did. */
export function answerJson(ctx: Context, status: number, message: string): void {
  ctx.status = status;
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(message);
}
