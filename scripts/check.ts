// npm run check [N] [--dir PATH] [--watch]: the kit's suites against the learner's folder.
// Without N, steps 1, 2, ... in order, up to the first that fails. Exit 0: all requested
// checks pass; 1: a check fails; 2: bad usage.
import { watch } from 'node:fs';
import { listSteps } from '../shared/steps.ts';
import { parseArgs, stepOf } from './lib/args.ts';
import { checkFolder } from './lib/check-run.ts';
import { passed, report } from './lib/check-report.ts';
import { folderProblem, KIT_FILES, label, learnerDir } from './lib/learner.ts';
import { readProgress, writeProgress } from './lib/progress.ts';
import { dim, usage } from './lib/style.ts';

const HELP = 'Usage: npm run check [N] [-- --dir PATH] [-- --watch]   (N: a step, 0 to 6; without it, steps 1 to 6)';

const args = parseArgs(process.argv.slice(2), ['--watch']);
if (typeof args === 'string') usage(args, HELP);
if (args.words.length > 1) usage(`One step at a time: ${args.words.join(' ')}.`, HELP);
const all = listSteps();
const one = args.words[0] === undefined ? null : stepOf(args.words[0]);
if (typeof one === 'string') usage(one, HELP);
const steps = one ? [one] : all.filter((step) => step.number > 0);
const dir = learnerDir(args.dir);
const problem = folderProblem(dir);
if (problem) usage(problem, HELP);

async function checkOnce(): Promise<boolean> {
  // A whole run looks ahead in the same child; a single step only when it has to.
  const outcome = await checkFolder(dir, steps, all, one === null);
  console.log(report(dir, outcome, all));
  const progress = readProgress(dir);
  const failed = outcome.verdicts.find((verdict) => verdict.ok === false);
  progress.lastFailed = failed ? failed.step.number : null;
  // The check showed the first hint of the failing step: `npm run hint` goes on from there.
  if (failed) progress.hintsSeen[failed.step.number] = Math.max(progress.hintsSeen[failed.step.number] ?? 0, 1);
  writeProgress(dir, progress);
  return passed(outcome);
}

const what = one ? `step ${one.number}` : `steps ${steps[0]!.number} to ${steps.at(-1)!.number}`;
if (!args.flags.has('--watch')) {
  console.log(`Checking ${label(dir)}: ${what}\n`);
  process.exit((await checkOnce()) ? 0 : 1);
}

// Watch: check now, then again after each save of a .ts or .pug file (editors write a file
// in several events; wait for them to settle, and never run two checks at once).
let running = false;
let again = false;
let timer: NodeJS.Timeout | undefined;
async function rerun(): Promise<void> {
  if (running) {
    again = true;
    return;
  }
  running = true;
  if (process.stdout.isTTY) console.clear();
  console.log(`Checking ${label(dir)}: ${what}\n`);
  await checkOnce();
  console.log(dim(`\nWatching ${label(dir)} for changes to .ts and .pug files. Stop with Ctrl-C.`));
  running = false;
  if (again) {
    again = false;
    await rerun();
  }
}
watch(dir, { recursive: true }, (_event, file) => {
  if (!file || file.startsWith(KIT_FILES) || !/\.(ts|pug)$/.test(file)) return;
  clearTimeout(timer);
  timer = setTimeout(() => void rerun(), 150);
});
await rerun();
