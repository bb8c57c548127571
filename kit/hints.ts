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

/**
 * A hint as the terminal shows it: without the generator's markers around its listings, and a
 * listing's link ("[steps/…/x.ts, lines 3-9](../steps/…/x.ts#L3-L9):") as the file and lines.
 */
function asShown(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^<!-- \/?generated(?::.*)? -->$/.test(line))
    .map((line) => line.replace(/^\[([^\]]+)\]\([^)]*\):$/, '$1:'))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}

export function hintsOf(step: StepInfo): Hint[] {
  const file = join(ROOT, step.hints);
  if (step.hints === '' || !existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split(/^## /m)
    .slice(1)
    .map((section, index) => {
      const [title = '', ...body] = section.split('\n');
      return { tier: index + 1, title: title.trim(), text: asShown(body.join('\n')).trim() };
    });
}

/** The chapter of the tutorial that teaches a step. */
export function chapterOf(step: StepInfo): string {
  return step.chapter;
}
