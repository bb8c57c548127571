// The catalogue of mistakes learners make, as data: one file per mistake in test/mistakes/,
// each a `Mistake`; mistakes.test.ts breaks a copy of the reference step as the entry says,
// checks it as `npm run check` does and holds the report to the entry's words.
import { readdirSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '#kit/manifest.ts';

/** In `file` (relative to the learner's folder), the text `from`, which must be there exactly once, becomes `to`. */
export interface Edit {
  file: string;
  from: string;
  to: string;
}

/** What a mistake shows the check getting right (issue 19's parts); each has at least one mistake. */
export const LESSONS = [
  'blame by stage',
  'sent, expected, got',
  "the check's own log",
  'true notes',
  'seen in the source',
  'a fixture',
] as const;
export type Lesson = (typeof LESSONS)[number];

export interface Mistake {
  /** What the learner did, and what the check says about it: the test's name. */
  name: string;
  /** The reference step whose copy the learner broke (the folder holds steps 0..from, as a learner's does). */
  from: number;
  /** What the learner changed, in order. */
  edits: Edit[];
  /** What the learner runs: `npm run check N`, or `npm run check` ('every step'). */
  check: number | 'every step';
  /** Run tsc as the check does. Off unless the mistake is about types: tsc is most of a check's CPU. */
  typecheck?: boolean;
  /**
   * The step the report fails (its only "✘ Step N" line); 'none' when every check passes (the
   * mistake shows only as a warning); 'load' when the app does not load.
   */
  blame: number | 'none' | 'load';
  /** Words the report must show (multi-line patterns: use the m flag and ^ / $). */
  shows: RegExp[];
  /** Words it must not show. */
  never?: RegExp[];
  /** Anything a pattern cannot say (where a caret stands); throws when the report is wrong. */
  also?: (report: string) => void;
  lessons?: Lesson[];
}

export const MISTAKES_DIR = join(ROOT, 'test', 'mistakes');

/** Every entry of test/mistakes/, by file name, in name order. */
export async function loadMistakes(): Promise<[string, Mistake][]> {
  const files = readdirSync(MISTAKES_DIR)
    .filter((name) => name.endsWith('.ts'))
    .sort();
  return Promise.all(
    files.map(async (file): Promise<[string, Mistake]> => {
      const { mistake } = (await import(pathToFileURL(join(MISTAKES_DIR, file)).href)) as { mistake?: Mistake };
      if (!mistake) throw new Error(`test/mistakes/${file} exports no \`mistake\``);
      return [file, mistake];
    }),
  );
}

/** Makes the entry's edits in `dir`; an edit whose text is missing or there twice is the entry's bug, said so. */
export async function applyEdits(dir: string, edits: readonly Edit[]): Promise<void> {
  for (const { file, from, to } of edits) {
    const path = join(dir, file);
    const text = await readFile(path, 'utf8');
    const at = text.indexOf(from);
    if (at < 0) throw new Error(`${file} has no ${JSON.stringify(from)} to break: the reference step changed, update the entry`);
    if (text.indexOf(from, at + 1) >= 0) throw new Error(`${file} has ${JSON.stringify(from)} more than once: make the edit's text longer`);
    await writeFile(path, text.slice(0, at) + to + text.slice(at + from.length));
  }
}
