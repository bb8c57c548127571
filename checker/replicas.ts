// Instances of a folder's app as a deployment runs them: each a process of its own (its
// server.ts), sharing only what a deployment shares: the session keys, one Google (here the
// kit's fake) and, when given, one Redis. Separate processes, not apps in this one: a stage
// that kept its state in a module of its own would share it between apps of one process, and
// an attack on the instances would be stopped by what a real deployment does not have.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { stopChildren } from '#kit/children.ts';
import { ROOT, TS_NODE_ARGS } from '#kit/manifest.ts';
import type { StoreSettings } from '#shared/stores.ts';
import type { Agent } from './agent.ts';

/** One instance: its origin, and new browsers for it. */
export interface Replica {
  base: string;
  agent(headers?: Record<string, string>): Agent;
}

export interface ReplicaSettings {
  /** The fake Google every instance calls (FAKE_GOOGLE_ORIGIN). */
  google: string;
  sessionKeys: readonly string[];
  /** One Redis for all (REDIS_URL, REDIS_PREFIX); none: each keeps its stores in its own memory. */
  stores?: StoreSettings;
  /** A folder for each instance's embedded database. */
  dataDir: () => string;
  /** Makes the browsers (the kit's own view: it tracks and closes them). */
  agent: (base: string, headers?: Record<string, string>) => Agent;
}

/**
 * A hang guard, not a budget: how long an instance may take to say it listens. A start costs
 * about 3 s of CPU on Node 20 (tsx compiles the kit), so several at once on a busy machine
 * take a while; only a server that never listens should reach this.
 */
const START_TIMEOUT_MS = 120_000;

export interface RunningReplicas {
  replicas: Replica[];
  close(): Promise<void>;
}

/** Starts `count` instances of `dir`'s app, each on a free port; close() stops them all. */
export async function startReplicas(dir: string, count: number, settings: ReplicaSettings): Promise<RunningReplicas> {
  const children: ChildProcess[] = [];
  const close = () => stopChildren(children, 'SIGKILL');
  try {
    const bases = await Promise.all(
      Array.from({ length: count }, () => {
        const child = spawn(process.execPath, [...TS_NODE_ARGS, join(dir, 'server.ts'), '--port', '0', '--offline'], {
          cwd: ROOT,
          env: {
            ...process.env,
            HOST: '127.0.0.1',
            NODE_ENV: '',
            SIGN_IN_TRACES: '0',
            SESSION_KEYS: settings.sessionKeys.join(','),
            FAKE_GOOGLE_ORIGIN: settings.google,
            REDIS_URL: settings.stores?.redisUrl ?? '',
            REDIS_PREFIX: settings.stores?.prefix ?? '',
            DATABASE_URL: '',
            DATA_DIR: settings.dataDir(),
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        children.push(child);
        return listening(child);
      }),
    );
    return {
      replicas: bases.map((base) => ({ base, agent: (headers) => settings.agent(base, headers) })),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** The origin a started instance prints ("Listening on http://localhost:PORT"), on 127.0.0.1. */
function listening(child: ChildProcess): Promise<string> {
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`it did not say it listens within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(new Error(`an instance of the app could not start: ${why}${output ? `; it printed:\n${output.trim()}` : ''}`));
    };
    const heard = (chunk: Buffer) => {
      output += chunk;
      const port = /^Listening on http:\/\/localhost:(\d+)$/m.exec(output)?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      resolve(`http://127.0.0.1:${port}`);
    };
    child.stdout!.on('data', heard);
    child.stderr!.on('data', heard);
    child.once('exit', (code, signal) => fail(`it exited (${signal ?? code})`));
    child.once('error', (err) => fail(err.message));
  });
}
