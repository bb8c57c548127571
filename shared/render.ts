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
}

// Compiling is most of the cost of a render: each view is compiled once per process, and
// again only when it or a file it pulls in changes (so edits show up without a restart).
const compiled = new Map<string, Compiled>();

function changed(files: Compiled['files']): boolean {
  return files.some(([path, mtimeMs]) => statSync(path, { throwIfNoEntry: false })?.mtimeMs !== mtimeMs);
}

function compile(path: string): pug.compileTemplate {
  const known = compiled.get(path);
  if (known && !changed(known.files)) return known.template;
  // doctype html: fragments such as the welcome render as HTML (<img>), not XML (<img/>).
  const template = pug.compileFile(path, { doctype: 'html' });
  const dependencies = (template as pug.compileTemplate & { dependencies?: string[] }).dependencies ?? [];
  compiled.set(path, { template, files: [path, ...dependencies].map((file) => [file, statSync(file).mtimeMs]) });
  return template;
}

export function render(ctx: Context, view: URL, locals: Record<string, unknown> = {}): void {
  ctx.type = 'text/html';
  ctx.body = compile(fileURLToPath(view))(locals);
}
