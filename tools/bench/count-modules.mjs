// Which modules a kit command loads: `GCONNECT_MODULE_LIST=FILE node --import
// ./tools/bench/count-modules.mjs --import ./kit/typescript.mjs commands/check.ts 3` writes the
// file: URL of every module its main thread loads to FILE, one a line (a module may be listed
// twice: count the distinct lines). The kit's own files and node_modules' both count; Node's
// built-ins (node:...) do not, nor what a loader (tsx) loads inside its own hooks thread.
// JavaScript, because it runs before any TypeScript can be loaded. Used by npm run bench:check.
//
// Two sources, since neither sees everything on every Node: an ESM load hook (every import,
// the kit's .ts files and the CommonJS packages they import), and, at exit, require's cache
// (the files those CommonJS packages require() in turn, which on Node 20 bypass the hooks).
import { appendFileSync, writeFileSync } from 'node:fs';
import module from 'node:module';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';

let out = process.env.GCONNECT_MODULE_LIST;

if (isMainThread && out) {
  writeFileSync(out, '');
  module.register(import.meta.url, { data: { out } });
  process.on('exit', () => {
    const required = Object.keys(module.createRequire(import.meta.url).cache).filter((path) => path.startsWith('/'));
    appendFileSync(out, required.map((path) => `${pathToFileURL(path).href}\n`).join(''));
  });
}

/** Runs in the hooks thread: where to write. */
export function initialize(data) {
  out = data.out;
}

export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) appendFileSync(out, `${url}\n`);
  return nextLoad(url, context);
}
