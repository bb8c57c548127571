// Hints, three tiers a step, in the step's hints file (hints/NN-name.md: the manifest says
// where) as `## ` sections: a nudge, the API to use, the shape of the code.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type StepInfo } from './manifest.ts';

export interface Hint {
  tier: number;
  title: string;
  text: string;
}

export function hintsOf(step: StepInfo): Hint[] {
  const file = join(ROOT, step.hints);
  if (step.hints === '' || !existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split(/^## /m)
    .slice(1)
    .map((section, index) => {
      const [title = '', ...body] = section.split('\n');
      return { tier: index + 1, title: title.trim(), text: body.join('\n').trim() };
    });
}

/** The chapter of the tutorial that teaches a step. */
export function chapterOf(step: StepInfo): string {
  return step.chapter;
}
