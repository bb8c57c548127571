// npm run step N: runs steps/0N-*/ (N may also be "last"); an unknown N lists the steps.
import { listSteps } from '../shared/steps.ts';
import { serveStep } from '../shared/serve.ts';

const steps = listSteps();
const wanted = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
const step = wanted === 'last' ? steps.at(-1) : steps.find((s) => wanted !== undefined && /^\d+$/.test(wanted) && s.number === Number(wanted));

if (!step) {
  console.error(wanted === undefined ? 'Which step? Usage: npm run step N' : `There is no step ${wanted}.`);
  console.error('Steps:');
  for (const s of steps) console.error(`  npm run step ${s.number}   ${s.name}: ${s.title}`);
  process.exit(1);
}
await serveStep(step.dir);
