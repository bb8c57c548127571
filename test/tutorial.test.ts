// The tutorial cannot drift from the code: each chapter's listings and diffs must equal what
// `npm run tutorial` generates from the step folders, and the generator must refuse what
// would let a chapter lie. The captured outputs of the chapters' commands are checked by
// `npm run tutorial -- --check` (.ci/run), which runs every command again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateChapter, generateFile, listChapters } from '../tools/tutorial/generate.ts';
import { parseChapter, TutorialError } from '../tools/tutorial/parse.ts';
import { timesHidden } from '../tools/tutorial/run.ts';
import { describeTrace, type Trace } from '#shared/trace.ts';

describe('tutorial chapters match the code', { concurrency: true }, () => {
  for (const name of listChapters()) {
    it(`${name}: listings and diffs are up to date`, async () => {
      const { text, before, stale } = await generateFile(name, { run: false });
      const parts = stale.map((part) => `  ${name}:${part.line}: ${part.spec}`).join('\n');
      assert.ok(text === before, `${name} is stale; run npm run tutorial and review the diff:\n${parts}`);
    });
  }
});

describe('tutorial generator', () => {
  const listing = (spec: string) => `<!-- generated: ${spec} -->\n<!-- /generated -->\n`;

  it('a listing naming a region that does not exist fails, naming chapter, line and region', async () => {
    await assert.rejects(
      generateChapter('tutorial/x.md', `# x\n\n${listing('listing steps/01-state-check/check-state.ts#no-such-region')}`),
      (err: Error) => err instanceof TutorialError && /tutorial\/x\.md:3: region "no-such-region" not found in steps\/01-state-check\/check-state\.ts/.test(err.message),
    );
  });

  it('a listing of a file that does not exist fails', async () => {
    await assert.rejects(generateChapter('tutorial/x.md', listing('listing steps/01-state-check/nope.ts')), /no such file: steps\/01-state-check\/nope\.ts/);
  });

  it('a changed line in a listing or a diff is reported stale, part by part', async () => {
    const fresh = await generateChapter('tutorial/x.md', `${listing('listing steps/04-user-match/match-user.ts#match-user')}\n${listing('diff 03-token-validation 04-user-match')}`);
    assert.equal(fresh.stale.length, 2);
    const again = await generateChapter('tutorial/x.md', fresh.text);
    assert.deepEqual(again.stale, []);
    const edited = await generateChapter('tutorial/x.md', fresh.text.replace('tokenInfo.sub !== idToken.sub', 'tokenInfo.sub != idToken.sub'));
    assert.deepEqual(edited.stale.map((part) => part.spec), ['listing steps/04-user-match/match-user.ts#match-user']);
    assert.equal(edited.text, fresh.text);
  });

  it('refuses shell fences other than sh, unknown not-run kinds, and stray output parts', () => {
    assert.throws(() => parseChapter('t.md', '```bash\nls\n```\n'), /write ```sh, not ```bash/);
    assert.throws(() => parseChapter('t.md', '<!-- not-run: later -->\n```sh\nls\n```\n'), /unknown not-run kind "later"/);
    assert.throws(() => parseChapter('t.md', '<!-- not-run: live -->\ntext\n```sh\nls\n```\n'), /must come right before/);
    assert.throws(() => parseChapter('t.md', 'text\n\n<!-- generated: output -->\n<!-- /generated -->\n'), /must follow a ```sh block/);
    assert.throws(() => parseChapter('t.md', '<!-- generated: listing a.ts -->\n'), /has no <!-- \/generated -->/);
  });

  it('runs the commands: a failing command with no output shown fails the chapter; an output part shows what ran', async () => {
    await assert.rejects(generateChapter('tutorial/x.md', '```sh\nfalse\n```\n'), /tutorial\/x\.md:1: this command exited with 1/);
    const shown = await generateChapter('tutorial/x.md', '```sh\necho hello; false\n```\n\n<!-- generated: output -->\n<!-- /generated -->\n');
    assert.match(shown.text, /```text\nhello\n```/);
  });

  it('a sign-in\'s trace shows its times as n.n, in the same columns whatever they were', () => {
    const trace = (ms: number): Trace => ({
      route: 'POST /gconnect',
      status: 401,
      ms: 9 * ms,
      stages: [
        { name: 'exchange-code', ms, outcome: 'next' },
        { name: 'match-user', ms: ms / 3, outcome: 'answered', status: 401, type: 'application/json', message: 'Token\'s client ID does not match app\'s.' },
      ],
      google: [{ name: 'token', stage: 'exchange-code', ms: 2 * ms, status: 200 }],
    });
    const quiet = timesHidden(describeTrace(trace(1.2)));
    assert.equal(quiet, ['POST /gconnect 401 in n.n ms', '  ✔ exchange-code    n.n ms  (Google token n.n ms)', '  ✘ match-user       n.n ms  401 "Token\'s client ID does not match app\'s."'].join('\n'));
    for (const ms of [12.3, 456.7, 12_345.6]) assert.equal(timesHidden(describeTrace(trace(ms))), quiet, `a trace whose stage took ${ms} ms`);
  });

  it('without running, an output part keeps what the chapter holds', async () => {
    const text = '```sh\necho hello\n```\n\n<!-- generated: output -->\n```text\nwhatever was captured\n```\n<!-- /generated -->\n';
    const kept = await generateChapter('tutorial/x.md', text, { run: false });
    assert.equal(kept.text, text);
    assert.deepEqual(kept.stale, []);
  });
});
