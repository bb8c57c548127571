// The kit's Koa server. Every step folder exports the same createApp(config).
import Router from '@koa/router';
import Koa from 'koa';
import type { AppOptions } from '#shared/app.ts';
import type { Config } from '#shared/config.ts';
import { openUserStore } from '#shared/db/index.ts';
import { openNoteStore } from '#shared/db/notes.ts';
import { handleErrors } from '#shared/errors.ts';
import { protect } from '#shared/headers.ts';
import { servePublic } from '#shared/public.ts';
import { useSession } from '#shared/session.ts';
import { traced } from '#shared/trace.ts';
import { gconnect } from './gconnect.ts';
import { gdisconnect } from './gdisconnect.ts';
import { homePage } from './home-page.ts';
import { loginPage } from './login-page.ts';
import { notesRoutes } from './notes.ts';

export function createApp(config: Config, options: AppOptions = {}): Koa {
  const app = new Koa();
  // The users' database, opened and migrated now, in the background. Unreachable, the server
  // starts all the same: each sign-in tries again (and answers 503 until it is back).
  const users = openUserStore(config.database);
  users.ready().catch(() => undefined);
  // The notes, in the same database (one connection for the process).
  const notes = openNoteStore(users);
  app.keys = config.sessionKeys;
  // Only behind a TLS-terminating proxy: trust its X-Forwarded-* headers.
  app.proxy = config.trustProxy;
  app.use(handleErrors(app));
  app.use(protect(config));
  // The pages' own script and styles (public/): no inline code for the CSP to allow.
  app.use(servePublic(new URL('./public/', import.meta.url)));
  app.use(useSession(app, config, options.sessionStore));

  const router = new Router();
  router.get('/', homePage(users));
  router.get('/login', loginPage(config));
  // Each stage timed and what it did noted (shared/trace.ts): the stages know nothing of it.
  router.post('/gconnect', ...traced(gconnect(config, users), options.onTrace));
  router.post('/gdisconnect', ...traced(gdisconnect(config), options.onTrace));
  app.use(router.routes());
  app.use(router.allowedMethods());
  // The notes' pages: who may see, write, change and delete (notes.ts).
  const notePages = notesRoutes(notes, options.onTrace);
  app.use(notePages.routes());
  app.use(notePages.allowedMethods());
  return app;
}
