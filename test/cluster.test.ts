// `npm run fake-google` and `npm run cluster` as a learner runs them: the real scripts through
// npm, real processes on free ports (--port 0), stopped as a terminal stops them. Light: one
// start of each, memory stores (no Redis, no PostgreSQL needed), a few requests.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Agent, openLoginPage, postGconnect, signIn, tempDataDir } from '#checker';
import { listSteps, ROOT, TS_NODE_ARGS } from '#kit/manifest.ts';

const last = listSteps().at(-1)!;

interface Command {
  child: ChildProcess;
  out(): string;
  /** Resolves with the first match of `pattern` in what it printed; fails when it ends first. */
  printed(pattern: RegExp): Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `command` (npm, or node), its output collected; in a process group of its own, as a terminal runs it. */
function start(command: string, args: string[], env: NodeJS.ProcessEnv): Command {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiting = new Set<() => void>();
  const heard = (chunk: Buffer) => {
    output += chunk;
    for (const look of waiting) look();
  };
  child.stdout!.on('data', heard);
  child.stderr!.on('data', heard);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  const closed = new Promise<void>((done) => child.once('close', () => done()));
  const printed = (pattern: RegExp) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const look = () => {
        const found = pattern.exec(output);
        if (!found) return;
        waiting.delete(look);
        resolve(found);
      };
      waiting.add(look);
      look();
      void closed.then(() => {
        look();
        if (waiting.delete(look)) reject(new Error(`ended before printing ${pattern}: ${output}`));
      });
    });
  return { child, out: () => output, printed, exited };
}

/** The processes started by `pid`, and theirs (Linux: /proc). */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(name)]);
  }
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const child of parents.get(parent) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

/** Whether a process with this id still runs (a zombie counts as gone). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** A memory-store environment: no shared services, the embedded database in a folder of the test's own. */
const MEMORY = { REDIS_URL: '', DATABASE_URL: '', DATA_DIR: tempDataDir(), SIGN_IN_TRACES: '0' };

describe('npm run fake-google and npm run cluster', {
  concurrency: true,
  skip: existsSync('/proc/self/stat') ? false : 'needs /proc (Linux)',
}, () => {
  it('npm run fake-google prints its origin; a server given it as FAKE_GOOGLE_ORIGIN signs in through it; SIGTERM stops it, exit 0', {
    timeout: 60_000,
  }, async () => {
    const fake = start('npm', ['run', 'fake-google'], { FAKE_GOOGLE_PORT: '' });
    let server: Command | null = null;
    try {
      const origin = (await fake.printed(/^Fake Google at (http:\/\/127\.0\.0\.1:\d+)$/m))[1]!;
      // The next line tells how to use it (waited for: it may come in a later chunk).
      assert.equal((await fake.printed(/^Use it: FAKE_GOOGLE_ORIGIN=(\S+) npm run step N/m))[1], origin);
      // It serves: Google's tokeninfo, asked about a token it never issued, says so.
      const unknown = await fetch(`${origin}/tokeninfo`, { method: 'POST', headers: { authorization: 'Bearer ya29.never-issued' } });
      assert.equal(unknown.status, 400);
      // A server of the last step that uses it (and no fake of its own) signs Alice in.
      server = start(process.execPath, [...TS_NODE_ARGS, `${last.dir}/server.ts`, '--port', '0'], {
        ...MEMORY,
        FAKE_GOOGLE_ORIGIN: origin,
        HOST: '127.0.0.1',
        SESSION_KEYS: 'fake-google-test-key',
      });
      const base = `http://127.0.0.1:${(await server.printed(/^Listening on http:\/\/localhost:(\d+)$/m))[1]}`;
      const alice = new Agent(base);
      try {
        assert.equal((await signIn(alice, '4/fixture-alice')).status, 200);
        // Stopped, the fake takes the server's Google with it: its sign-ins now fail (502), so
        // the one above went through the fake the command started.
        process.kill(fake.child.pid!, 'SIGTERM');
        assert.deepEqual(await fake.exited, { code: 0, signal: null });
        await fake.printed(/^Stopped \(SIGTERM\)\.$/m);
        await assert.rejects(fetch(`${origin}/tokeninfo`), 'the port no longer answers');
        assert.equal((await signIn(new Agent(base), '4/fixture-alice')).status, 502);
      } finally {
        alice.close();
      }
    } finally {
      for (const command of [fake, server]) if (command && command.child.exitCode === null) process.kill(-command.child.pid!, 'SIGKILL');
    }
  });

  it('npm run cluster -- --instances 2 --port 0: signs in through the proxy, both instances answer; Ctrl-C stops every process, exit 0', {
    timeout: 60_000,
  }, async () => {
    const cluster = start('npm', ['run', 'cluster', '--', '--instances', '2', '--port', '0'], MEMORY);
    let started: number[] = [];
    try {
      const proxy = (await cluster.printed(/^Listening on (http:\/\/localhost:\d+)$/m))[1]!;
      await cluster.printed(/^Stop with Ctrl-C\.$/m);
      assert.ok(cluster.out().includes(`Cluster: 2 instances of step ${last.name}, behind a round-robin proxy.`), cluster.out());
      // npm, the cluster, its two instances (the fake Google and the proxy are the cluster's own).
      started = descendants(cluster.child.pid!);
      const node = started.filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('server.ts'));
      assert.equal(node.length, 2, `two instances among ${started.length} processes`);
      // The sign-in: its login page from one instance, its POST from the other, in turn.
      const alice = new Agent(proxy);
      try {
        const { reply: login, state } = await openLoginPage(alice);
        assert.equal(login.status, 200);
        const signedIn = await postGconnect(alice, { state, code: '4/fixture-alice' });
        assert.equal(signedIn.status, 200, signedIn.body);
        assert.match(signedIn.body, /Welcome(?: back)?, Alice Liddell!/);
        assert.deepEqual([login.headers.get('x-instance'), signedIn.headers.get('x-instance')].sort(), ['1', '2']);
      } finally {
        alice.close();
      }
      // Ctrl-C: SIGINT to the terminal's process group (npm and the cluster; the instances have their own).
      process.kill(-cluster.child.pid!, 'SIGINT');
      assert.deepEqual(await cluster.exited, { code: 0, signal: null });
      await cluster.printed(/^Stopped\.$/m);
      assert.deepEqual(
        started.filter((pid) => alive(pid)),
        [],
        `no process left: ${started.join(', ')}`,
      );
      await assert.rejects(fetch(`${proxy}/login`), 'the proxy no longer answers');
    } finally {
      if (cluster.child.exitCode === null) process.kill(-cluster.child.pid!, 'SIGKILL');
      for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });
});
