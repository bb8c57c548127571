// npm run hint [N] [-- --dir PATH]: the next hint for step N that the learner has not seen:
// a nudge, then the API to use, then the shape of the code. Without N, the step the last
// check stopped at. What was seen is kept in the learner's folder.
import { existsSync } from 'node:fs';
import { parseArgs, stepOf } from './lib/args.ts';
import { chapterOf, hintsOf } from './lib/hints.ts';
import { learnerDir } from './lib/learner.ts';
import { readProgress, writeProgress } from './lib/progress.ts';
import { bold, dim, usage } from './lib/style.ts';

const HELP = 'Usage: npm run hint [N] [-- --dir PATH]   (N: a step, 0 to 6)';
const args = parseArgs(process.argv.slice(2), []);
if (typeof args === 'string') usage(args, HELP);
if (args.words.length > 1) usage(`One step at a time: ${args.words.join(' ')}.`, HELP);
const dir = learnerDir(args.dir);
const progress = existsSync(dir) ? readProgress(dir) : null;
const word = args.words[0] ?? (progress?.lastFailed == null ? undefined : String(progress.lastFailed));
if (word === undefined) usage('Which step? No check has failed yet to choose one.', HELP);
const step = stepOf(word);
if (typeof step === 'string') usage(step, HELP);

const hints = hintsOf(step);
const seen = progress?.hintsSeen[step.number] ?? 0;
const hint = hints[Math.min(seen, hints.length - 1)];
if (!hint) usage(`Step ${step.number} has no hints.`, HELP);
console.log(bold(`Step ${step.number}, ${step.title.toLowerCase()}: hint ${hint.tier} of ${hints.length}, ${hint.title}`));
console.log('');
console.log(hint.text);
console.log('');
if (hint.tier < hints.length) console.log(dim(`Still stuck? npm run hint ${step.number} shows the next one: ${hints[hint.tier]!.title}.`));
else console.log(dim(`That was the last hint. The chapter: ${chapterOf(step)}; the reference, side by side with yours: npm run compare ${step.number}`));
if (progress) {
  progress.hintsSeen[step.number] = hint.tier;
  writeProgress(dir, progress);
}
