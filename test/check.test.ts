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

  describe('npm run check: the mistakes learners make', { concurrency: 2 }, () => {
    it('the state compared with !==: a warning that names timingSafeEqual, with the file and line', async () => {
      const dir = copyOf(1);
      breakFile(dir, 'check-state.ts', '!sameToken(given, expected)', 'given !== expected');
      const run = await check(dir, 1);
      assert.match(run.text, /^⚠ \.check-\w+\/check-state\.ts:\d+: the state is compared with !==, .*timingSafeEqual from node:crypto/m);
    });

    it('a state made with Math.random(): every check passes, and a warning names randomBytes, with the file and line', async () => {
      const dir = copyOf(1);
      breakFile(
        dir,
        'state-token.ts',
        "  return randomBytes(32).toString('base64url');",
        "  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';\n  return Array.from({ length: 43 }, () => alphabet[Math.floor(Math.random() * 64)]).join('');",
      );
      const run = await check(dir, 1);
      assert.match(run.text, /^✔ Step 1, state check: all \d+ checks pass\.$/m);
      assert.match(
        run.text,
        /^⚠ \.check-\w+\/state-token\.ts:\d+: Math\.random\(\) is not a source of secrets: .*randomBytes or randomUUID/m,
      );
    });

    it('one state made at start-up and handed to everyone: step 1 fails, showing the same state came twice', async () => {
      const dir = copyOf(1);
      breakFile(
        dir,
        'state-token.ts',
        "export function newStateToken(): string {\n  return randomBytes(32).toString('base64url');",
        "const ONCE = randomBytes(32).toString('base64url');\nexport function newStateToken(): string {\n  return ONCE;",
      );
      const run = await check(dir, 1);
      assert.match(
        run.text,
        /^ {2}GET \/login embeds a fresh URL-safe state of at least 32 characters\n {4}expected: anything but "(.+)"\n {4}got: {6}the same, "\1"$/m,
      );
    });

    it('a stage that answers 500 itself is not said to have thrown', async () => {
      const dir = copyOf(2);
      breakFile(
        dir,
        'exchange-code.ts',
        "return answerJson(ctx, 401, 'Failed to upgrade the authorization code.');",
        "return answerJson(ctx, 500, 'Failed to upgrade the authorization code.');",
      );
      const run = await check(dir, 2);
      assert.match(run.text, /^ {4}note: {5}exchange-code answered 500 itself: nothing threw\.$/m);
      assert.doesNotMatch(run.text, /a 500 means your server threw/);
    });

    it('next() forgotten: step 1 fails, saying the chain stopped before the route answered', async () => {
      const dir = copyOf(1);
      breakFile(dir, 'check-state.ts', '  await next();\n', '');
      const run = await check(dir, 1);
      assert.match(run.text, /^✘ Step 1, state check: /m);
      assert.match(
        run.text,
        /note: {5}a 404 is what Koa answers when no stage of POST \/gconnect answered\. The chain stopped\n {14}before the route answered/,
      );
      assert.match(run.text, /^⚠ \.check-\w+\/check-state\.ts:\d+: this stage takes next but never calls it/m);
    });

    it('next() not awaited in the code exchange: step 2 fails, saying the chain stopped, and the file says where', async () => {
      const dir = copyOf(3);
      breakFile(dir, 'exchange-code.ts', '    await next();', '    next();');
      const run = await check(dir, null);
      assert.match(run.text, /^✘ Step 2, code exchange: /m);
      assert.match(
        run.text,
        /got: {6}404 application\/json "Not found\."\n {4}stages: {3}require-xhr ✔ {2}check-state ✔ {2}exchange-code ✔\n {4}note: {5}a 404 is what Koa answers when no stage of POST \/gconnect answered\. The chain stopped/,
      );
      assert.match(run.text, /^⚠ \.check-\w+\/exchange-code\.ts:\d+: next\(\) is called without await/m);
    });

    it('no audience in verifyIdToken: step 3 fails on the ID token issued to another app', async () => {
      const dir = copyOf(3);
      breakFile(dir, 'validate-tokens.ts', '{ idToken, audience: clientId }', '{ idToken }');
      const run = await check(dir, 3, true);
      assert.match(
        run.text,
        /^✘ Step 3, token validation: 1 of \d+ checks fail\. The first:\n {2}4\/fixture-id-token-other-audience \(issued to another app\): 401 "Invalid ID token\."$/m,
      );
      assert.match(
        run.text,
        /^ {4}expected: 401 application\/json "Invalid ID token\."\n {4}got: {6}200 application\/json "Tokens validated\."$/m,
      );
      // tsc sees the clientId no longer used, and says so first.
      assert.match(
        run.text,
        /^✘ Type errors \(tsc\):\n {2}\.check-\w+\/validate-tokens\.ts:\d+:\d+: 'clientId' is declared but its value is never read\./m,
      );
    });

    it("no redirect_uri 'postmessage': step 2 fails, and the fake Google says why it refused", async () => {
      const dir = copyOf(2);
      breakFile(dir, 'exchange-code.ts', "{ code, redirect_uri: 'postmessage' }", '{ code }');
      const run = await check(dir, 2);
      assert.match(
        run.text,
        /^✘ Step 2, code exchange: \d+ of \d+ checks fail\. The first:\n {2}4\/fixture-alice: Google accepts the exchange/m,
      );
      assert.match(
        run.text,
        /^ {2}The fake Google refused requests from your server:\n {4}the code exchange was refused \(redirect_uri_mismatch\): redirect_uri was null; a code from Google's popup is exchanged with redirect_uri 'postmessage'$/m,
      );
    });

    it("the whole tokens object stored in the session: step 2's rule catches it, at step 2", async () => {
      const dir = copyOf(5);
      breakFile(
        dir,
        'store-session.ts',
        '    session.accessToken = accessToken;',
        '    Object.assign(session, { tokens: ctx.state.tokens });\n    session.accessToken = accessToken;',
      );
      const run = await check(dir, null);
      assert.match(
        run.text,
        /^✘ Step 2, code exchange: 1 of \d+ checks fail\. The first:\n {2}whatever the session holds is plain strings and numbers: no credentials object, no ID token\n {4}session\.tokens is not a string or a number: \{"accessToken":"ya29\.<access token>","idToken":"<ID token>"\}$/m,
      );
    });

    it('an ID token check that refuses everyone: step 3 is blamed, not step 2 whose session check needs a whole sign-in', async () => {
      const dir = copyOf(6);
      breakFile(
        dir,
        'validate-tokens.ts',
        '      const ticket = await google.verifyIdToken',
        "      if (idToken) return answerJson(ctx, 401, 'Invalid ID token.');\n      const ticket = await google.verifyIdToken",
      );
      const run = await check(dir, null);
      assert.match(
        run.text,
        /^✔ Step 2, code exchange: all \d+ checks pass\. 1 more needs a whole sign-in, which stops at a later step's stage/m,
      );
      assert.match(
        run.text,
        /^✘ Step 3, token validation: 1 of \d+ checks fail, and \d+ checks of other steps that need a whole sign-in stop at its stage\. The first:\n {2}4\/fixture-alice: her tokens pass validation.*\n {4}your chain stopped at validate-tokens, step 3: it answered 401 "Invalid ID token\."$/m,
      );
      assert.match(run.text, /^ {2}Chapter: tutorial\/03-token-validation\.md$/m);
      assert.doesNotMatch(run.text, /✘ Step 2|02-code-exchange\.md/);
      assert.match(progress(run.text)!, /^✔ 1 state check {2}✔ 2 code exchange {2}✘ 3 token validation {2}· 4/);
    });

    it('a welcome template that throws: step 6 is blamed, not the earlier steps whose checks need a whole sign-in', async () => {
      const dir = copyOf(6);
      breakFile(dir, 'views/welcome.pug', 'h1 Welcome, #{name}!', 'h1 Welcome, #{name.first.last}!');
      const run = await check(dir, null);
      assert.match(
        run.text,
        /^✘ Step 6, welcome output: \d+ of \d+ checks fail, and \d+ checks of other steps that need a whole sign-in stop at its stage\. The first:\n {2}4\/fixture-alice: 200 text\/html.*\n {4}your chain stopped at welcome, step 6: it threw\.$/m,
      );
      assert.match(run.text, /^ {2}Chapter: tutorial\/06-welcome-output\.md$/m);
      // Only the failing check's own lines, each once: one sign-in, one error.
      assert.equal(run.text.match(/\[gconnect\] POST \/gconnect failed/g)?.length, 1, run.text);
      assert.doesNotMatch(run.text, /✘ Step [0-5]/);
      assert.match(progress(run.text)!, /✔ 5 session storage {2}✘ 6 welcome output {2}· 7 {2}· 8$/);
    });

    it('the welcome HTML built by adding strings: step 6 fails on Mallory, marking where the markup first differs', async () => {
      const dir = copyOf(6);
      breakFile(
        dir,
        'welcome.ts',
        '  render(ctx, VIEW, { name, picture: ctx.session?.picture });',
        '  ctx.type = \'text/html\';\n  ctx.body = \'<h1>Welcome, \' + name + \'!</h1><img class="avatar" src="\' + ctx.session?.picture + \'" alt="" width="150" height="150">\';',
      );
      breakFile(dir, 'welcome.ts', "import { render } from '#shared/render.ts';\n", '');
      const run = await check(dir, 6);
      assert.match(
        run.text,
        /^✘ Step 6, welcome output: 1 of \d+ checks fail\. The first:\n {2}4\/fixture-mallory: a name and picture full of HTML are shown as text, everywhere$/m,
      );
      assert.match(
        run.text,
        /^ {4}expected: "<h1>Welcome, &lt;script&gt;alert\(1\)&lt;\/script&gt;!<\/h1>.*\n {4}got: {6}"<h1>Welcome, <script>alert\(1\)<\/script>!<\/h1>.*\n {4}( +)\^ the first difference, at character 14$/m,
      );
      // The caret stands under the first character that differs, in both lines.
      const [, expected = '', , caret = ''] = /^( {4}expected: )(.*)\n.*\n( *)\^/m.exec(run.text)!;
      assert.equal(expected.length + '"<h1>Welcome, '.length, caret.length);
    });

    it("tokeninfo's azp not checked: step 4 fails on the token asked for by another app", async () => {
      const dir = copyOf(4);
      breakFile(
        dir,
        'match-user.ts',
        'tokenInfo.aud !== clientId || (tokenInfo.azp !== undefined && tokenInfo.azp !== clientId)',
        'tokenInfo.aud !== clientId',
      );
      const run = await check(dir, 4);
      assert.match(
        run.text,
        /^✘ Step 4, user match: 1 of \d+ checks fail\. The first:\n {2}4\/fixture-other-azp \(aud is ours, azp is another app's\): 401 "Token's client ID does not match app's\."$/m,
      );
    });

    it('no regenerate(): step 5 fails, saying the session must get a new id', async () => {
      const dir = copyOf(5);
      breakFile(dir, 'store-session.ts', '    await freshSession(session);\n', '');
      const run = await check(dir, 5);
      assert.match(
        run.text,
        /^✘ Step 5, session storage: 1 of \d+ checks fail\. The first:\n {2}signing in gives the session a new id and drops the old one: an id planted in the browser \(session fixation\) dies there\n {4}signing in must give the session a new id \(session\.regenerate\(\)\)/m,
      );
    });

    it("the user looked up by email: step 8 fails on Alice's twin, who is taken for Alice", async () => {
      const dir = copyOf(8);
      breakFile(dir, 'remember-user.ts', 'sub: ctx.state.idToken.sub', 'sub: profile.email');
      const run = await check(dir, 8);
      assert.match(
        run.text,
        /^✘ Step 8, remember user: 1 of \d+ checks fail\. The first:\n {2}4\/fixture-alice-twin \(Alice's address, unverified, another sub\): a user of its own/m,
      );
      assert.match(run.text, /the twin is not Alice: found by sub, not by email/);
    });

    it('a state not spent: step 1 fails, the state worked twice', async () => {
      const dir = copyOf(1);
      breakFile(dir, 'check-state.ts', ' || !spend(given)', '');
      const run = await check(dir, 1);
      assert.match(
        run.text,
        /^✘ Step 1, state check: \d+ of \d+ checks fail\. The first:\n {2}a state works once: the first use passes the check; used again, even with its cookie, 401\n(.*\n){5} {4}expected: 401 application\/json "Invalid state parameter\."\n {4}got: {6}200 application\/json "State verified\."$/m,
      );
    });

    it('no X-Requested-With check: step 1 fails on the request without the header', async () => {
      const dir = copyOf(1);
      breakFile(dir, 'gconnect.ts', "import { requireXhr } from './require-xhr.ts';\n", '');
      breakFile(dir, 'gconnect.ts', '    requireXhr,\n', '');
      const run = await check(dir, 1);
      assert.match(
        run.text,
        /^✘ Step 1, state check: 1 of \d+ checks fail\. The first:\n {2}without X-Requested-With: 403 "Missing X-Requested-With header\."\n {4}sent: {5}POST \/gconnect\?state=<state>\n {14}content-type: application\/octet-stream; charset=utf-8\n {14}cookies: gconnect\.state, gconnect\.state\.sig\n {14}body: 4\/fixture-alice\n {4}expected: 403 application\/json "Missing X-Requested-With header\."\n {4}got: {6}200 application\/json "State verified\."$/m,
      );
    });

    it('type errors make the verdict ✘, never ✔, even when every check passes over HTTP', async () => {
      const dir = copyOf(5);
      breakFile(
        dir,
        'store-session.ts',
        '    const googleId = ctx.state.idToken.sub;',
        '    const googleId: number = ctx.state.idToken.sub;',
      );
      const run = await check(dir, 5, true);
      assert.ok(!run.ok, run.text);
      assert.match(
        run.text,
        /^✘ Type errors \(tsc\):\n {2}\.check-\w+\/store-session\.ts:\d+:\d+: Type 'string' is not assignable to type 'number'\./m,
      );
      assert.match(
        run.text,
        /^✘ Step 5, session storage: its \d+ checks pass over HTTP, but tsc finds type errors \(above\): fix them first\.$/m,
      );
      assert.doesNotMatch(run.text, /✔ Step 5|✔ 5 session storage/);
      assert.match(progress(run.text)!, /✘ 5 session storage$/);
    });

    it("a syntax error: the file, the line, the code, and no stack of the kit's", async () => {
      const dir = copyOf(1);
      breakFile(
        dir,
        'check-state.ts',
        '  ctx.cookies.set(STATE_COOKIE, null, stateCookie(ctx));',
        '  ctx.cookies.set(STATE_COOKIE, null, stateCookie(ctx));;)',
      );
      const run = await check(dir, 1, true);
      assert.ok(!run.ok, run.text);
      assert.match(
        run.text,
        /^✘ Your app in \.check-\w+\/ did not load:\n {2}\.check-\w+\/check-state\.ts:(\d+):\d+: syntax error: .+\n\n {2}\1 \| {3}ctx\.cookies\.set\(STATE_COOKIE, null, stateCookie\(ctx\)\);;\)\n {2}\s+\^$/m,
      );
      assert.doesNotMatch(run.text, /\n\s+at /);
    });

    // ---- Issue 17's mistakes (steps 8 and 9), added with step 9 in the catalogue's current
    // style, as a block of their own, to be turned into data with the rest of the catalogue.

    it("no author check: step 9 fails on Bob's edit of Alice's note, which is answered 200", async () => {
      const dir = copyOf(9);
      breakFile(
        dir,
        'require-author.ts',
        "  if (ctx.state.note.userId !== ctx.state.userId) ctx.throw(403, 'Only its author can change this note.');\n",
        '',
      );
      const run = await check(dir, 9);
      assert.match(
        run.text,
        /^✘ Step 9, guard pages: 1 of \d+ checks fail\. The first:\n {2}another user's note \(IDOR\): edit form, change and delete are 403 "Only its author can change this note\."/m,
      );
      assert.match(run.text, /Bob: GET \/notes\/\d+\/edit: 403; got 200/);
    });

    it('no CSRF check: step 9 fails on the form posted without its token, which posts the note', async () => {
      const dir = copyOf(9);
      for (let route = 0; route < 3; route++) breakFile(dir, 'notes.ts', 'readForm, checkCsrf, ', 'readForm, ');
      const run = await check(dir, 9);
      assert.match(
        run.text,
        /^✘ Step 9, guard pages: 1 of \d+ checks fail\. The first:\n {2}CSRF: POST \/notes without _csrf, or with another session's token: 403, and nothing is posted/m,
      );
      assert.match(run.text, /POST \/notes without _csrf: 403; got 303/);
    });
  });

  describe('npm run check, the command', { concurrency: 2 }, () => {
    it('the starter: exit 1, the first failing check with the chapter and the first hint; then npm run hint goes on from there', async () => {
      const dir = copyOf(0);
      const run = await kit('check', ['--dir', dir]);
      assert.equal(run.status, 1, run.stdout + run.stderr);
      assert.match(
        run.stdout,
        /^Checking \.check-\w+\/: every step\n\n✘ Step 1, state check: \d+ of \d+ checks fail\. The first:\n {2}GET \/login embeds a fresh URL-safe state of at least 32 characters\n {4}expected: text matching \/\^\[A-Za-z0-9_-\]\{32,\}\$\/\n {4}got: {6}""$/m,
      );
      assert.match(
        run.stdout,
        /^ {2}Chapter: tutorial\/01-state-check\.md\n {2}Hint \(Nudge\):\n {4}The login page must hand out a fresh, unguessable state/m,
      );
      assert.match(run.stdout, /\n✘ 1 state check {2}· 2 {2}· 3 {2}· 4 {2}· 5 {2}· 6 {2}· 7 {2}· 8\n$/);
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
        breakFile(dir, 'check-state.ts', ' || !spend(given)', '');
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
  });
});
