// The catalogue of mistakes learners make (test/mistakes/, one file each; CONTRIBUTING.md says
// how to add one): each breaks a copy of a reference step as its entry says, is checked as
// `npm run check` checks it (checkFolder and report, called directly so that the catalogue runs
// in seconds a mistake), and its report is held to the entry's words. A file of its own, so that
// it runs beside check.test.ts and has its own ceiling on Node 20 (test/run.mjs).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { removeScratch, scratchCopy } from '#checker';
import { checkFolder, passed } from '#checker/check-folder.ts';
import { report } from '#checker/check-report.ts';
import { listSteps } from '#kit/manifest.ts';
import { applyEdits, LESSONS, loadMistakes } from './mistake.ts';

const steps = listSteps();
const mistakes = await loadMistakes();
const folders: string[] = [];
after(() => folders.forEach(removeScratch));

/**
 * What `npm run check [N]` prints for the folder, and whether it passes. tsc runs only where
 * the entry asks (`typecheck`): elsewhere it would find nothing and cost most of the CPU.
 */
async function check(dir: string, step: number | null, types = false): Promise<{ ok: boolean; text: string }> {
  const outcome = await checkFolder(dir, steps, step === null ? null : steps[step]!, { typecheck: types });
  return { ok: passed(outcome), text: report(dir, outcome, steps) };
}

describe('npm run check: the mistakes learners make (test/mistakes/)', { concurrency: 2 }, () => {
  for (const [file, mistake] of mistakes) {
    it(`${mistake.name} (${file})`, async () => {
      const dir = scratchCopy(steps[mistake.from]!);
      folders.push(dir);
      await applyEdits(dir, mistake.edits);
      const run = await check(dir, mistake.check === 'every step' ? null : mistake.check, mistake.typecheck);
      const verdicts = [...run.text.matchAll(/^✘ Step (\d+),/gm)].map((found) => Number(found[1]));
      if (mistake.blame === 'none') {
        assert.ok(run.ok, `every check passes: the mistake shows only as a warning\n${run.text}`);
      } else if (mistake.blame === 'load') {
        assert.match(run.text, /^✘ Your app in .* did not load:$/m);
        assert.deepEqual(verdicts, [], run.text);
      } else {
        assert.ok(!run.ok, run.text);
        assert.deepEqual(verdicts, [mistake.blame], `the report blames step ${mistake.blame}, and only it\n${run.text}`);
      }
      for (const words of mistake.shows) assert.match(run.text, words);
      for (const words of mistake.never ?? []) assert.doesNotMatch(run.text, words);
      mistake.also?.(run.text);
    });
  }

  it('every part of issue 19 has at least one mistake in the catalogue', () => {
    const taught = new Set(mistakes.flatMap(([, mistake]) => mistake.lessons ?? []));
    assert.deepEqual(
      LESSONS.filter((lesson) => !taught.has(lesson)),
      [],
      'lessons without a mistake',
    );
  });
});
