// The learner's commands as a learner meets them, against throw-away learner folders (copies
// of reference steps, some broken on purpose). The verdicts and words come from the check's
// own code (checkFolder and report, what `npm run check` prints), called here directly so
// that the catalogue of mistakes runs in seconds; the command itself is run as a child for
// what only a process shows: exit codes, usage, npm's swallowed options, files written.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { progressOfCopy, removeScratch, scratchCopy, tempDataDir } from '#checker';
import { listSteps, ROOT, stepFiles, TS_NODE_ARGS } from '#kit/manifest.ts';
import { checkFolder, passed } from '#checker/check-folder.ts';
import { describeTypeErrors, report } from '#checker/check-report.ts';
import { parseTsc } from '#checker/typecheck.ts';

const steps = listSteps();
const last = steps.at(-1)!;
const folders: string[] = [];
after(() => folders.forEach(removeScratch));

function copyOf(step: number): string {
  const dir = scratchCopy(steps[step]!);
  folders.push(dir);
  return dir;
}

/** Replaces `from` by `to` in a file of the folder, and fails if `from` is not there. */
function breakFile(dir: string, file: string, from: string, to: string): void {
  const text = readFileSync(join(dir, file), 'utf8');
  assert.ok(text.includes(from), `${file} has no ${JSON.stringify(from)} to break`);
  writeFileSync(join(dir, file), text.replace(from, to));
}

/**
 * What `npm run check [N]` prints for the folder, and whether it passes. tsc runs only where
 * the check is about types (`types`): elsewhere it would find nothing and cost most of the CPU.
 */
async function check(dir: string, step: number | null, types = false): Promise<{ ok: boolean; text: string }> {
  const outcome = await checkFolder(dir, steps, step === null ? null : steps[step]!, { typecheck: types });
  return { ok: passed(outcome), text: report(dir, outcome, steps) };
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A learner command in a child process, as npm would start it (minus npm itself). */
function kit(script: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  // DATA_DIR: a server a command starts (step 8 on) keeps its database there, never in the kit's .data/.
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', DATA_DIR: tempDataDir(), ...env };
  delete childEnv.NODE_TEST_CONTEXT;
  // Killed after a minute (under load, the slowest takes about 10 s): a command that hangs
  // fails its test, on any Node (test/run.mjs).
  const child = spawn(process.execPath, [...TS_NODE_ARGS, `commands/${script}.ts`, ...args], { cwd: ROOT, env: childEnv, timeout: 60_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((done) => child.on('close', (status) => done({ status, stdout, stderr })));
}

const progress = (text: string) => text.trim().split('\n').at(-1);

// Four at most at once (two groups of two): most of the time goes to child processes and
// tsc, which overlap well on two cores; many more at once would only queue for the CPU.
describe("the learner's commands", { concurrency: 2 }, () => {
  // Three copies: the starter, one in the middle, the last. That every step passes its own
  // checks is steps.test's, that each fails the next step's is kit.test's, and the judging
  // in between is the harness's unit test; `npm run under-load` checks a copy of every step.
  describe("npm run check: a reference step's copy shows exactly that step's progress", { concurrency: 2 }, () => {
    for (const step of [steps[0]!, steps[Math.floor(steps.length / 2)]!, last]) {
      it(`a copy of ${step.name}`, async () => {
        const all = await check(copyOf(step.number), null);
        assert.equal(progress(all.text), progressOfCopy(steps, step), all.text);
        assert.equal(all.ok, step === last);
      });
    }

    it('a copy of step 3 passes check 3, says what comes next, and offers the comparison', async () => {
      const run = await check(copyOf(3), 3);
      assert.ok(run.ok, run.text);
      assert.match(
        run.text,
        /^✔ Step 3, token validation: all \d+ checks pass\.\n {2}Next: step 4, user match\. .* Read tutorial\/04-user-match\.md\.\n {2}Compare notes with the reference: npm run compare 3$/m,
      );
    });

    it("a folder past the step asked for fails that step's placeholder, and says how to check it all", async () => {
      const run = await check(copyOf(last.number), 3);
      assert.ok(!run.ok, run.text);
      assert.match(
        run.text,
        /^✘ Step 3, token validation: 1 of \d+ checks fail\. The first:\n {2}4\/fixture-alice: 200 "Tokens validated\."$/m,
      );
      assert.match(run.text, /If you have written later steps, check them all: npm run check$/m);
    });
  });

  describe('npm run check, the command', { concurrency: 2 }, () => {
    it('the starter: exit 1, the first failing check with the chapter and the first hint; then npm run hint goes on from there', async () => {
      const dir = copyOf(0);
      const run = await kit('check', ['--dir', dir]);
      assert.equal(run.status, 1, run.stdout + run.stderr);
      assert.match(
        run.stdout,
        /^Checking \.check-\w+\/: every step\n\n✘ Step 1, state check: \d+ of \d+ checks fail\. The first:\n {2}GET \/login embeds a fresh URL-safe state of at least 32 characters\n {4}sent: {5}GET \/login\n {14}cookies: none\n {4}expected: a state of 32 or more URL-safe characters \(A-Z a-z 0-9 _ -\) in the button's data-state, as randomBytes\(32\)\.toString\('base64url'\) makes\n {4}got: {6}data-state="", empty$/m,
      );
      assert.match(
        run.stdout,
        /^ {2}Chapter: tutorial\/01-state-check\.md\n {2}Hint \(Nudge\):\n {4}The login page must hand out a fresh, unguessable state/m,
      );
      assert.match(run.stdout, /\n✘ 1 state check {2}· 2 {2}· 3 {2}· 4 {2}· 5 {2}· 6 {2}· 7 {2}· 8 {2}· 9\n$/);
      assert.ok(!run.stdout.includes('\x1b['), 'no colour codes when piped');
      // The check showed the first hint: npm run hint shows the second, then the third.
      const second = await kit('hint', ['--dir', dir]);
      assert.match(second.stdout, /^Step 1, state check: hint 2 of 3, API\n/);
      const third = await kit('hint', ['1', '--dir', dir]);
      assert.match(third.stdout, /^Step 1, state check: hint 3 of 3, Shape\n/);
      assert.match(third.stdout, /That was the last hint/);
    });

    it('a reference step checked in place: exit 0, and nothing written inside steps/', async () => {
      const step = steps[1]!;
      const before = stepFiles(step.dir);
      const run = await kit('check', [String(step.number), '--dir', step.dir]);
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.deepEqual(stepFiles(step.dir), before);
      assert.deepEqual(
        readdirSync(join(ROOT, 'steps')).filter((name) => name.startsWith('.')),
        [],
      );
    });

    it('--dir without --, as npm passes it, from where npm ran; a stray exception of the server is told, and the verdict stands', async () => {
      const dir = copyOf(1);
      breakFile(dir, 'check-state.ts', '  await next();', "  setTimeout(() => { throw new Error('a stray timer'); });\n  await next();");
      // `npm run check 1 --dir NAME`, typed in the folder above NAME: npm keeps --dir and passes NAME on.
      const run = await kit('check', ['1', basename(dir)], {
        npm_lifecycle_event: 'check',
        npm_config_dir: 'true',
        INIT_CWD: dirname(dir),
      });
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, new RegExp(`^Checking ${basename(dir)}/: step 1$`, 'm'));
      assert.match(run.stdout, /^✔ Step 1, state check: all \d+ checks pass\.$/m);
      assert.match(
        run.stdout,
        /^⚠ Your server threw outside any request \(a real server would have stopped\):\n {2}Error: a stray timer\n {4}at Timeout\._onTimeout \(\.check-\w+\/check-state\.ts:\d+:\d+\)$/m,
      );
      // The check passed: npm run hint without N has no failed step to go on from, and says so.
      const which = await kit('hint', ['--dir', dir]);
      assert.equal(which.status, 2, which.stdout + which.stderr);
      assert.match(which.stderr, /^Which step\? Your last check \(step 1\) passed: name the step, e\.g\. npm run hint 2\.$/m);
      const unclear = await kit('check', ['1', 'a', 'b'], { npm_lifecycle_event: 'check', npm_config_dir: 'true' });
      assert.equal(unclear.status, 2);
      assert.match(
        unclear.stderr,
        /^npm kept --dir for itself\. Put the options after --: npm run check -- 1 --dir DIR\nUsage: npm run check/,
      );
    });

    // A deadline of its own: the watcher runs until killed (test/run.mjs says why).
    it('--watch, also as npm passes it (npm run check 1 --watch): a check now, and again after a save', { timeout: 120_000 }, async () => {
      const dir = copyOf(1);
      const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', npm_lifecycle_event: 'check', npm_config_watch: 'true' };
      delete env.NODE_TEST_CONTEXT;
      const child = spawn(process.execPath, [...TS_NODE_ARGS, 'commands/check.ts', '1', '--dir', dir], { cwd: ROOT, env });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      /** Waits, 55 s at most (a whole check, a busy machine), until `pattern` was printed `count` times; fails saying what it waited for. */
      const seen = async (pattern: RegExp, count: number) => {
        const deadline = Date.now() + 55_000;
        while ((out.match(pattern)?.length ?? 0) < count) {
          assert.ok(Date.now() < deadline, `waited 55 s for ${pattern} to be printed ${count} time(s); the watcher printed:\n${out}`);
          await new Promise((wait) => setTimeout(wait, 50));
        }
      };
      try {
        await seen(/^Watching \.check-\w+\/ for changes/gm, 1);
        assert.match(out, /^✔ Step 1, state check: all \d+ checks pass\.$/m);
        breakFile(dir, 'check-state.ts', ' || !(await spend(ctx, given))', '');
        await seen(/^Watching \.check-\w+\/ for changes/gm, 2);
        assert.match(out, /^✘ Step 1, state check: \d+ of \d+ checks fail\. The first:\n {2}a state works once/m);
      } finally {
        child.kill();
      }
    });

    it('an error of tsc with no file and line (a file not found, a bad option) is a type error too, never a silent ✔', () => {
      const problems = parseTsc(
        "a.ts(3,5): error TS2322: Type 'string' is not assignable to type 'number'.\nerror TS6053: File 'x.ts' not found.\n",
      );
      assert.equal(problems.length, 2, JSON.stringify(problems));
      assert.equal(describeTypeErrors(problems), "a.ts:3:5: Type 'string' is not assignable to type 'number'.\nFile 'x.ts' not found.");
    });

    it('bad usage exits 2 with the usage', async () => {
      const runs = await Promise.all([
        kit('check', ['99']),
        kit('check', ['--nope']),
        kit('check', ['--dir', 'no-such-folder']),
        kit('hint', ['x']),
        kit('compare', []),
        kit('step', ['--nope']),
      ]);
      for (const run of runs) assert.equal(run.status, 2, run.stdout + run.stderr);
      assert.match(runs[0]!.stderr, /^There is no step 99: the steps are 0, 1, 2, 3, 4, 5, 6, 7, 8, 9\.\nUsage: npm run check/);
      assert.match(runs[1]!.stderr, /^Unknown option --nope\.\nUsage: npm run check/);
      assert.match(runs[5]!.stderr, /^Unknown option --nope\.\nUsage: npm run step/);
    });
  });

  describe('npm run begin, hint, compare', { concurrency: 2 }, () => {
    it('begin makes a starter folder that typechecks and runs, and refuses to overwrite it without --force', async () => {
      const dir = copyOf(0);
      removeScratch(dir);
      const made = await kit('begin', ['--dir', dir]);
      assert.equal(made.status, 0, made.stderr);
      // Copied as it is: '#shared/...' imports work from any folder in the kit.
      assert.equal(readFileSync(join(dir, 'app.ts'), 'utf8'), readFileSync(join(steps[0]!.dir, 'app.ts'), 'utf8'));
      assert.ok(!existsSync(join(dir, 'step.json')));
      const again = await kit('begin', ['--dir', dir]);
      assert.equal(again.status, 2);
      assert.match(again.stderr, /already exists: it may hold your work/);
      assert.equal((await kit('begin', ['--dir', dir, '--force'])).status, 0);
    });

    it('compare shows only real differences from the reference step', async () => {
      const dir = copyOf(2);
      breakFile(dir, 'exchange-code.ts', "textLimit: '8kb'", "textLimit: '16kb'");
      const run = await kit('compare', ['2', '--dir', dir]);
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /^- {2}textLimit: '8kb',\n\+ {2}textLimit: '16kb',$/m);
      assert.equal(run.stdout.match(/^\+\+\+ /gm)?.length, 1, 'one file differs');
      assert.match(run.stdout, /\n1\d files the same as the reference\.\n$/);
    });

    it('compare --code leaves out comments, region markers and blank lines, on both sides: only the code that differs', async () => {
      const dir = copyOf(3);
      // The learner wrote no comments and changed one line of code.
      const file = join(dir, 'validate-tokens.ts');
      const text = readFileSync(file, 'utf8');
      writeFileSync(
        file,
        text
          .split('\n')
          .filter((line) => !/^\s*\/\//.test(line))
          .join('\n')
          .replace("'Invalid ID token.'", "'Bad ID token.'"),
      );
      const [whole, code] = await Promise.all([kit('compare', ['3', '--dir', dir]), kit('compare', ['3', '--dir', dir, '--code'])]);
      assert.equal(code.status, 0, code.stderr);
      assert.match(whole.stdout, /^- {4}\/\/ #region tokeninfo$/m);
      assert.equal(code.stdout.match(/^[-+](?![-+]{2} )/gm)?.length, 2, code.stdout);
      assert.match(
        code.stdout,
        /^- {6}return answerJson\(ctx, 401, 'Invalid ID token\.'\);\n\+ {6}return answerJson\(ctx, 401, 'Bad ID token\.'\);$/m,
      );
      assert.match(code.stdout, /\n1\d files the same as the reference\.\n$/);
    });
  });
});
