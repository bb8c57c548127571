// npm run bench [-- --seconds N] [-- --rounds N] [-- --sign-ins N] [-- --json FILE] (a maintainer's tool): the
// last step as a learner runs it (commands/step.ts, offline), against the fake Google in a
// process of its own, and in the same run the floors (tools/bench/floor.ts): a bare Koa "hello",
// and a bare Koa sign-in that makes the same three calls to Google and checks nothing. With
// autocannon: GET /login and full sign-ins (a fresh browser each, Alice and Bob in turn) at 1
// and 16 connections; requests per second, p50 and p99; the CPU each process spent per sign-in
// (at 1 and at 16 at once, and at 1 again after the 16: the code warm), the floor's beside it;
// the sign-in's Server-Timing, averaged per stage; the server's RSS before and after 10,000
// sign-ins. One table; --json writes the figures. Not a test: figures, no verdicts.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { argsOrExit, countOrExit, exitWithUsage, fromUserDir } from '#kit/cli.ts';
import { ROOT, TS_NODE_ARGS } from '#kit/manifest.ts';
import { medianBy } from './bench/median.ts';
import { parseServerTiming } from '#shared/server-timing.ts';

const USAGE = 'npm run bench [-- --seconds N] [-- --rounds N] [-- --sign-ins N] [-- --json FILE] [-- --stores redis,postgres]';
const { values } = argsOrExit({
  usage: USAGE,
  command: 'npm run bench',
  options: {
    seconds: { type: 'string' },
    rounds: { type: 'string' },
    'sign-ins': { type: 'string' },
    json: { type: 'string' },
    stores: { type: 'string' },
  },
  ownWord: () => false,
});
const seconds = countOrExit(values.seconds, 3, 'seconds', USAGE);
// A shared machine's speed drifts by the second: the floor and GET /login take turns, each
// measured this many times, and their medians are compared.
const rounds = countOrExit(values.rounds, 3, 'rounds', USAGE);
const signInsForMemory = countOrExit(values['sign-ins'], 10_000, 'sign-ins', USAGE);
// --stores redis,postgres: the sign-ins measured again, in the same run, with the shared stores
// (REDIS_URL, or redis://127.0.0.1:6379; DATABASE_URL, or a fresh database on 127.0.0.1:5432).
const shared = values.stores?.split(',').map((store) => store.trim()) ?? [];
for (const store of shared) {
  if (store !== 'redis' && store !== 'postgres')
    exitWithUsage(`error: --stores takes redis, postgres or both, not ${JSON.stringify(store)}.`, USAGE);
}

/** Starts a kit script in a process of its own; resolves with the first line matching `ready`. */
function start(args: string[], ready: RegExp, env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; found: RegExpExecArray }> {
  const child = spawn(process.execPath, [...TS_NODE_ARGS, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const found = ready.exec(line);
      if (found) resolve({ child, found });
    });
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code} before it was ready`)));
  });
}

/** User plus system CPU time a process has spent, in ms (Linux's /proc). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime, fields 14 and 15 of stat (11 and 12 after the name), in clock ticks.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** `run`'s sign-ins, then the CPU each process of `pids` spent on them, in ms per completed sign-in. */
async function withCpu<P extends number[]>(pids: [...P], run: () => Promise<SignIns>): Promise<[SignIns, ...{ [K in keyof P]: number }]> {
  const before = pids.map(cpuMs);
  const done = await run();
  return [done, ...(pids.map((pid, i) => (cpuMs(pid) - before[i]!) / done.count) as { [K in keyof P]: number })];
}

function rssMb(pid: number): number {
  const found = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(found?.[1] ?? 0) / 1024;
}

/** A response header from autocannon's key-value object, whose keys keep the server's case. */
const header = (headers: unknown, name: string): string[] => {
  const found = Object.entries(headers as Record<string, string | string[]>).find(([key]) => key.toLowerCase() === name);
  return found ? ([] as string[]).concat(found[1]) : [];
};

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

interface Load {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

/** GET `url` for `seconds` with `connections` at once. */
async function hammer(url: string, connections: number): Promise<Load> {
  const result = await autocannon({ url, connections, duration: seconds });
  return { perSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

/** Two URLs hammered `rounds` times each, in turn; for each, its run of median requests per second. */
async function inTurns(first: string, second: string, connections: number): Promise<[Load, Load]> {
  const runs: [Load[], Load[]] = [[], []];
  for (let round = 0; round < rounds; round++) {
    runs[0].push(await hammer(first, connections));
    runs[1].push(await hammer(second, connections));
  }
  const byRate = (all: Load[]) => medianBy(all, (load) => load.perSecond);
  return [byRate(runs[0]), byRate(runs[1])];
}

interface SignIns extends Load {
  count: number;
  /** Server-Timing entries, averaged over the sign-ins: name -> ms. */
  timing: Map<string, number>;
}

/**
 * Full sign-ins with `connections` at once: each a fresh browser (GET /login, then POST
 * /gconnect with its state and cookies), Alice and Bob in turn; for `amount` sign-ins, or for
 * the run's seconds. The latency is the whole sign-in's, from the GET's start to the POST's end.
 */
async function signIns(base: string, connections: number, amount?: number): Promise<SignIns> {
  const took: number[] = [];
  /** Server-Timing entries, summed: name -> total ms and how many. */
  const timing = new Map<string, { ms: number; count: number }>();
  let turn = 0;
  interface Context {
    started?: number;
    state?: string;
    cookie?: string;
  }
  const result = await autocannon({
    url: base,
    connections,
    ...(amount ? { amount: amount * 2 } : { duration: seconds }),
    requests: [
      {
        method: 'GET',
        path: '/login',
        setupRequest: (request, context) => {
          (context as Context).started = performance.now();
          return request;
        },
        onResponse: (_status, body, context, headers) => {
          const found = /data-state="([^"]*)"/.exec(body);
          const cookies = header(headers, 'set-cookie');
          Object.assign(context, { state: found?.[1] ?? '', cookie: cookies.map((line) => line.split(';')[0]).join('; ') });
        },
      },
      {
        method: 'POST',
        setupRequest: (request, context) => {
          const { state = '', cookie = '' } = context as Context;
          const code = turn++ % 2 ? '4/fixture-bob' : '4/fixture-alice';
          return {
            ...request,
            path: `/gconnect?state=${state}`,
            headers: { cookie, 'x-requested-with': 'XMLHttpRequest', 'content-type': 'application/octet-stream' },
            body: code,
          };
        },
        onResponse: (status, _body, context, headers) => {
          if (status !== 200) return;
          took.push(performance.now() - ((context as Context).started ?? 0));
          for (const { name, dur } of parseServerTiming(header(headers, 'server-timing').join(', '))) {
            if (dur === undefined) continue;
            const sum = timing.get(name) ?? { ms: 0, count: 0 };
            timing.set(name, { ms: sum.ms + dur, count: sum.count + 1 });
          }
        },
      },
    ],
  });
  const average = new Map([...timing].map(([name, sum]) => [name, sum.ms / sum.count]));
  return {
    count: took.length,
    perSecond: took.length / result.duration,
    p50: percentile(took, 50),
    p99: percentile(took, 99),
    errors: result.errors + result.non2xx,
    timing: average,
  };
}

const fake = await start(['tools/bench/fake-google.ts'], /^(http:\/\/127\.0\.0\.1:\d+)$/);
const floor = await start(['tools/bench/floor.ts'], /^(http:\/\/127\.0\.0\.1:\d+)$/, { FAKE_GOOGLE_ORIGIN: fake.found[1]!, PORT: '0' });
// The users' database of this run only (step 8 on), never the kit's .data/.
const dataDir = mkdtempSync(join(tmpdir(), 'gconnect-bench-'));
const step = await start(['commands/step.ts', 'last'], /^Listening on (http:\/\/localhost:\d+)$/, {
  PORT: '0',
  DATA_DIR: dataDir,
  DATABASE_URL: '',
  SESSION_KEYS: 'bench',
  FAKE_GOOGLE_ORIGIN: fake.found[1]!,
  // The traces still go into each answer's Server-Timing; printing them is the terminal's cost.
  SIGN_IN_TRACES: '0',
});
const base = step.found[1]!.replace('localhost', '127.0.0.1');
const [server, google, floorPid] = [step.child.pid!, fake.child.pid!, floor.child.pid!];
const floorBase = floor.found[1]!;

try {
  const [floor1, login1] = await inTurns(floorBase, `${base}/login`, 1);
  const [floor16, login16] = await inTurns(floorBase, `${base}/login`, 16);
  // The floor's sign-ins first, from its fresh process, as the server's below are.
  const [floorSignIn1, floorCpu1] = await withCpu([floorPid], () => signIns(floorBase, 1));
  const [floorSignIn16, floorCpu16] = await withCpu([floorPid], () => signIns(floorBase, 16));
  // CPU per sign-in at 1 at once: over the run's seconds, divided by the sign-ins completed.
  const [signIn1, serverCpu1, googleCpu1] = await withCpu([server, google], () => signIns(base, 1));
  // CPU per sign-in at 16 at once, and memory, over a fixed number of sign-ins.
  const rssBefore = rssMb(server);
  const [signIn16, serverCpu, googleCpu] = await withCpu([server, google], () => signIns(base, 16, signInsForMemory));
  const rssAfter = rssMb(server);
  // CPU per sign-in at 1 at once again, now that the sign-in's code has run 10,000 times: the
  // first figure holds V8 still compiling it (its compiler threads count in the process's CPU,
  // and until then the code runs unoptimized), this one does not.
  const [signIn1Warm, serverCpu1Warm, googleCpu1Warm] = await withCpu([server, google], () => signIns(base, 1));

  const row = (what: string, load: Load, unit = 'req/s') =>
    console.log(
      `  ${what.padEnd(40)} ${load.perSecond.toFixed(0).padStart(6)} ${unit.padEnd(10)} p50 ${load.p50.toFixed(1).padStart(6)} ms   p99 ${load.p99.toFixed(1).padStart(6)} ms${load.errors ? `   ${load.errors} errors` : ''}`,
    );
  console.log(
    `npm run bench: ${process.version}, ${seconds} s a run (the floor and GET /login: the median of ${rounds}, in turns); the last step as npm run step runs it; the fake Google in a process of its own`,
  );
  row('Koa "hello" (the floor), 1 connection', floor1);
  row('Koa "hello" (the floor), 16 connections', floor16);
  row('GET /login, 1 connection', login1);
  row('GET /login, 16 connections', login16);
  row('floor sign-ins, 1 at a time', floorSignIn1, 'sign-ins/s');
  row('floor sign-ins, 16 at a time', floorSignIn16, 'sign-ins/s');
  row('sign-ins, 1 at a time', signIn1, 'sign-ins/s');
  row(`sign-ins, 16 at a time (${signIn16.count})`, signIn16, 'sign-ins/s');
  row('sign-ins, 1 at a time, after those', signIn1Warm, 'sign-ins/s');
  console.log(
    `  CPU per sign-in, 1 at a time: the server ${serverCpu1.toFixed(2)} ms, the fake Google ${googleCpu1.toFixed(2)} ms (their processes' user + system time, over ${signIn1.count} sign-ins)`,
  );
  console.log(
    `  CPU per sign-in, 16 at a time: the server ${serverCpu.toFixed(2)} ms, the fake Google ${googleCpu.toFixed(2)} ms (over ${signIn16.count} sign-ins)`,
  );
  console.log(
    `  CPU per sign-in, 1 at a time after those: the server ${serverCpu1Warm.toFixed(2)} ms, the fake Google ${googleCpu1Warm.toFixed(2)} ms (over ${signIn1Warm.count} sign-ins)`,
  );
  console.log(
    `  CPU per sign-in of the floor (a bare Koa sign-in, the same three calls, no check): ${floorCpu1.toFixed(2)} ms 1 at a time, ${floorCpu16.toFixed(2)} ms 16 at a time; the server's is ${(serverCpu1 / floorCpu1).toFixed(1)} x and ${(serverCpu / floorCpu16).toFixed(1)} x that`,
  );
  console.log(`  the server's RSS: ${rssBefore.toFixed(0)} MB before those sign-ins, ${rssAfter.toFixed(0)} MB after`);
  console.log('  Server-Timing, averaged over those sign-ins (ms):');
  console.log(`    ${[...signIn16.timing].map(([name, ms]) => `${name} ${ms.toFixed(2)}`).join('  ')}`);
  console.log(
    "  Targets: the server's CPU per sign-in <= 0.6 ms (1 and 16); GET /login (16) >= half the floor (16); sign-in p99 (16) < 4 x p50",
  );
  console.log(
    `    ${serverCpu1.toFixed(2)} (after the 16 at a time: ${serverCpu1Warm.toFixed(2)}) and ${serverCpu.toFixed(2)} ms; ${(login16.perSecond / floor16.perSecond).toFixed(2)} of the floor; p99 = ${(signIn16.p99 / signIn16.p50).toFixed(1)} x p50`,
  );

  let sharedFigures: Record<string, unknown> | null = null;
  if (shared.length > 0) {
    const with_ = await withSharedStores(shared, async (base, pid) => {
      const one = await signIns(base, 1);
      const before = cpuMs(pid);
      const sixteen = await signIns(base, 16, Math.min(signInsForMemory, 2000));
      return { one, sixteen, cpu: (cpuMs(pid) - before) / sixteen.count };
    });
    console.log(
      `  With the shared stores (${with_.label}), the same sign-ins (the server's CPU only: Redis and PostgreSQL are processes of their own):`,
    );
    row('sign-ins, 1 at a time', with_.figures.one, 'sign-ins/s');
    row(`sign-ins, 16 at a time (${with_.figures.sixteen.count})`, with_.figures.sixteen, 'sign-ins/s');
    console.log(`  CPU per sign-in: the server ${with_.figures.cpu.toFixed(2)} ms (${serverCpu.toFixed(2)} ms with the defaults, above)`);
    sharedFigures = {
      stores: shared,
      signIns: { c1: { ...with_.figures.one, timing: undefined }, c16: { ...with_.figures.sixteen, timing: undefined } },
      cpuPerSignInMs: with_.figures.cpu,
    };
  }

  if (values.json) {
    const figures = {
      shared: sharedFigures,
      node: process.version,
      seconds,
      rounds,
      floor: { c1: floor1, c16: floor16 },
      floorSignIns: {
        c1: { ...floorSignIn1, timing: undefined, cpuMs: floorCpu1 },
        c16: { ...floorSignIn16, timing: undefined, cpuMs: floorCpu16 },
      },
      login: { c1: login1, c16: login16 },
      signIns: {
        c1: { ...signIn1, timing: undefined },
        c16: { ...signIn16, timing: Object.fromEntries(signIn16.timing) },
        c1After16: { ...signIn1Warm, timing: undefined },
      },
      cpuPerSignInMs: {
        c1: { server: serverCpu1, fakeGoogle: googleCpu1 },
        c16: { server: serverCpu, fakeGoogle: googleCpu },
        c1After16: { server: serverCpu1Warm, fakeGoogle: googleCpu1Warm },
      },
      rssMb: { before: rssBefore, after: rssAfter },
    };
    writeFileSync(fromUserDir(values.json), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(`  wrote ${values.json}`);
  }
} finally {
  // Each gone before the users' database goes: a server still stopping may write to it.
  await Promise.all(
    [step.child, floor.child, fake.child].map((child) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      // Not gone in 5 s (a connection left open): killed.
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      return child.exitCode === null && child.signalCode === null ? exited.finally(() => clearTimeout(kill)) : clearTimeout(kill);
    }),
  );
  rmSync(dataDir, { recursive: true, force: true });
}

/**
 * Runs `measure` against the last step started with the shared stores: Redis under a key prefix
 * of this run's own (its keys deleted after), PostgreSQL in a database of this run's own
 * (dropped after), unless REDIS_URL / DATABASE_URL name others.
 */
async function withSharedStores<T>(
  stores: string[],
  measure: (base: string, pid: number) => Promise<T>,
): Promise<{ label: string; figures: T }> {
  const run = `bench_${Date.now().toString(36)}`;
  const env: NodeJS.ProcessEnv = {
    PORT: '0',
    SESSION_KEYS: 'bench',
    FAKE_GOOGLE_ORIGIN: fake.found[1]!,
    SIGN_IN_TRACES: '0',
    DATA_DIR: dataDir,
  };
  const { default: pg } = await import('pg');
  const admin = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };
  const ownDatabase = stores.includes('postgres') && !process.env.DATABASE_URL;
  if (stores.includes('redis'))
    Object.assign(env, { REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379', REDIS_PREFIX: `${run}:` });
  if (stores.includes('postgres')) {
    env.DATABASE_URL = process.env.DATABASE_URL || `postgres://${admin.user}@${admin.host}:${admin.port}/${run}`;
    if (ownDatabase) {
      const client = new pg.Client(admin);
      await client.connect();
      await client.query(`create database ${run}`);
      await client.end();
    }
  } else env.DATABASE_URL = '';
  const started = await start(['commands/step.ts', 'last'], /^Listening on (http:\/\/localhost:\d+)$/, env);
  try {
    const figures = await measure(started.found[1]!.replace('localhost', '127.0.0.1'), started.child.pid!);
    return { label: stores.join(', '), figures };
  } finally {
    const exited = new Promise((resolve) => started.child.once('exit', resolve));
    started.child.kill('SIGTERM');
    await exited;
    if (ownDatabase) {
      const client = new pg.Client(admin);
      await client.connect();
      await client.query(`drop database if exists ${run} with (force)`);
      await client.end();
    }
    if (env.REDIS_URL) {
      const { Redis } = await import('ioredis');
      const redis = new Redis(env.REDIS_URL);
      const keys = await redis.keys(`${run}:*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  }
}
