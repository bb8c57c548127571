// npm run begin [-- --dir PATH] [-- --force]: the learner's folder, a copy of the starter
// (my-gconnect/ by default, which git ignores). It never overwrites a folder unless forced.
import { existsSync, rmSync } from 'node:fs';
import { relative } from 'node:path';
import { argsOrExit, exitWithUsage } from '#kit/cli.ts';
import { copyStepFiles, listSteps, ROOT } from '#kit/manifest.ts';
import { DIR_NOTE, label, learnerDir } from '#kit/learner.ts';

const USAGE = `npm run begin [-- --dir PATH] [-- --force]\n${DIR_NOTE}`;
const { values, words } = argsOrExit({
  usage: USAGE,
  command: 'npm run begin',
  options: { dir: { type: 'string' }, force: { type: 'boolean' } },
  ownWord: () => false,
});
if (words.length > 0) exitWithUsage(`Unexpected ${words.join(' ')}.`, USAGE);
const dir = learnerDir(values.dir);
if (relative(ROOT, dir).startsWith('..') || dir === ROOT) exitWithUsage(`${dir} is not a folder inside the kit (${ROOT}).`, USAGE);
if (existsSync(dir) && !values.force) {
  exitWithUsage(
    `${label(dir)} already exists: it may hold your work. To start again from the starter: npm run begin -- --force${values.dir ? ` --dir ${label(dir)}` : ''}`,
    USAGE,
  );
}

const starter = listSteps()[0]!;
rmSync(dir, { recursive: true, force: true });
copyStepFiles(starter, dir, starter.adds);
const flag = values.dir ? ` -- --dir ${label(dir)}` : '';
console.log(`Made ${label(dir)} from ${label(starter.dir)}: a Koa server whose POST /gconnect answers 501.`);
console.log(
  `Next: read ${listSteps()[1]?.chapter ?? starter.chapter} and write step 1 in ${label(dir)}; npm run check${flag} tells you how far it goes.`,
);
