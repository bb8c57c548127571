// What every step's app.ts exports, declared once: the launcher (kit/serve.ts) and the
// checker start a reference step or a learner's folder through these types.
import type Koa from 'koa';
import type { Config } from './config.ts';
import type { SessionStore } from './stores.ts';
import type { Trace } from './trace.ts';

/** What createApp takes besides its config. */
export interface AppOptions {
  /** Where sessions live; tests pass their own to look inside. */
  sessionStore?: SessionStore;
  /** Told of each sign-in's trace, stage by stage (`npm run step` prints them). */
  onTrace?: (trace: Trace) => void;
}

export type CreateApp = (config: Config, options?: AppOptions) => Koa;
