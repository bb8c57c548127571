// What the learner has seen and done, kept by the kit (never in the folder, never in git):
// which hint tier of each step they have read, the step that failed last, the step checked last.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kitFilesFor } from '#kit/learner.ts';

export interface Progress {
  /** Step number -> the highest hint tier shown (1 = the nudge). */
  hintsSeen: Record<string, number>;
  /** The step the last check stopped at; `npm run hint` without N uses it. */
  lastFailed: number | null;
  /**
   * The step the last `npm run check N` was asked for: the step the learner is at, whatever
   * their files are called (`npm run attack` judges the folder by it).
   */
  lastChecked: number | null;
}

const file = (dir: string) => join(kitFilesFor(dir), 'progress.json');

export function readProgress(dir: string): Progress {
  const empty: Progress = { hintsSeen: {}, lastFailed: null, lastChecked: null };
  if (!existsSync(file(dir))) return empty;
  try {
    return { ...empty, ...(JSON.parse(readFileSync(file(dir), 'utf8')) as Partial<Progress>) };
  } catch {
    return empty;
  }
}

export function writeProgress(dir: string, progress: Progress): void {
  mkdirSync(kitFilesFor(dir), { recursive: true });
  writeFileSync(file(dir), `${JSON.stringify(progress, null, 2)}\n`);
}
