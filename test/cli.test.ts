// `npm run step N` as a learner meets it: the real script, a real port, Ctrl-C.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { Agent, removeScratch, scratchCopy, signIn, tempDataDir } from '#checker';
import { EXIT_CODES, readArgs } from '#kit/cli.ts';
import { listSteps, ROOT, TS_NODE_ARGS } from '#kit/manifest.ts';
import { signInInFlight } from './in-flight.ts';

const STEP = [...TS_NODE_ARGS, 'commands/step.ts'];
/** Where the servers these tests start keep their database (step 8 on): never the kit's own .data/. */
const DATA_DIR = tempDataDir();

function runStep(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [...STEP, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
}

/** Runs kit commands (node, without npm) all at once (each is a Node start); resolves with each one's exit and output. */
function runAll(
  cases: readonly (readonly [string, readonly string[]])[],
): Promise<{ status: number | null; stdout: string; stderr: string }[]> {
  return Promise.all(
    cases.map(
      ([file, args]) =>
        new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
          const child = spawn(process.execPath, [...TS_NODE_ARGS, file, ...args], {
            cwd: ROOT,
            env: { ...process.env, DATA_DIR },
            timeout: 60_000,
          });
          let [stdout, stderr] = ['', ''];
          child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
          child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
          child.on('close', (status) => done({ status, stdout, stderr }));
        }),
    ),
  );
}

/** Runs commands with bad arguments, all at once; each must exit 2 with its problem and usage on stderr. */
async function refused(cases: readonly (readonly [string, readonly string[], RegExp])[]): Promise<void> {
  const runs = await runAll(cases.map(([file, args]) => [file, args] as const));
  cases.forEach(([file, args, usage], index) => {
    const run = runs[index]!;
    assert.equal(run.status, 2, `${file} ${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, usage);
  });
}

describe('npm run step', () => {
  it('an unknown step is bad usage: the steps there are, the usage with each step, exit 2', { timeout: 60_000 }, () => {
    const run = runStep(['99']);
    assert.equal(run.status, 2);
    assert.match(
      run.stderr,
      /^There is no step 99: the steps are 0, 1, 2, 3, 4, 5, 6, 7, 8, 9\.\nUsage: npm run step N .*\nSteps:\n {2}npm run step 0 {3}00-starter: Starter\n/,
    );
    assert.match(run.stderr, /npm run step 6 {3}06-welcome-output: Welcome output/);
  });

  it('live mode without client_secret.json: one clear line, exit 1, no stack trace', () => {
    const run = runStep(['1', '--live'], { GOOGLE_CLIENT_SECRET_FILE: join(tmpdir(), 'no-such-client-secret.json') });
    assert.equal(run.status, 1);
    assert.match(
      run.stderr,
      /^(warning: .*\n)?error: Live mode needs .*no-such-client-secret\.json: download it from Google Cloud Console/,
    );
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });

  it('FAKE_GOOGLE_ORIGIN that is not an origin: one clear line, exit 1, no stack trace', { timeout: 60_000 }, () => {
    const run = runStep(['3', '--port', '0'], { FAKE_GOOGLE_ORIGIN: 'localhost:9' });
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(
      run.stderr,
      /^(warning: .*\n)?error: FAKE_GOOGLE_ORIGIN must be an origin like http:\/\/127\.0\.0\.1:PORT \(npm run fake-google prints it\), not "localhost:9"\.\n$/,
    );
  });

  it("a learner's folder that does not load: where and what, as npm run check says it, exit 1, no stack trace", { timeout: 60_000 }, () => {
    const dir = scratchCopy(listSteps()[1]!);
    try {
      writeFileSync(join(dir, 'require-xhr.ts'), `${readFileSync(join(dir, 'require-xhr.ts'), 'utf8')}const broken = ;\n`);
      const run = runStep(['--dir', dir, '--port', '0']);
      assert.equal(run.status, 1, run.stdout + run.stderr);
      const name = basename(dir);
      assert.match(
        run.stderr,
        new RegExp(
          `^error: the app in ${name}/ did not start:\\n {2}${name}/require-xhr\\.ts:\\d+:\\d+: syntax error: (Unexpected ";"|Expression expected)\\n`,
          'm',
        ),
      );
      assert.doesNotMatch(run.stderr, /\n\s+at /);
    } finally {
      removeScratch(dir);
    }
  });

  it('live mode with a malformed client_secret.json: one clear line, exit 1', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'gconnect-')), 'client_secret.json');
    writeFileSync(file, '{"installed": {"client_id": "x"}}');
    const run = runStep(['1'], { GOOGLE_CLIENT_SECRET_FILE: file });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /error: .*client_secret\.json has no web\.client_id and web\.client_secret/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });
});

describe('one convention for every command', () => {
  it('an unknown step is bad usage (exit 2) for every command that takes a step', { timeout: 120_000 }, () =>
    refused(
      ['step', 'check', 'hint', 'compare'].map(
        (command) =>
          [
            `commands/${command}.ts`,
            ['99'],
            new RegExp(`^There is no step 99: the steps are 0, 1, 2, 3, 4, 5, 6, 7, 8, 9\\.\\nUsage: npm run ${command} `),
          ] as const,
      ),
    ),
  );

  it(
    'a port outside 0 to 65535, or more instances than a laptop holds: the problem and the usage, exit 2, before any work',
    {
      timeout: 120_000,
    },
    () =>
      refused([
        [
          'commands/fake-google.ts',
          ['--port', '70000'],
          /^error: --port takes a port, 0 \(any free one\) to 65535, not "70000"\.\nUsage: npm run fake-google /,
        ],
        [
          'commands/cluster.ts',
          ['--port', 'x'],
          /^error: --port takes a port, 0 \(any free one\) to 65535, not "x"\.\nUsage: npm run cluster /,
        ],
        [
          'commands/cluster.ts',
          ['--instances', '30'],
          /^error: --instances takes at most 16 \(each is a Node process\), not 30\.\nUsage: npm run cluster /,
        ],
      ]),
  );

  it('npm run X -- --help prints the usage and exits 0, for every script in package.json (but test, and those running tsc or Biome)', {
    timeout: 240_000,
  }, async () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    // typecheck, lint and format run tsc and Biome, whose --help is their own.
    const names = Object.keys(scripts).filter((name) => !['test', 'typecheck', 'lint', 'format'].includes(name));
    const env = learnerEnv();
    const help = (name: string, flag: string) =>
      new Promise<{ status: number | null; stdout: string; stderr: string }>((done) => {
        const child = spawn('npm', ['run', '--silent', name, '--', flag], { cwd: ROOT, env, timeout: 120_000 });
        let [stdout, stderr] = ['', ''];
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        child.on('close', (status) => done({ status, stdout, stderr }));
      });
    // Four at a time: each is npm and a Node start, some loading the checker.
    const cases = [...names.map((name) => [name, '--help'] as const), ['step', '-h'] as const, ['check', '-h'] as const];
    const runs: { status: number | null; stdout: string; stderr: string }[] = [];
    for (let at = 0; at < cases.length; at += 4)
      runs.push(...(await Promise.all(cases.slice(at, at + 4).map(([name, flag]) => help(name, flag)))));
    cases.forEach(([name, flag], index) => {
      const run = runs[index]!;
      assert.equal(run.status, 0, `npm run ${name} -- ${flag}: ${run.stdout}${run.stderr}`);
      // npm start runs npm run step last: its usage is step's.
      assert.match(run.stdout, new RegExp(`^Usage: npm run ${name === 'start' ? 'step' : name}[ \n]`), `npm run ${name} -- ${flag}`);
      assert.ok(run.stdout.endsWith(`${EXIT_CODES}\n`), `npm run ${name} -- ${flag}: ${run.stdout}`);
      assert.equal(run.stderr, '', `npm run ${name} -- ${flag}`);
    });
  });
});

describe('the usage lines, typed as written', () => {
  it('each option in its own [-- ...], as the usage lines show them: every -- after the first is a separator, not a word', () => {
    const spec = {
      usage: 'npm run begin [-- --dir PATH] [-- --force]',
      command: 'npm run begin',
      options: { dir: { type: 'string' }, force: { type: 'boolean' } },
    } as const;
    // npm run begin -- --dir my-gconnect -- --force: npm keeps the first --, passes the rest on.
    assert.deepEqual(readArgs(spec, ['--dir', 'my-gconnect', '--', '--force'], {}), {
      values: { dir: 'my-gconnect', force: true },
      words: [],
    });
    assert.deepEqual(readArgs(spec, ['--', '--force'], {}), { values: { force: true }, words: [] });
  });
});

describe("the maintainers' tools", () => {
  it('a count that is not a whole number from 1: the problem and the usage, exit 2, before any work', () =>
    refused([
      ['tools/bench.ts', ['--rounds', 'x'], /^error: --rounds takes a whole number from 1, not "x"\.\nUsage: npm run bench /],
      ['tools/flood.ts', ['--visits', '0'], /^error: --visits takes a whole number from 1, not "0"\.\nUsage: npm run flood /],
    ]));

  it('an option or a word a tool does not take: the problem and the usage, exit 2, before any work', () =>
    refused([
      ['tools/screenshots.ts', ['--nope'], /^Unknown option --nope\.\nUsage: npm run screenshots\n$/],
      ['tools/sync-steps.ts', ['all'], /^Unexpected argument all\.\nUsage: npm run sync-steps \[-- --check\]\n$/],
    ]));
});

/** The environment of a learner's terminal, not npm test's: npm's settings from this run would change what npm does. */
function learnerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NPM_CONFIG_UPDATE_NOTIFIER: 'false' };
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key) && key !== 'NODE_TEST_CONTEXT') env[key] = value;
  return { ...env, DATA_DIR };
}

interface Serving {
  url: string;
  out: () => string;
  printed(pattern: RegExp, seconds?: number): Promise<RegExpExecArray>;
  /** The started process's exit: its code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Every end of its output pipes closed: the server's too, when npm started it. */
  closed: Promise<void>;
  kill(signal: NodeJS.Signals): void;
  /** The signal to its whole process group (npm's run only), as a terminal's Ctrl-C sends it. */
  killGroup(signal: NodeJS.Signals): void;
  /** Ctrl-C (SIGINT); resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `npm run step ...`, by default without npm (node commands/step.ts ...), and waits
 * until it says it is listening.
 */
async function serve(args: string[], env: NodeJS.ProcessEnv, { via = 'node' }: { via?: 'node' | 'npm' | 'shell' } = {}): Promise<Serving> {
  const child =
    via === 'npm'
      ? // A process group of its own, as a terminal gives the command it runs: Ctrl-C signals the group.
        spawn('npm', ['run', 'step', '--', ...args], {
          cwd: ROOT,
          env: { ...learnerEnv(), SESSION_KEYS: 'test-key', ...env },
          detached: true,
        })
      : via === 'shell'
        ? // A shell that stays, as npm's `sh -c` does without `exec` (the `; exit` keeps any sh from exec-ing node).
          spawn('sh', ['-c', '"$0" "$@"; exit', process.execPath, ...STEP, ...args], {
            cwd: ROOT,
            env: { ...process.env, DATA_DIR, SESSION_KEYS: 'test-key', ...env },
          })
        : spawn(process.execPath, [...STEP, ...args], { cwd: ROOT, env: { ...process.env, DATA_DIR, SESSION_KEYS: 'test-key', ...env } });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  const closed = new Promise<void>((done) => child.on('close', () => done()));
  /** Resolves once `pattern` is in what the server printed; fails after `seconds`, or when it exits first. */
  const printed = (pattern: RegExp, seconds = 20) =>
    new Promise<RegExpExecArray>((done, fail) => {
      const look = () => {
        const found = pattern.exec(out);
        if (found) finish(() => done(found));
      };
      const finish = (settle: () => void) => {
        clearTimeout(timer);
        child.stdout.off('data', look);
        child.stderr.off('data', look);
        settle();
      };
      const timer = setTimeout(() => finish(() => fail(new Error(`${pattern} not printed in ${seconds} s: ${out}`))), seconds * 1000);
      child.stdout.on('data', look);
      child.stderr.on('data', look);
      // Everything it printed is in once its pipes have closed.
      void closed.then(() => {
        const found = pattern.exec(out);
        finish(() => (found ? done(found) : fail(new Error(`ended before printing ${pattern}: ${out}`))));
      });
      look();
    });
  const url = (await printed(/Listening on (http:\/\/localhost:\d+)[\s\S]*Stop with Ctrl-C\./, 60))[1]!;
  return {
    url,
    out: () => out,
    printed,
    exited,
    closed,
    kill: (signal) => child.kill(signal),
    killGroup: (signal) => process.kill(-child.pid!, signal),
    stop() {
      child.kill('SIGINT');
      return exited.then(({ code }) => code);
    },
  };
}

describe('npm run step, serving', { concurrency: true }, () => {
  it('serves a step offline, prints the URL, mode and fixture codes, and stops cleanly on SIGINT', async () => {
    const server = await serve(['1', '--offline'], { PORT: '0' });
    assert.match(server.out(), /^Step 01-state-check: State check\./m);
    assert.match(server.out(), /^Mode: offline \(fake Google at http:\/\/127\.0\.0\.1:\d+/m);
    assert.match(server.out(), /^ {2}4\/fixture-alice +Signs in as Alice/m);
    const login = await fetch(`${server.url}/login`);
    assert.equal(login.status, 200);
    // Each sign-in's trace, in the server's terminal.
    assert.equal((await signIn(new Agent(server.url), '4/fixture-alice')).status, 200);
    // Written before the answer, read from another pipe: waited for, not assumed in.
    await server.printed(
      /^POST \/gconnect 200 in [\d.]+ ms\n {2}✔ require-xhr +[\d.]+ ms\n {2}✔ check-state +[\d.]+ ms\n {2}✔ state-verified +[\d.]+ ms {2}200 "State verified\."$/m,
    );
    assert.equal(await server.stop(), 0);
  });

  it('SIGTERM to npm (npm run step 1 -- --port 0): the server stops, npm and the server exit 0, the port is closed', {
    timeout: 120_000,
  }, async () => {
    const server = await serve(['1', '--port', '0'], {}, { via: 'npm' });
    assert.equal((await fetch(`${server.url}/login`)).status, 200);
    server.kill('SIGTERM');
    // npm's shell execs the server (package.json's `exec node`): npm's SIGTERM reaches it, and
    // npm's exit is the server's.
    assert.deepEqual(await server.exited, { code: 0, signal: null });
    await server.printed(/^Stopped \(SIGTERM\)\.$/m);
    await server.closed;
    await assert.rejects(fetch(`${server.url}/login`), 'the port no longer answers');
  });

  it('Ctrl-C on npm run step 1 (SIGINT to its process group: npm, and the server twice): the server stops, npm exits 0', {
    timeout: 120_000,
  }, async () => {
    const server = await serve(['1', '--port', '0'], {}, { via: 'npm' });
    server.killGroup('SIGINT');
    assert.deepEqual(await server.exited, { code: 0, signal: null });
    await server.printed(/^Stopped \(SIGINT\)\.$/m);
    await server.closed;
    await assert.rejects(fetch(`${server.url}/login`), 'the port no longer answers');
  });

  it('the server stops when the process that started it ends (a shell killed by SIGTERM, npm without exec)', {
    timeout: 120_000,
  }, async () => {
    const server = await serve(['1', '--port', '0'], {}, { via: 'shell' });
    server.kill('SIGTERM');
    assert.deepEqual(await server.exited, { code: null, signal: 'SIGTERM' }, 'the shell dies of it');
    await server.printed(/^Stopped: the process that started this server ended\.$/m);
    await server.closed;
    await assert.rejects(fetch(`${server.url}/login`), 'the port no longer answers');
  });

  it('a sign-in in flight when SIGTERM comes is answered; then the server stops, exit 0', { timeout: 120_000 }, async () => {
    const server = await serve(['2'], { PORT: '0' });
    const agent = new Agent(server.url);
    const inFlight = await signInInFlight(server.url, agent, '4/fixture-alice');
    agent.close();
    server.kill('SIGTERM');
    await server.printed(/^Stopping: 1 request in flight, given up to 10 s to finish/m);
    inFlight.send();
    assert.deepEqual(await inFlight.outcome, { status: 200, connection: 'close', body: '"Code exchanged."' });
    assert.deepEqual(await server.exited, { code: 0, signal: null });
    assert.match(server.out(), /^Stopped \(SIGTERM\)\.$/m);
  });

  it('--port picks the port, also when npm kept it for itself (npm run step 1 --port N)', async () => {
    // A port free a moment ago can be taken (by another test's server) before the step binds
    // it, more likely on a busy machine: then another one is tried.
    for (let tries = 1; ; tries++) {
      const probe = createServer().listen(0, '127.0.0.1');
      await once(probe, 'listening');
      const free = (probe.address() as AddressInfo).port;
      await new Promise((done) => probe.close(done));
      const server = await serve(['1', String(free)], { PORT: '', npm_lifecycle_event: 'step', npm_config_port: 'true' }).catch(
        (err: Error) => {
          if (tries < 3 && err.message.includes(`port ${free} is in use`)) return null;
          throw err;
        },
      );
      if (!server) continue;
      assert.equal(server.url, `http://localhost:${free}`);
      assert.equal(await server.stop(), 0);
      return;
    }
  });
});
