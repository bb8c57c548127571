// The attack lab (attacks/, npm run attack): every attack in manifest.json succeeds where its
// defence is missing and is stopped from the defence's step on, so none is a check that cannot
// fail. Where the defence is missing: the step before, or, for an attack with nothing to attack
// before its step (no session holds a user before step 5), a copy of its step with the mistake
// that opens the hole. One server per folder, shared by its attacks.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { removeScratch, scratchCopy, startKit, type RunningKit } from '#checker';
import { listSteps, ROOT, TS_NODE_ARGS } from '#kit/manifest.ts';
import { loadAttacks, runOn, stepOfFolder, type Declared } from '#attacks/lab.ts';
import { describe as describeResult } from '#attacks/report.ts';
import { writeProgress } from '../commands/lib/progress.ts';

const steps = listSteps();
const last = steps.at(-1)!;
const attacks = await loadAttacks(steps);
const folders: string[] = [];
after(() => folders.forEach(removeScratch));

/** A copy of the attack's step with its mistake made: what a learner who made it has. */
function mistakenCopy({ attack, step }: Declared): string {
  const dir = scratchCopy(step);
  folders.push(dir);
  const file = join(dir, attack.mistake!.file);
  let text = readFileSync(file, 'utf8');
  for (const { from, to } of attack.mistake!.edits) {
    assert.ok(text.includes(from), `${attack.name}: ${attack.mistake!.file} of step ${step.number} has no ${JSON.stringify(from)}`);
    text = text.replace(from, to);
  }
  writeFileSync(file, text);
  return dir;
}

/** Runs `which` on one server of `dir`, asserting each one's verdict. */
async function expectVerdicts(dir: string, which: readonly Declared[], succeeds: boolean, where: string): Promise<void> {
  const kit: RunningKit = await startKit(dir);
  try {
    for (const result of await runOn(kit, which)) {
      // A service it needs is missing (Redis): told on a learner's machine, a failure under CI.
      if (result.outcome.skipped !== undefined && process.env.CI !== 'true') {
        console.log(`${result.attack.name} on ${where} not tried in full: ${result.outcome.skipped}`);
        continue;
      }
      assert.equal(result.outcome.skipped, undefined, `${result.attack.name} on ${where}: under CI every attack runs in full`);
      assert.equal(result.outcome.succeeded, succeeds, `${result.attack.name} on ${where}:\n${describeResult(result)}`);
    }
  } finally {
    await kit.close();
  }
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function attackCommand(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...env };
  delete childEnv.NODE_TEST_CONTEXT;
  // Killed after two minutes, as every command the tests start (test/run.mjs): a hang fails the test.
  const child = spawn(process.execPath, [...TS_NODE_ARGS, 'commands/attack.ts', ...args], { cwd: ROOT, env: childEnv, timeout: 120_000 });
  let [stdout, stderr] = ['', ''];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((done) => child.on('close', (status) => done({ status, stdout, stderr })));
}

// Three at a time: each test has its own servers and browsers (or its own process).
describe('the attack lab', { concurrency: 3 }, () => {
  it('every attack in manifest.json is a module of attacks/, named as declared, once', () => {
    const names = attacks.map(({ attack }) => attack.name);
    assert.deepEqual(names, [...new Set(names)]);
    assert.ok(attacks.length > 0);
  });

  // One server per step: the attacks its defence stops (stopped), the next step's (succeed).
  for (const step of steps) {
    const stopped = attacks.filter((declared) => declared.step.number === step.number || step === last);
    const succeed = attacks.filter((declared) => declared.step.number === step.number + 1 && !declared.attack.mistake);
    if (stopped.length + succeed.length === 0) continue;
    it(`step ${step.number}: ${[
      stopped.length > 0 ? `stops ${stopped.map(({ attack }) => attack.name).join(', ')}` : '',
      succeed.length > 0 ? `is open to ${succeed.map(({ attack }) => attack.name).join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ')}`, { timeout: 300_000 }, async () => {
      await expectVerdicts(step.dir, stopped, false, `step ${step.number}`);
      if (succeed.length > 0) await expectVerdicts(step.dir, succeed, true, `step ${step.number}`);
    });
  }

  for (const declared of attacks.filter(({ attack }) => attack.mistake)) {
    it(
      `${declared.attack.name} succeeds on step ${declared.step.number} with the mistake: ${declared.attack.mistake!.says}`,
      {
        timeout: 300_000,
      },
      () => expectVerdicts(mistakenCopy(declared), [declared], true, `step ${declared.step.number} with the mistake`),
    );
  }

  it("a learner's folder is at the last step whose added files are all there: npm run begin's copy at 0", () => {
    const starter = scratchCopy(steps[0]!);
    const fourth = scratchCopy(steps[4]!);
    folders.push(starter, fourth);
    assert.equal(stepOfFolder(starter, steps), 0);
    assert.equal(stepOfFolder(fourth, steps), 4);
    assert.equal(stepOfFolder(last.dir, steps), last.number);
  });

  // npm run attack itself, in a child process: its verdict, its words, its exit codes.
  it('an attack the folder\'s step should stop and does not: what was sent and answered, "SUCCEEDED", the chapter, exit 1', {
    timeout: 150_000,
  }, async () => {
    const mistaken = mistakenCopy(attacks.find(({ attack }) => attack.name === 'stored-xss')!);
    const run = await attackCommand(['stored-xss', '--dir', mistaken]);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /step 6, with the fake Google/);
    assert.match(
      run.stdout,
      / {2}sent: {5}Mallory signs in .*\n {2}answered: 200 a page \(text\/html\): her <script> is in it, as markup\n/,
    );
    assert.match(
      run.stdout,
      /\nVerdict: SUCCEEDED: her script is markup in the welcome answer\.\nThe defence: step 6, welcome output: tutorial\/06-welcome-output\.md\n/,
    );
    assert.match(run.stdout, /step 6 should stop stored-xss: see tutorial\/06-welcome-output\.md\./);
  });

  it('an attack that needs Redis, without one: what could be tried, "skipped" with the reason, and no failure (exit 0)', {
    timeout: 150_000,
  }, async () => {
    const run = await attackCommand(['replay-elsewhere', '--step', '1'], { REDIS_URL: 'redis://127.0.0.1:1' });
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(
      run.stdout,
      / {2}sent: {5}memory stores, one per instance: the same request, state and cookie, to instance B\n {2}answered: 200 "State verified\."\n/,
    );
    assert.match(
      run.stdout,
      /\nVerdict: skipped: Redis at redis:\/\/127\.0\.0\.1:1 is unreachable \(connect ECONNREFUSED 127\.0\.0\.1:1\); start one, or set REDIS_URL/,
    );
    assert.match(run.stdout, /; not tried in full here: replay-elsewhere\.\n/);
  });

  it("a learner's folder is judged at the step of their last npm run check N, even when its files are named otherwise", {
    timeout: 150_000,
  }, async () => {
    // Step 1 written into a file named otherwise (state-token.ts is the reference's name), and the state never spent.
    const dir = scratchCopy(steps[1]!);
    folders.push(dir);
    renameSync(join(dir, 'state-token.ts'), join(dir, 'tokens.ts'));
    for (const name of ['check-state.ts', 'login-page.ts']) {
      const file = join(dir, name);
      writeFileSync(file, readFileSync(file, 'utf8').replace("from './state-token.ts'", "from './tokens.ts'"));
    }
    const check = join(dir, 'check-state.ts');
    const spends = ' || !(await spend(ctx, given))';
    assert.ok(readFileSync(check, 'utf8').includes(spends));
    writeFileSync(check, readFileSync(check, 'utf8').replace(spends, ''));
    const guessed = await attackCommand(['state-replay', '--dir', dir]);
    assert.equal(
      guessed.status,
      0,
      `by its files alone the folder is at step 0, which need not stop it: ${guessed.stdout}${guessed.stderr}`,
    );
    assert.match(guessed.stdout, new RegExp(`^Attacking ${basename(dir)}/, step 0, with the fake Google$`, 'm'));
    writeProgress(dir, { hintsSeen: {}, lastFailed: 1, lastChecked: 1 });
    const judged = await attackCommand(['state-replay', '--dir', dir]);
    assert.equal(judged.status, 1, judged.stdout + judged.stderr);
    assert.match(
      judged.stdout,
      new RegExp(`^Attacking ${basename(dir)}/, step 1 \\(your last npm run check 1\\), with the fake Google$`, 'm'),
    );
    assert.match(judged.stdout, /^Verdict: SUCCEEDED: /m);
  });

  it('bad usage: exit 2 with the usage; live mode refused in one line, exit 2, before any attack', { timeout: 150_000 }, async () => {
    const runs = await Promise.all([
      attackCommand(['no-such-attack']),
      attackCommand(['--step', '1', '--dir', 'x']),
      attackCommand(['login-csrf', '--step', '1'], { GOOGLE_CLIENT_SECRET_FILE: join(ROOT, 'client_secret.json') }),
    ]);
    for (const run of runs) assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.match(runs[0]!.stderr, /^There is no attack no-such-attack\.\nUsage: npm run attack /);
    assert.match(runs[1]!.stderr, /^Either --step N or --dir PATH, not both\.\nUsage: npm run attack /);
    assert.equal(runs[2]!.stderr.trim().split('\n').length, 1, runs[2]!.stderr);
    assert.match(runs[2]!.stderr, /^npm run attack runs offline only, against the fake Google, never a real one/);
    assert.equal(runs[2]!.stdout, '');
  });
});
