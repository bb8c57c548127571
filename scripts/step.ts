// npm run step N: runs steps/0N-*/ (N may also be "last"); an unknown N lists the steps.
// npm run step mine, or npm run step -- --dir PATH: runs the learner's folder the same way.
import { listSteps } from '../shared/steps.ts';
import { serveStep } from '../shared/serve.ts';
import { folderProblem, label, learnerDir } from './lib/learner.ts';

const steps = listSteps();
const argv = process.argv.slice(2);
const at = argv.indexOf('--dir');
const words = argv.filter((arg, index) => !arg.startsWith('-') && (at < 0 || index !== at + 1));
const wanted = words[0];

if (wanted === 'mine' || at >= 0) {
  const dir = learnerDir(at >= 0 ? argv[at + 1] : undefined);
  const problem = folderProblem(dir);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
  await serveStep(dir, { learner: label(dir) });
} else {
  const step = wanted === 'last' ? steps.at(-1) : steps.find((s) => wanted !== undefined && /^\d+$/.test(wanted) && s.number === Number(wanted));
  if (!step) {
    console.error(wanted === undefined ? 'Which step? Usage: npm run step N' : `There is no step ${wanted}.`);
    console.error('Steps:');
    for (const s of steps) console.error(`  npm run step ${s.number}   ${s.name}: ${s.title}`);
    console.error('  npm run step mine   your folder, my-gconnect/ (npm run step -- --dir PATH for another)');
    process.exit(1);
  }
  await serveStep(step.dir);
}
