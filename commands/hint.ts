// npm run hint [N] [-- --dir PATH]: the next hint for step N that the learner has not seen:
// a nudge, then the API to use, then the shape of the code. Without N, the step the last
// check stopped at. What was seen is kept by the kit, under .gconnect/.
import { existsSync } from 'node:fs';
import { argsOrExit, exitWithUsage, stepOrExit } from '#kit/cli.ts';
import { listSteps } from '#kit/manifest.ts';
import { chapterOf, hintsOf } from '#kit/hints.ts';
import { DIR_NOTE, learnerDir } from '#kit/learner.ts';
import { readProgress, writeProgress } from './lib/progress.ts';
import { bold, dim } from '#kit/style.ts';

const steps = listSteps();
const USAGE = `npm run hint [N] [-- --dir PATH]   (N: a step, 0 to ${steps.at(-1)!.number})\n${DIR_NOTE}`;
const { values, words } = argsOrExit({
  usage: USAGE,
  command: 'npm run hint',
  options: { dir: { type: 'string' } },
  ownWord: (word) => /^\d+$/.test(word),
});
if (words.length > 1) exitWithUsage(`One step at a time: ${words.join(' ')}.`, USAGE);
const dir = learnerDir(values.dir);
const progress = existsSync(dir) ? readProgress(dir) : null;
const word = words[0] ?? (progress?.lastFailed == null ? undefined : String(progress.lastFailed));
if (word === undefined) {
  const why =
    progress?.lastChecked != null
      ? `Your last check (step ${progress.lastChecked}) passed: name the step, e.g. npm run hint ${Math.min(progress.lastChecked + 1, steps.at(-1)!.number)}.`
      : 'No check has failed yet to choose one: name the step, e.g. npm run hint 1.';
  exitWithUsage(`Which step? ${why}`, USAGE);
}
const step = stepOrExit(word, steps, USAGE);

const hints = hintsOf(step);
const seen = progress?.hintsSeen[step.number] ?? 0;
const hint = hints[Math.min(seen, hints.length - 1)];
if (!hint) exitWithUsage(`Step ${step.number} has no hints.`, USAGE);
console.log(bold(`Step ${step.number}, ${step.title.toLowerCase()}: hint ${hint.tier} of ${hints.length}, ${hint.title}`));
console.log('');
console.log(hint.text);
console.log('');
if (hint.tier < hints.length) console.log(dim(`Still stuck? npm run hint ${step.number} shows the next one: ${hints[hint.tier]!.title}.`));
else
  console.log(
    dim(`That was the last hint. The chapter: ${chapterOf(step)}; the reference, side by side with yours: npm run compare ${step.number}`),
  );
if (progress) {
  progress.hintsSeen[step.number] = hint.tier;
  writeProgress(dir, progress);
}
