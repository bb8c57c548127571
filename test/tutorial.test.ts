// The tutorial cannot drift from the code: each chapter's listings and diffs must equal what
// `npm run tutorial` generates from the step folders, the README's table of steps, the
// tutorial's index and each chapter's fixture codes what it generates from the manifest, and
// the generator must refuse what would let a chapter lie. The captured outputs of the chapters' commands are checked by
// `npm run tutorial -- --check` (.ci/run), which runs every command again.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateChapter, generateFile, listDocuments, listHints } from '../tools/tutorial/generate.ts';
import { hintsOf } from '#kit/hints.ts';
import { parseChapter, TutorialError } from '../tools/tutorial/parse.ts';
import { timesHidden } from '../tools/tutorial/run.ts';
import { describeTrace, type Trace } from '#shared/trace.ts';
import { listSteps, ROOT } from '#kit/manifest.ts';
import { loadFixtures } from '#fake-google/fixtures.ts';

describe('tutorial chapters match the code', { concurrency: true }, () => {
  for (const name of listDocuments()) {
    it(`${name}: listings, diffs and the manifest's parts are up to date`, async () => {
      const { text, before, stale } = await generateFile(name, { run: false });
      const parts = stale.map((part) => `  ${name}:${part.line}: ${part.spec}`).join('\n');
      assert.ok(text === before, `${name} is stale; run npm run tutorial and review the diff:\n${parts}`);
    });
  }
});

describe('hints', () => {
  it("every hint's code is a listing of a reference step (which passes the suites), never code written in the hint", () => {
    for (const name of listHints()) {
      const lines = readFileSync(join(ROOT, name), 'utf8').split('\n');
      let inListing = false;
      lines.forEach((line, index) => {
        if (/^<!-- generated: listing /.test(line)) inListing = true;
        else if (line === '<!-- /generated -->') inListing = false;
        else if (/^```/.test(line))
          assert.ok(inListing, `${name}:${index + 1}: a code block written in the hint; make it a listing of a step's region`);
      });
    }
  });

  it('a hint shows its listings as code under the file and lines, without the markers', () => {
    const shape = hintsOf(listSteps()[5]!).at(-1)!.text;
    assert.match(shape, /^steps\/05-session-storage\/store-session\.ts, lines \d+-\d+:\n\n```ts\n/m);
    assert.match(shape, /await freshSession\(session\);/);
    assert.doesNotMatch(shape, /<!--|\]\(\.\.\//);
  });
});

describe('tutorial generator', () => {
  const listing = (spec: string) => `<!-- generated: ${spec} -->\n<!-- /generated -->\n`;

  it('a listing naming a region that does not exist fails, naming chapter, line and region', async () => {
    await assert.rejects(
      generateChapter('tutorial/x.md', `# x\n\n${listing('listing steps/01-state-check/check-state.ts#no-such-region')}`),
      (err: Error) =>
        err instanceof TutorialError &&
        /tutorial\/x\.md:3: region "no-such-region" not found in steps\/01-state-check\/check-state\.ts/.test(err.message),
    );
  });

  it('a listing of a file that does not exist fails', async () => {
    await assert.rejects(
      generateChapter('tutorial/x.md', listing('listing steps/01-state-check/nope.ts')),
      /no such file: steps\/01-state-check\/nope\.ts/,
    );
  });

  it('a changed line in a listing or a diff is reported stale, part by part', async () => {
    const fresh = await generateChapter(
      'tutorial/x.md',
      `${listing('listing steps/04-user-match/match-user.ts#match-user')}\n${listing('diff 03-token-validation 04-user-match')}`,
    );
    assert.equal(fresh.stale.length, 2);
    const again = await generateChapter('tutorial/x.md', fresh.text);
    assert.deepEqual(again.stale, []);
    const edited = await generateChapter(
      'tutorial/x.md',
      fresh.text.replace('tokenInfo.sub !== idToken.sub', 'tokenInfo.sub != idToken.sub'),
    );
    assert.deepEqual(
      edited.stale.map((part) => part.spec),
      ['listing steps/04-user-match/match-user.ts#match-user'],
    );
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
    const shown = await generateChapter(
      'tutorial/x.md',
      '```sh\necho hello; false\n```\n\n<!-- generated: output -->\n<!-- /generated -->\n',
    );
    assert.match(shown.text, /```text\nhello\n```/);
  });

  it("a sign-in's trace shows its times as n.n, in the same columns whatever they were", () => {
    const trace = (ms: number): Trace => ({
      route: 'POST /gconnect',
      status: 401,
      ms: 9 * ms,
      stages: [
        { name: 'exchange-code', ms, outcome: 'next' },
        {
          name: 'match-user',
          ms: ms / 3,
          outcome: 'answered',
          status: 401,
          type: 'application/json',
          message: "Token's client ID does not match app's.",
        },
      ],
      google: [{ name: 'token', stage: 'exchange-code', ms: 2 * ms, status: 200 }],
    });
    const quiet = timesHidden(describeTrace(trace(1.2)));
    assert.equal(
      quiet,
      [
        'POST /gconnect 401 in n.n ms',
        '  ✔ exchange-code    n.n ms  (Google token n.n ms)',
        '  ✘ match-user       n.n ms  401 "Token\'s client ID does not match app\'s."',
      ].join('\n'),
    );
    for (const ms of [12.3, 456.7, 12_345.6])
      assert.equal(timesHidden(describeTrace(trace(ms))), quiet, `a trace whose stage took ${ms} ms`);
  });

  it("the README's table of steps comes from the manifest and the suites: a row edited by hand is stale", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const fresh = await generateChapter('README.md', readme);
    assert.deepEqual(fresh.stale, []);
    for (const step of listSteps())
      assert.ok(fresh.text.includes(`| ${step.number} | \`steps/${step.name}\` | ${step.gist} |`), `a row for ${step.name}`);
    assert.ok(
      fresh.text.includes('| 1 | `steps/01-state-check` | a single-use state token and the XHR header check | 200 "State verified." |'),
      'step 1 answers as its placeholder check asks',
    );
    const edited = await generateChapter('README.md', readme.replace('200 "Code exchanged."', '200 "Code swapped."'));
    assert.deepEqual(
      edited.stale.map((part) => part.spec),
      ['steps-table'],
    );
    assert.equal(edited.text, readme);
  });

  it("the index of chapters and a step's fixture codes come from the manifest and the scenario files", async () => {
    const index = await generateChapter('tutorial/README.md', '<!-- generated: chapters -->\n<!-- /generated -->\n');
    assert.match(index.text, /^0\. \[Starter\]\(00-starter\.md\): the Koa server, sessions, the home and login pages\.$/m);
    assert.equal(index.text.match(/^\d+\. \[/gm)?.length, listSteps().length);
    const fixtures = await generateChapter('tutorial/x.md', '<!-- generated: fixtures 3 -->\n<!-- /generated -->\n');
    const three = [...loadFixtures().scenarios.values()].filter((scenario) => scenario.step === 3).map((scenario) => scenario.code);
    assert.ok(three.includes('4/fixture-forged-id-token'));
    assert.deepEqual(
      [...fixtures.text.matchAll(/^- `([^`]+)`: /gm)].map((match) => match[1]),
      three,
    );
    assert.match((await generateChapter('tutorial/x.md', '<!-- generated: fixtures 0 -->\n<!-- /generated -->\n')).text, /\nNone\.\n/);
    await assert.rejects(
      generateChapter('tutorial/x.md', '<!-- generated: fixtures 99 -->\n<!-- /generated -->\n'),
      /tutorial\/x\.md:1: no step 99 in manifest\.json/,
    );
    assert.throws(
      () => parseChapter('t.md', '<!-- generated: fixtures three -->\n<!-- /generated -->\n'),
      /unknown generated part "fixtures three"/,
    );
  });

  it('without running, an output part keeps what the chapter holds', async () => {
    const text = '```sh\necho hello\n```\n\n<!-- generated: output -->\n```text\nwhatever was captured\n```\n<!-- /generated -->\n';
    const kept = await generateChapter('tutorial/x.md', text, { run: false });
    assert.equal(kept.text, text);
    assert.deepEqual(kept.stale, []);
  });
});
