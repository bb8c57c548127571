// The kit's step folders, steps/NN-name/, and what each says of itself in step.json.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const STEPS_DIR = join(ROOT, 'steps');

/** How a child `node` is told to run the kit's TypeScript: `node ...TS_NODE_ARGS file.ts`. */
export const TS_NODE_ARGS = ['--import', new URL('./typescript.mjs', import.meta.url).href];

export interface StepInfo {
  number: number;
  /** The folder's name, e.g. "01-state-check". */
  name: string;
  dir: string;
  title: string;
  summary: string;
  /** Files this step adds, relative to its folder. */
  adds: string[];
  /** Files of the previous step this step changes. */
  changes: string[];
}

export function readStep(dir: string): StepInfo {
  const name = basename(dir);
  const meta = existsSync(join(dir, 'step.json'))
    ? (JSON.parse(readFileSync(join(dir, 'step.json'), 'utf8')) as Partial<StepInfo>)
    : {};
  return {
    number: Number.parseInt(name, 10),
    name,
    dir,
    title: meta.title ?? name,
    summary: meta.summary ?? '',
    adds: meta.adds ?? [],
    changes: meta.changes ?? [],
  };
}

export function listSteps(): StepInfo[] {
  return readdirSync(STEPS_DIR)
    .filter((name) => /^\d\d-[a-z0-9-]+$/.test(name))
    .sort()
    .map((name) => readStep(join(STEPS_DIR, name)));
}

/**
 * A step folder's files, relative to it and sorted: what a step is made of. step.json (the
 * folder's description of itself) and any names in `skip` are left out, at every depth.
 */
export function stepFiles(dir: string, skip: readonly string[] = []): string[] {
  // Node's own recursive walk (20.1+); it goes into the skipped folders too, which in a step
  // or a learner's folder are small or absent.
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => !file.split(sep).some((part) => part === 'step.json' || skip.includes(part)) && statSync(join(dir, file)).isFile())
    .sort();
}

/** Copies some of a step's files (relative names) into `dir`, as they are. */
export function copyStepFiles(step: StepInfo, dir: string, files: readonly string[]): void {
  for (const file of files) {
    const to = join(dir, file);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(join(step.dir, file), to);
  }
}

/** The files a learner has written after steps 0..step: each step's additions and changes. */
export function copyStepsUpTo(step: StepInfo, dir: string): void {
  for (const s of listSteps().filter((s) => s.number <= step.number)) copyStepFiles(s, dir, [...s.adds, ...s.changes]);
}
