// Renders a pug view to HTML. Pug escapes every #{value} and attribute: keep it that way
// (no !{...} and no != with data that came from a user or from Google).
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Context } from 'koa';
import pug from 'pug';

interface Compiled {
  template: pug.compileTemplate;
  /** The view and every file it extends or includes, with their times of last change. */
  files: [path: string, mtimeMs: number][];
  /** When the files were last looked at (performance.now()). */
  checked: number;
}

// Compiling is most of the cost of a render: each view is compiled once per process, and
// again only when it or a file it pulls in changes (so edits show up without a restart).
// The files are looked at once a second at most: a stat a file a render cost a sign-in more
// than its render.
/** By the view's file: URL. */
const compiled = new Map<string, Compiled>();
const LOOK_EVERY_MS = 1000;

function changed(known: Compiled): boolean {
  const now = performance.now();
  if (now - known.checked < LOOK_EVERY_MS) return false;
  known.checked = now;
  return known.files.some(([path, mtimeMs]) => statSync(path, { throwIfNoEntry: false })?.mtimeMs !== mtimeMs);
}

function compile(view: URL): pug.compileTemplate {
  const known = compiled.get(view.href);
  if (known && !changed(known)) return known.template;
  const path = fileURLToPath(view);
  // doctype html: fragments such as the welcome render as HTML (<img>), not XML (<img/>).
  const template = pug.compileFile(path, { doctype: 'html' });
  const dependencies = (template as pug.compileTemplate & { dependencies?: string[] }).dependencies ?? [];
  compiled.set(view.href, {
    template,
    files: [path, ...dependencies].map((file) => [file, statSync(file).mtimeMs]),
    checked: performance.now(),
  });
  return template;
}

export function render(ctx: Context, view: URL, locals: Record<string, unknown> = {}): void {
  ctx.type = 'text/html';
  ctx.body = compile(view)(locals);
}
