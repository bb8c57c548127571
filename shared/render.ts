// Renders a pug view to HTML. Pug escapes every #{value} and attribute: keep it that way
// (no !{...} and no != with data that came from a user or from Google).
import { fileURLToPath } from 'node:url';
import type { Context } from 'koa';
import pug from 'pug';

export function render(ctx: Context, view: URL, locals: Record<string, unknown> = {}): void {
  ctx.type = 'text/html';
  // doctype html: fragments such as the welcome render as HTML (<img>), not XML (<img/>).
  ctx.body = pug.renderFile(fileURLToPath(view), { ...locals, doctype: 'html', cache: process.env.NODE_ENV === 'production' });
}
