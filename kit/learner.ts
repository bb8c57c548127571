// The learner's folder: where it is, and where the kit keeps what it knows about it.
// Step files import the kit's helpers as '#shared/...' (package.json "imports"), so a file
// copied anywhere inside the kit works as it is.
import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fromUserDir } from './cli.ts';
import { ROOT, stepFiles } from './manifest.ts';

/** my-gconnect/ in the kit; GCONNECT_LEARNER_DIR moves it (the tutorial's runs use a scratch one). */
export const DEFAULT_DIR = process.env.GCONNECT_LEARNER_DIR ? resolve(ROOT, process.env.GCONNECT_LEARNER_DIR) : join(ROOT, 'my-gconnect');

/** A folder name the kit skips in the learner's folder (an earlier kit kept its files there). */
export const KIT_FILES = '.gconnect';

/** The folder a command works on: --dir as typed, from where it was typed; else my-gconnect/. */
export function learnerDir(given: string | undefined): string {
  return given === undefined ? DEFAULT_DIR : fromUserDir(given);
}

/**
 * Where the kit keeps its files about a folder (progress, the type check's settings): under
 * .gconnect/ at the kit's root, never in the folder itself, so a check of steps/NN/ writes
 * nothing into steps/.
 */
export function kitFilesFor(dir: string): string {
  return join(ROOT, KIT_FILES, relative(ROOT, dir));
}

/** The folder as a learner would type it: relative to the kit, with a trailing slash. */
export function label(dir: string): string {
  const rel = relative(ROOT, dir);
  return `${rel.startsWith('..') ? dir : rel || '.'}/`;
}

/** A reason the folder cannot be checked or served, or null. */
/**
 * Why --dir must name a folder inside the kit, for the usage of every command that takes it:
 * the learner's files import koa and '#shared/...', which resolve from the kit's node_modules/
 * and package.json, and from nowhere else.
 */
export const DIR_NOTE =
  "PATH: your folder, inside the kit (like my-gconnect/): its imports of koa and '#shared/...' resolve from the kit's node_modules/ and package.json, so a folder elsewhere cannot run.";

export function folderProblem(dir: string): string | null {
  if (!existsSync(dir)) return `There is no folder ${label(dir)}${dir === DEFAULT_DIR ? ': make it with npm run begin' : ''}.`;
  if (!existsSync(join(dir, 'app.ts'))) return `${label(dir)} has no app.ts: the kit runs the createApp(config) it exports.`;
  // Its imports of koa and of #shared/ are resolved from the kit's package.json and node_modules.
  if (relative(ROOT, dir).startsWith('..'))
    return `${label(dir)} is outside the kit (${ROOT}): put it inside, where node_modules/ and shared/ are.`;
  if (relative(ROOT, dir) === '') return "That is the kit's own folder: give the folder with your app.ts, e.g. --dir my-gconnect";
  return null;
}

/** The learner's TypeScript files, relative to their folder: what the type check and the lint read. */
export function sourceFiles(dir: string): string[] {
  return stepFiles(dir, [KIT_FILES, 'node_modules']).filter((file) => file.endsWith('.ts'));
}
