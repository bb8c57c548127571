// The learner's folder: where it is, and how a reference step's files are copied into it.
// Step files import the kit's helpers as '#shared/...' (package.json "imports"), so a file
// copied anywhere inside the kit works as it is.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT, type StepInfo } from '../../shared/steps.ts';

/** my-gconnect/ in the kit; GCONNECT_LEARNER_DIR moves it (the tutorial's runs use a scratch one). */
export const DEFAULT_DIR = process.env.GCONNECT_LEARNER_DIR ? resolve(ROOT, process.env.GCONNECT_LEARNER_DIR) : join(ROOT, 'my-gconnect');

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
  // Its imports of koa and of #shared/ are resolved from the kit's package.json and node_modules.
  if (relative(ROOT, dir).startsWith('..')) return `${label(dir)} is outside the kit (${ROOT}): put it inside, where node_modules/ and shared/ are.`;
  return null;
}

/** Copies some of a step's files (relative names) into `dir`, as they are. */
export function copyStepFiles(step: StepInfo, dir: string, files: string[]): void {
  for (const file of files) {
    const to = join(dir, file);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(join(step.dir, file), to);
  }
}
