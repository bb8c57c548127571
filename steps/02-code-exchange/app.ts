// The kit's Koa server. Every step folder exports the same createApp(config).
import Router from '@koa/router';
import Koa from 'koa';
import type { Config } from '#shared/config.ts';
import { handleErrors } from '#shared/errors.ts';
import { useSession, type MemorySessionStore } from '#shared/session.ts';
import { gconnect } from './gconnect.ts';
import { homePage } from './home-page.ts';
import { loginPage } from './login-page.ts';

export interface AppOptions {
  /** Where sessions live; tests pass their own to look inside. */
  sessionStore?: MemorySessionStore;
}

export function createApp(config: Config, options: AppOptions = {}): Koa {
  const app = new Koa();
  app.keys = config.sessionKeys;
  app.use(handleErrors());
  app.use(useSession(app, options.sessionStore));

  const router = new Router();
  router.get('/', homePage);
  router.get('/login', loginPage(config));
  router.post('/gconnect', ...gconnect(config));
  app.use(router.routes());
  app.use(router.allowedMethods());
  return app;
}
