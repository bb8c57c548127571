// The learner's folder: where it is, and how a reference step's files are copied into it.
// A step folder sits two levels below the kit (steps/NN-name/) and imports '../../shared/';
// the learner's folder may sit elsewhere in the kit (my-gconnect/ is one level down), so a
// copied file's shared imports are rewritten to point at the same shared/ from there.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { ROOT, type StepInfo } from '../../shared/steps.ts';

export const DEFAULT_DIR = join(ROOT, 'my-gconnect');

/** Where the kit keeps the learner's progress and generated files, inside their folder. */
export const KIT_FILES = '.gconnect';

export function learnerDir(given: string | undefined): string {
  return given === undefined ? DEFAULT_DIR : resolve(process.cwd(), given);
}

/** The folder as a learner would type it: relative to the kit, with a trailing slash. */
export function label(dir: string): string {
  const rel = relative(ROOT, dir);
  return `${rel.startsWith('..') ? dir : rel || '.'}/`;
}

/** A reason the folder cannot be checked or served, or null. */
export function folderProblem(dir: string): string | null {
  if (!existsSync(dir)) return `There is no folder ${label(dir)}${dir === DEFAULT_DIR ? ': make it with npm run begin' : ''}.`;
  if (!existsSync(join(dir, 'app.ts'))) return `${label(dir)} has no app.ts: the kit runs the createApp(config) it exports.`;
  // Its imports of koa and of shared/ are resolved from where it is.
  if (relative(ROOT, dir).startsWith('..')) return `${label(dir)} is outside the kit (${ROOT}): put it inside, where node_modules/ and shared/ are.`;
  return null;
}

const REFERENCE_SHARED = /(['"])\.\.\/\.\.\/shared\//g;

/** A step file's source as it reads from `to`: its shared imports made relative to there. */
export function rebaseShared(source: string, to: string): string {
  const shared = relative(dirname(to), join(ROOT, 'shared')).split('\\').join('/');
  return source.replace(REFERENCE_SHARED, `$1${shared.startsWith('.') ? shared : `./${shared}`}/`);
}

/** Copies some of a step's files (relative names) into `dir`, rebasing TypeScript imports. */
export function copyStepFiles(step: StepInfo, dir: string, files: string[]): void {
  for (const file of files) {
    const to = join(dir, file);
    mkdirSync(dirname(to), { recursive: true });
    if (extname(file) === '.ts') writeFileSync(to, rebaseShared(readFileSync(join(step.dir, file), 'utf8'), to));
    else copyFileSync(join(step.dir, file), to);
  }
}
