// The pages' own files (a step's public/ folder: its scripts and styles), served by
// koa-static. Only the names the folder held at start are looked up: koa-static would
// otherwise stat the disk for every request, /login and /gconnect included.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Middleware } from 'koa';
import serve from 'koa-static';

export function servePublic(folder: URL): Middleware {
  const dir = fileURLToPath(folder);
  const files = new Set(readdirSync(dir).map((name) => `/${name}`));
  const send = serve(dir);
  return (ctx, next) => (files.has(ctx.path) ? send(ctx, next) : next());
}
