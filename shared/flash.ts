// Flask's flash(): a message kept in the session until the next page shows it, once.
import type { Context } from 'koa';

export function flash(ctx: Context, message: string): void {
  if (!ctx.session) return;
  ctx.session.flash = [...(ctx.session.flash ?? []), message];
}

export function takeFlashes(ctx: Context): string[] {
  const messages = ctx.session?.flash ?? [];
  if (ctx.session && messages.length > 0) delete ctx.session.flash;
  return messages;
}
