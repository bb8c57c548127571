// npm run step N: runs steps/0N-*/ (N may also be "last"); an unknown N lists the steps.
// npm run step mine, or npm run step -- --dir PATH: runs the learner's folder the same way.
// Options: --port N (else PORT, else 5000), --live, --offline.
import { argsOrExit, exitWithUsage, stepOrExit } from '#kit/cli.ts';
import { SERVE_OPTIONS, serveStep } from '#kit/serve.ts';
import { listSteps } from '#kit/manifest.ts';
import { DIR_NOTE, folderProblem, label, learnerDir } from '#kit/learner.ts';

const steps = listSteps();
// The steps are part of the usage: --help, a missing or an unknown step list them.
const USAGE = [
  'npm run step N [-- --port 5001] [-- --live | --offline]   or   npm run step mine [-- --dir PATH]',
  'Steps:',
  ...steps.map((s) => `  npm run step ${s.number}   ${s.name}: ${s.title}`),
  '  npm run step last   the last step, as npm start runs it',
  '  npm run step mine   your folder, my-gconnect/ (npm run step -- --dir PATH for another)',
  DIR_NOTE,
].join('\n');
const isStep = (word: string) => word === 'mine' || word === 'last' || steps.some((s) => String(s.number) === word);
const { values, words } = argsOrExit({
  usage: USAGE,
  command: 'npm run step',
  options: { ...SERVE_OPTIONS, dir: { type: 'string' } },
  ownWord: isStep,
});
const [wanted, ...extra] = words;
if (extra.length > 0) exitWithUsage(`One step at a time: ${words.join(' ')}.`, USAGE);
const { dir: given, ...serve } = values;

if (wanted === 'mine' || given !== undefined) {
  const dir = learnerDir(given);
  const problem = folderProblem(dir);
  if (problem) exitWithUsage(problem, USAGE);
  await serveStep(dir, { ...serve, learner: label(dir) });
} else {
  if (wanted === undefined) exitWithUsage('Which step?', USAGE);
  await serveStep((wanted === 'last' ? steps.at(-1)! : stepOrExit(wanted, steps, USAGE)).dir, serve);
}
