// npm run compare N [-- --dir PATH] [--code]: the learner's files beside the reference step's,
// as a unified diff (- reference, + yours); with --code, the code only: comments, the
// tutorial's region markers and blank lines left out on both sides.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// jsdiff: Myers' diff, as git and diff -u use it, in plain JavaScript (no diff or git on the
// PATH needed, which a learner on Windows may not have).
import { FILE_HEADERS_ONLY, formatPatch, structuredPatch } from 'diff';
import { argsOrExit, exitWithUsage, stepOrExit } from '#kit/cli.ts';
import { listSteps, stepFiles } from '#kit/manifest.ts';
import { DIR_NOTE, folderProblem, KIT_FILES, label, learnerDir } from '#kit/learner.ts';
import { cyan, dim, green, red } from '#kit/style.ts';
import { codeOnly } from './lib/code-only.ts';

const steps = listSteps();
const USAGE = `npm run compare N [-- --dir PATH] [--code]   (N: a step, 0 to ${steps.at(-1)!.number}; --code: code only, no comments)\n${DIR_NOTE}`;
const { values, words } = argsOrExit({
  usage: USAGE,
  command: 'npm run compare',
  options: { dir: { type: 'string' }, code: { type: 'boolean' } },
  ownWord: (word) => /^\d+$/.test(word),
});
if (words.length !== 1) exitWithUsage('Which step? npm run compare N', USAGE);
const step = stepOrExit(words[0]!, steps, USAGE);
const dir = learnerDir(values.dir);
const problem = folderProblem(dir);
if (problem) exitWithUsage(problem, USAGE);

const paint = (line: string) =>
  line.startsWith('@@') ? cyan(line) : line.startsWith('-') ? red(line) : line.startsWith('+') ? green(line) : line;

// The kit's own files in the learner's folder are not theirs to compare.
const SKIP = [KIT_FILES, 'node_modules'];
const theirs = stepFiles(step.dir, SKIP);
const mine = stepFiles(dir, SKIP);
let same = 0;
console.log(`${label(step.dir)} (-) against ${label(dir)} (+)\n`);
for (const file of [...new Set([...theirs, ...mine])].sort()) {
  const ref = join(step.dir, file);
  const yours = join(dir, file);
  if (!existsSync(yours)) {
    console.log(red(`only in the reference: ${file}`));
    continue;
  }
  if (!existsSync(ref)) {
    console.log(green(`only in yours: ${file}`));
    continue;
  }
  const read = (path: string) => (values.code ? codeOnly(path, readFileSync(path, 'utf8')) : readFileSync(path, 'utf8'));
  const patch = structuredPatch(`${label(step.dir)}${file}`, `${label(dir)}${file}`, read(ref), read(yours), undefined, undefined, {
    context: 3,
  });
  if (patch.hunks.length === 0) same++;
  else console.log(formatPatch(patch, FILE_HEADERS_ONLY).split('\n').map(paint).join('\n'));
}
console.log(dim(`${same} file${same === 1 ? '' : 's'} the same as the reference.`));
