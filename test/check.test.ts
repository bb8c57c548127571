// The learner's commands as a learner meets them: the real scripts, in a child process,
// against throw-away learner folders (copies of reference steps, some broken on purpose).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { listSteps, ROOT } from '../shared/steps.ts';
import { removeScratch, scratchCopy } from '../scripts/lib/scratch.ts';

const steps = listSteps();
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

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function kit(script: string, args: string[]): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${script}.ts`, ...args], { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((done) => child.on('close', (status) => done({ status, stdout, stderr })));
}

const check = (dir: string, ...args: string[]) => kit('check', [...args, '--dir', dir]);

// Two at a time: each check is a test child and tsc; more at once on a 2-core machine slows
// the servers under test past their 2.5 s Google timeout.
describe('npm run check', { concurrency: 2 }, () => {
  it('the starter fails step 1 with the state message, the chapter and the first hint', async () => {
    const dir = copyOf(0);
    const run = await check(dir);
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^✘ Step 1, state check: \d+ of \d+ checks fail\. The first:\n {2}GET \/login embeds a fresh URL-safe state of at least 32 characters\n {4}expected: text matching \/\^\[A-Za-z0-9_-\]\{32,\}\$\/\n {4}got: {6}""$/m);
    assert.match(run.stdout, /^ {2}Chapter: tutorial\/01-state-check\.md$/m);
    assert.match(run.stdout, /^ {2}Hint \(Nudge\):\n {4}The login page must hand out a fresh, unguessable state/m);
    assert.match(run.stdout, /\n✘ 1 state check {2}· 2 {2}· 3 {2}· 4 {2}· 5 {2}· 6\n$/);
    assert.doesNotMatch(run.stdout, /\x1b\[/, 'no colour codes when piped');
  });

  for (const step of [1, 6]) {
    it(`a copy of step ${step} passes check ${step}, says what comes next and offers the comparison`, async () => {
      const run = await check(copyOf(step), String(step));
      assert.equal(run.status, 0, run.stdout + run.stderr);
      assert.match(run.stdout, new RegExp(`^✔ Step ${step}, ${steps[step]!.title.toLowerCase()}: all \\d+ checks pass\\.$`, 'm'));
      assert.match(run.stdout, step < 6 ? new RegExp(`^ {2}Next: step ${step + 1}, .* Read tutorial/0${step + 1}-`, 'm') : /That was the last step/);
      assert.match(run.stdout, new RegExp(`^ {2}Compare notes with the reference: npm run compare ${step}$`, 'm'));
    });
  }

  it('a copy of step 6 passes all the steps; a copy of step 3 stops at step 4', async () => {
    const [six, three] = await Promise.all([check(copyOf(6)), check(copyOf(3))]);
    assert.equal(six.status, 0, six.stdout);
    assert.match(six.stdout, /\n✔ 1 state check {2}✔ 2 code exchange {2}✔ 3 token validation {2}✔ 4 user match {2}✔ 5 session storage {2}✔ 6 welcome output\n$/);
    assert.equal(three.status, 1);
    assert.match(three.stdout, /\n✔ 1 state check {2}✔ 2 code exchange {2}✔ 3 token validation {2}✘ 4 user match {2}· 5 {2}· 6\n$/);
  });

  it('state check removed: step 1 fails with what was sent, expected and got', async () => {
    const dir = copyOf(1);
    breakFile(dir, 'gconnect.ts', "import { checkState } from './check-state.ts';\n", '');
    breakFile(dir, 'gconnect.ts', '    checkState,\n', '');
    const run = await check(dir, '1');
    assert.equal(run.status, 1);
    assert.match(
      run.stdout,
      /^ {2}without a state in the query: 401\n {4}sent: {5}POST \/gconnect\n {14}content-type: application\/octet-stream; charset=utf-8\n {14}x-requested-with: XMLHttpRequest\n {14}cookies: gconnect\.sid, gconnect\.sid\.sig\n {14}body: 4\/fixture-alice\n {4}expected: 401 application\/json "Invalid state parameter\."\n {4}got: {6}200 application\/json "State verified\."$/m,
    );
  });

  it('audience check removed: step 3 fails on the other app\'s ID token', async () => {
    const dir = copyOf(3);
    breakFile(dir, 'validate-tokens.ts', '{ idToken, audience: clientId }', '{ idToken }');
    const run = await check(dir, '3');
    assert.equal(run.status, 1);
    assert.match(run.stdout, /^ {2}4\/fixture-id-token-other-audience \(issued to another app\): 401 "Invalid ID token\."\n {4}sent: {5}POST \/gconnect\?state=<state>\n/m);
    assert.match(run.stdout, /^ {4}expected: 401 application\/json "Invalid ID token\."\n {4}got: {6}200 application\/json "Tokens validated\."$/m);
    // tsc sees the clientId no longer used, and says so first.
    assert.match(run.stdout, /^✘ Type errors \(tsc\):\n {2}\.check-\w+\/validate-tokens\.ts:\d+:\d+: 'clientId' is declared but its value is never read\./m);
  });

  it('welcome not escaped: step 6 fails on Mallory\'s name, ports normalised', async () => {
    const dir = copyOf(6);
    breakFile(dir, 'views/welcome.pug', '#{name}', '!{name}');
    const run = await check(dir, '6');
    assert.equal(run.status, 1);
    assert.match(run.stdout, /^ {2}4\/fixture-mallory: a name and picture full of HTML are shown as text, everywhere\n {4}expected: "<h1>Welcome, &lt;script&gt;alert\(1\)&lt;\/script&gt;!<\/h1><img class=\\"avatar\\" src=\\"http:\/\/127\.0\.0\.1:PORT\/avatars\/mallory\.svg/m);
    assert.match(run.stdout, /^ {4}got: {6}"<h1>Welcome, <script>alert\(1\)<\/script>!/m);
  });

  it('a syntax error in the learner\'s file: file, line, the code, and no runner stack', async () => {
    const dir = copyOf(1);
    breakFile(dir, 'check-state.ts', '  delete ctx.session?.state;', '  delete ctx.session?.state;;)');
    const run = await check(dir, '1');
    assert.equal(run.status, 1);
    assert.match(run.stdout, /^✘ Your app in \.check-\w+\/ did not load:\n {2}\.check-\w+\/check-state\.ts:(\d+):\d+: syntax error: .+\n\n {2}\1 \| {3}delete ctx\.session\?\.state;;\)\n {2}\s+\^$/m);
    assert.doesNotMatch(run.stdout + run.stderr, /\n\s+at /);
  });

  it('bad usage exits 2', async () => {
    const runs = await Promise.all([kit('check', ['9']), kit('check', ['--nope']), kit('check', ['--dir', 'no-such-folder']), kit('hint', ['x']), kit('compare', [])]);
    for (const run of runs) assert.equal(run.status, 2, run.stdout + run.stderr);
    assert.match(runs[0]!.stderr, /^There is no step 9: the steps are 0, 1, 2, 3, 4, 5, 6\.\nUsage: npm run check/);
  });
});

describe('npm run begin, hint, compare', { concurrency: true }, () => {
  it('begin makes a starter folder that typechecks and runs, and refuses to overwrite it without --force', async () => {
    const dir = copyOf(0);
    removeScratch(dir);
    const made = await kit('begin', ['--dir', dir]);
    assert.equal(made.status, 0, made.stderr);
    // Copied as it is: '#shared/...' imports work from any folder in the kit.
    assert.equal(readFileSync(join(dir, 'app.ts'), 'utf8'), readFileSync(join(listSteps()[0]!.dir, 'app.ts'), 'utf8'));
    assert.ok(!existsSync(join(dir, 'step.json')));
    const again = await kit('begin', ['--dir', dir]);
    assert.equal(again.status, 2);
    assert.match(again.stderr, /already exists: it may hold your work/);
    assert.equal((await kit('begin', ['--dir', dir, '--force'])).status, 0);
  });

  it('hint shows the tiers in turn, after the one the check showed', async () => {
    const dir = copyOf(0);
    await check(dir, '1');
    const second = await kit('hint', ['--dir', dir]);
    assert.match(second.stdout, /^Step 1, state check: hint 2 of 3, API\n/);
    const third = await kit('hint', ['1', '--dir', dir]);
    assert.match(third.stdout, /^Step 1, state check: hint 3 of 3, Shape\n/);
    assert.match(third.stdout, /That was the last hint/);
  });

  it('compare shows only real differences from the reference step', async () => {
    const dir = copyOf(2);
    breakFile(dir, 'exchange-code.ts', "textLimit: '8kb'", "textLimit: '16kb'");
    const run = await kit('compare', ['2', '--dir', dir]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^-  textLimit: '8kb',\n\+  textLimit: '16kb',$/m);
    assert.equal(run.stdout.match(/^\+\+\+ /gm)?.length, 1, 'one file differs');
    assert.match(run.stdout, /\n1\d files the same as the reference\.\n$/);
  });
});
