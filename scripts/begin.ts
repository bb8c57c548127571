// npm run begin [-- --dir PATH] [-- --force]: the learner's folder, a copy of the starter
// (my-gconnect/ by default, which git ignores). It never overwrites a folder unless forced.
import { existsSync, rmSync } from 'node:fs';
import { relative } from 'node:path';
import { listSteps, ROOT } from '../shared/steps.ts';
import { parseArgs } from './lib/args.ts';
import { copyStepFiles, label, learnerDir } from './lib/learner.ts';
import { usage } from './lib/style.ts';

const HELP = 'Usage: npm run begin [-- --dir PATH] [-- --force]';
const args = parseArgs(process.argv.slice(2), ['--force']);
if (typeof args === 'string') usage(args, HELP);
if (args.words.length > 0) usage(`Unexpected ${args.words.join(' ')}.`, HELP);
const dir = learnerDir(args.dir);
if (relative(ROOT, dir).startsWith('..') || dir === ROOT) usage(`${dir} is not a folder inside the kit (${ROOT}).`, HELP);
if (existsSync(dir) && !args.flags.has('--force')) {
  usage(`${label(dir)} already exists: it may hold your work. To start again from the starter, npm run begin -- --force${args.dir ? ` --dir ${args.dir}` : ''}`, HELP);
}

const starter = listSteps()[0]!;
rmSync(dir, { recursive: true, force: true });
// Every file of the starter but step.json, which describes the kit's step, not your work.
copyStepFiles(starter, dir, starter.adds);
const flag = args.dir ? ` -- --dir ${args.dir}` : '';
console.log(`Made ${label(dir)} from ${label(starter.dir)}: a Koa server whose POST /gconnect answers 501.`);
console.log('Next:');
console.log(`  read tutorial/01-state-check.md and write step 1 in ${label(dir)}`);
console.log(`  npm run check${flag}   checks your folder, step by step (npm run check -- --watch: again on every save)`);
console.log(`  npm run step ${args.dir ? flag.trim() : 'mine'}   runs your server on http://localhost:5000`);
