// The kit checks itself: each step says in manifest.json which files it adds and changes, and
// says it truly; every other file stays byte-identical; each step's new checks fail against
// the previous step's folder; and the harness's own promises hold (one verdict rule, a
// timeout that names the request, the silent-Google wait on a server of its own).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Socket } from 'node:net';
import { after, describe, it } from 'node:test';
import Koa from 'koa';
import {
  Agent,
  check,
  GOOGLE_TIMEOUT_MS,
  judge,
  loadSuites,
  removeScratch,
  runChecks,
  scratchCopy,
  SILENT_GOOGLE_TIMEOUT_MS,
  serving,
  startKit,
  type CheckResult,
} from '#checker';
import { describeFailure } from '#checker/check-report.ts';
import { expectThat, verbatim } from '#checker/expect.ts';
import { hintsOf } from '#kit/hints.ts';
import { listSteps, ROOT, STEP_FOLDER, STEPS_DIR, stepFiles, type StepInfo } from '#kit/manifest.ts';
import { loadFixtures } from '#fake-google/fixtures.ts';

const steps = listSteps();
const suites = await loadSuites();
const scratch: string[] = [];
after(() => scratch.forEach(removeScratch));

describe('the manifest', () => {
  it('lists every folder of steps/, each once, with a name the kit accepts', () => {
    const folders = readdirSync(STEPS_DIR, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    assert.deepEqual(
      steps.map((step) => step.name),
      folders,
    );
    for (const step of steps) assert.match(step.name, STEP_FOLDER);
  });

  for (const step of steps) {
    it(`${step.name}: has its chapter, its three hints and its suite, where the manifest says`, () => {
      for (const file of [step.chapter, step.hints, step.suite]) assert.ok(existsSync(join(ROOT, file)), `${file} is missing`);
      assert.equal(hintsOf(step).length, 3, `${step.hints}: three "## " sections`);
      assert.ok(step.title !== '' && step.gist !== '' && step.summary !== '', 'a title, a gist and a summary');
    });
  }

  it('every fixture scenario names a step of the manifest, the one that brings it in', () => {
    const numbers = steps.map((step) => step.number);
    for (const scenario of loadFixtures().scenarios.values())
      assert.ok(numbers.includes(scenario.step), `fixtures/scenarios/${scenario.name}.json: step ${scenario.step}`);
    assert.deepEqual(steps.flatMap((step) => step.fixtures).sort(), [...loadFixtures().scenarios.keys()].sort());
  });

  it('no code but the manifest reader names a step folder (comments and the suites aside)', () => {
    const names = new RegExp(`\\b(${steps.map((step) => step.name).join('|')})\\b`);
    const code = (dir: string): string[] =>
      readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
        .filter((file) => /\.(ts|mjs)$/.test(file))
        .map((file) => join(dir, file));
    const offenders = ['kit', 'commands', 'tools', 'checker', 'shared', 'fake-google', 'attacks']
      .flatMap(code)
      .filter((file) => !file.startsWith(join('checker', 'suites')))
      .flatMap((file) =>
        readFileSync(join(ROOT, file), 'utf8')
          .split('\n')
          .map((line, index) => ({ line, at: `${relative('.', file)}:${index + 1}` }))
          .filter(({ line }) => !/^\s*(\/\/|\*|\/\*)/.test(line) && names.test(line))
          .map(({ at }) => at),
      );
    assert.deepEqual(offenders, []);
  });
});

describe('step folders', () => {
  it('are numbered 0, 1, 2, ... without gaps, each with a suite of its own', () => {
    assert.deepEqual(
      steps.map((step) => step.number),
      steps.map((_, index) => index),
    );
    assert.deepEqual(
      suites.map((suite) => suite.step),
      steps.map((step) => step.number),
    );
  });

  for (const [index, step] of steps.entries()) {
    const previous: StepInfo | undefined = steps[index - 1];
    it(`${step.name}: the manifest lists exactly the files it adds and changes; the rest are byte-identical`, () => {
      const mine = stepFiles(step.dir);
      const theirs = previous ? stepFiles(previous.dir) : [];
      const added = mine.filter((file) => !theirs.includes(file));
      const removed = theirs.filter((file) => !mine.includes(file));
      const changed = mine.filter(
        (file) => theirs.includes(file) && !readFileSync(join(step.dir, file)).equals(readFileSync(join(previous!.dir, file))),
      );
      assert.deepEqual({ added, changed, removed }, { added: [...step.adds].sort(), changed: [...step.changes].sort(), removed: [] });
    });

    it(`${step.name}: has app.ts exporting createApp and the common server.ts`, async () => {
      const app = (await import(join(step.dir, 'app.ts'))) as { createApp?: unknown };
      assert.equal(typeof app.createApp, 'function');
      assert.ok(stepFiles(step.dir).includes('server.ts'), 'a server.ts');
    });
  }
});

describe("each step's new behaviour checks fail against the previous step", { concurrency: true }, () => {
  for (const [index, step] of steps.entries()) {
    const previous = steps[index - 1];
    if (!previous) continue;
    it(`suite ${step.number} fails against ${previous.name}, placeholder aside`, async () => {
      const run = await runChecks({ dir: previous.dir, steps: [step.number], placeholder: null }, { suites });
      assert.equal(run.loadError, undefined);
      assert.ok(run.results.length > 0, 'ran no check');
      const failed = run.results.filter((result) => !result.ok).map((result) => result.name);
      assert.ok(failed.length > 0, `all ${run.results.length} behaviour checks of step ${step.number} pass against ${previous.name}`);
      // A fixture this step brings in exists to catch what the previous step lacks: its checks fail there.
      const ownFixtures = run.results.filter((result) =>
        step.fixtures.some((code) => result.name.startsWith(`${code}:`) || result.name.startsWith(`${code} (`)),
      );
      const passing = ownFixtures.filter((result) => result.ok).map((result) => result.name);
      assert.deepEqual(passing, [], `checks of step ${step.number}'s own fixtures that pass against ${previous.name}`);
    });
  }
});

describe('the harness', () => {
  const result = (step: number, ok: boolean): CheckResult => ({ step, name: `a check of step ${step}`, placeholder: false, ok, ms: 1 });

  it('judges each step by its own checks only, in order, and stops at the first that fails', () => {
    const verdicts = judge([result(0, true), result(1, true), result(2, false), result(2, true), result(3, false)], [0, 1, 2, 3]);
    assert.deepEqual(
      verdicts.map(({ step, ok, failed, total }) => ({ step, ok, failed, total })),
      [
        { step: 0, ok: true, failed: 0, total: 1 },
        { step: 1, ok: true, failed: 0, total: 1 },
        { step: 2, ok: false, failed: 1, total: 2 },
        { step: 3, ok: null, failed: 0, total: 1 },
      ],
    );
  });

  it('ordinary calls to Google wait as long as a real server would; only the silent-Google server is impatient', async () => {
    const kit = await startKit(steps.at(-1)!.dir);
    try {
      assert.ok(kit.config.googleTimeoutMs >= 2500, `the app waits ${kit.config.googleTimeoutMs} ms for Google`);
      assert.equal(kit.config.googleTimeoutMs, GOOGLE_TIMEOUT_MS);
      const impatient = await kit.impatient();
      assert.equal(impatient.config.googleTimeoutMs, SILENT_GOOGLE_TIMEOUT_MS);
      assert.notEqual(impatient.base, kit.base);
    } finally {
      await kit.close();
    }
  });

  it('a server that never answers: the check fails in seconds and names the request it waited for', async () => {
    const dir = scratchCopy(steps[1]!);
    scratch.push(dir);
    // Stuck on the check's first request: with a short budget on an answer that does come
    // first (GET /login), a busy machine would make the verdict about speed.
    const file = join(dir, 'login-page.ts');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '  return (ctx) => {',
        '  return async () => {\n    await new Promise(() => {}); // never settles',
      ),
    );
    const run = await runChecks({ dir, steps: [1], placeholder: 1 }, { suites, requestTimeoutMs: 300, checkTimeoutMs: 20_000 });
    const stuck = run.results.find((check) => check.placeholder)!;
    assert.equal(stuck.ok, false);
    assert.match(String(stuck.error), /^NoAnswer: no answer in 0\.3 s to GET \/login: the server is stuck on this request$/);
    const slow = await runChecks({ dir, steps: [1], placeholder: 1 }, { suites, requestTimeoutMs: 20_000, checkTimeoutMs: 300 });
    assert.match(
      String(slow.results.find((check) => check.placeholder)!.error),
      /^CheckTimeout: this check went 0\.3 s without an answer: it was waiting for GET \/login$/,
    );
  });

  it("a check's deadline is a hang guard, not a budget: it restarts with every answer", async () => {
    const pause = () => new Promise((done) => setTimeout(done, 200));
    const steady = check('eleven answers, 0.2 s apart (2.2 s in all)', async (kit) => {
      for (let i = 0; i < 11; i++) {
        await pause();
        await kit.agent().get('/login');
      }
    });
    const silent = check('no request for 2.5 s', () => new Promise((done) => setTimeout(done, 2_500)));
    const run = await runChecks(
      { dir: steps[1]!.dir, steps: [1], placeholder: null },
      { suites: [{ step: 1, title: 'deadlines', checks: [steady, silent] }], checkTimeoutMs: 2_000 },
    );
    const [longButAnswered, stuck] = run.results;
    assert.equal(longButAnswered?.ok, true, `a check that keeps getting answers runs on: ${String(longButAnswered?.error)}`);
    assert.ok((longButAnswered?.ms ?? 0) > 2_000, `it took ${longButAnswered?.ms} ms, more than the 2 s guard`);
    assert.match(String(stuck?.error), /^CheckTimeout: this check went 2 s without an answer: it was not waiting for any request$/);
  });

  it('the suites and their helpers fail through checker/expect.ts (sent / expected / got), never a bare assert', () => {
    const files = [
      ...readdirSync(join(ROOT, 'checker', 'suites')).map((name) => `checker/suites/${name}`),
      'checker/notes.ts',
      'checker/gconnect.ts',
    ];
    const bare = files.filter((file) => /from 'node:assert|\bassert\.\w+\(/.test(readFileSync(join(ROOT, file), 'utf8')));
    assert.deepEqual(bare, []);
  });

  it("a failure that names no request shows the check's last one; a value marked verbatim is shown as it is, not as a placeholder", async () => {
    const state = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-';
    const about = check('what the store holds', async (kit) => {
      await kit.agent().get('/login');
      expectThat(false, { expected: 'a fresh state each time', got: `the same state both times: "${verbatim(state)}", not "${state}"` });
    });
    const run = await runChecks(
      { dir: steps[1]!.dir, steps: [1], placeholder: null },
      { suites: [{ step: 1, title: 'words', checks: [about] }] },
    );
    assert.equal(
      describeFailure(steps[1]!.dir, run.results[0]?.error),
      `sent:     GET /login (the check's last request)\n          cookies: none\nexpected: a fresh state each time\ngot:      the same state both times: "${state}", not "<state>"`,
    );
  });

  it("a browser sends a request again when the server closed its kept-alive connection under it; a new connection's reset is an error", async () => {
    const served = new WeakMap<Socket, number>();
    const app = new Koa();
    app.use((ctx) => {
      const socket = ctx.req.socket;
      const count = (served.get(socket) ?? 0) + 1;
      served.set(socket, count);
      // The second request on a connection meets the server closing it, as its idle timeout
      // does when a request goes out at that moment; /reset meets it on every connection.
      if (count === 2 || ctx.path === '/reset') {
        ctx.respond = false;
        socket.destroy();
        return;
      }
      ctx.body = `answer ${count} on this connection`;
    });
    await serving(app, async (base) => {
      const browser = new Agent(base);
      try {
        assert.equal((await browser.get('/one')).body, 'answer 1 on this connection');
        assert.equal((await browser.get('/two')).body, 'answer 1 on this connection', 'sent again, on a new connection');
        await assert.rejects(new Agent(base).get('/reset'), /^Error: GET \/reset failed: socket hang up$/);
      } finally {
        browser.close();
      }
    });
  });

  it("what the app logs during a run goes into the run's log, not to the terminal", async () => {
    const dir = scratchCopy(steps[1]!);
    scratch.push(dir);
    const file = join(dir, 'check-state.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  await next();', "  console.error('checking the state');\n  await next();"));
    const run = await runChecks({ dir, steps: [1], placeholder: 1 }, { suites });
    assert.ok(
      run.results.every((check) => check.ok),
      'the checks still pass',
    );
    assert.ok(run.serverLog.includes('checking the state'), `the log: ${run.serverLog.join(' | ')}`);
  });
});
