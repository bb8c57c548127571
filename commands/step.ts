// npm run step N: runs steps/0N-*/ (N may also be "last"); an unknown N lists the steps.
// npm run step mine, or npm run step -- --dir PATH: runs the learner's folder the same way.
// Options: --port N (else PORT, else 5000), --live, --offline.
import { argsOrExit, exitWithUsage } from '#kit/cli.ts';
import { SERVE_OPTIONS, serveStep } from '#kit/serve.ts';
import { listSteps } from '#kit/manifest.ts';
import { folderProblem, label, learnerDir } from '#kit/learner.ts';

const steps = listSteps();
const USAGE = 'npm run step N [-- --port 5001] [-- --live | --offline]   or   npm run step mine [-- --dir PATH]';
const isStep = (word: string) => word === 'mine' || word === 'last' || steps.some((s) => String(s.number) === word);
const { values, words } = argsOrExit({ usage: USAGE, command: 'npm run step', options: { ...SERVE_OPTIONS, dir: { type: 'string' } }, ownWord: isStep });
const [wanted, ...extra] = words;
if (extra.length > 0) exitWithUsage(`One step at a time: ${words.join(' ')}.`, USAGE);
const { dir: given, ...serve } = values;

if (wanted === 'mine' || given !== undefined) {
  const dir = learnerDir(given);
  const problem = folderProblem(dir);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  await serveStep(dir, { ...serve, learner: label(dir) });
} else {
  const step = wanted === 'last' ? steps.at(-1) : steps.find((s) => String(s.number) === wanted);
  if (!step) {
    console.error(wanted === undefined ? 'Which step? Usage: npm run step N' : `There is no step ${wanted}.`);
    console.error('Steps:');
    for (const s of steps) console.error(`  npm run step ${s.number}   ${s.name}: ${s.title}`);
    console.error('  npm run step mine   your folder, my-gconnect/ (npm run step -- --dir PATH for another)');
    process.exit(1);
  }
  await serveStep(step.dir, serve);
}
