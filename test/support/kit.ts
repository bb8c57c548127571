// Starts the app under test (any folder with an app.ts exporting createApp) and a fake
// Google, both on port 0, for the tests of one describe block.
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { pathToFileURL } from 'node:url';
import type Koa from 'koa';
import { offlineConfig, type Config } from '../../shared/config.ts';
import { startFakeGoogle, type RunningFakeGoogle } from '../../shared/fake-google/index.ts';
import { MemorySessionStore } from '../../shared/session.ts';
import { Agent } from './agent.ts';

type CreateApp = (config: Config, options?: { sessionStore?: MemorySessionStore }) => Koa;

export interface Kit {
  /** The app's origin, e.g. http://127.0.0.1:40123 */
  base: string;
  config: Config;
  /** The fake Google's origin. */
  google: string;
  /** The app's server-side sessions, to look inside. */
  sessions: MemorySessionStore;
  /** A new browser with an empty cookie jar. */
  agent(): Agent;
}

export async function startKit(dir: string): Promise<Kit & { close(): Promise<void> }> {
  const fake: RunningFakeGoogle = await startFakeGoogle();
  // `npm run check` shortens how long the server waits for a silent Google, to answer fast;
  // the fake answers every other call in milliseconds.
  const timeout = Number(process.env.GCONNECT_GOOGLE_TIMEOUT_MS) || undefined;
  const config = { ...offlineConfig(fake.origin, ['test-session-key']), ...(timeout ? { googleTimeoutMs: timeout } : {}) };
  const sessions = new MemorySessionStore();
  const { createApp } = (await import(pathToFileURL(join(resolve(dir), 'app.ts')).href)) as { createApp: CreateApp };
  const server: Server = createApp(config, { sessionStore: sessions }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    config,
    google: fake.origin,
    sessions,
    agent: () => new Agent(base),
    async close() {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
      await fake.close();
    },
  };
}

/** Starts a kit before the tests of the current describe block and stops it after them. */
export function useKit(dir: string): () => Kit {
  let kit: (Kit & { close(): Promise<void> }) | undefined;
  before(async () => {
    kit = await startKit(dir);
  });
  after(async () => {
    await kit?.close();
  });
  return () => {
    if (!kit) throw new Error('the kit has not started');
    return kit;
  };
}
