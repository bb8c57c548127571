// The kit commands' arguments: words, `--flag`s and `--dir PATH`. Anything else is bad usage.
import { listSteps, type StepInfo } from '../../shared/steps.ts';

export interface Args {
  words: string[];
  flags: Set<string>;
  dir: string | undefined;
}

/** Null and a reason when an argument is not one of `flags` (plus --dir PATH). */
export function parseArgs(argv: string[], flags: string[]): Args | string {
  const args: Args = { words: [], flags: new Set(), dir: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--dir') {
      const dir = argv[++i];
      if (dir === undefined) return '--dir needs a folder: --dir PATH';
      args.dir = dir;
    } else if (arg.startsWith('--dir=')) args.dir = arg.slice('--dir='.length);
    else if (flags.includes(arg)) args.flags.add(arg);
    else if (arg.startsWith('-')) return `Unknown option ${arg}.`;
    else args.words.push(arg);
  }
  return args;
}

/** The step a word names (its number), or a reason it names none. */
export function stepOf(word: string): StepInfo | string {
  const step = /^\d+$/.test(word) ? listSteps().find((s) => s.number === Number(word)) : undefined;
  return step ?? `There is no step ${word}: the steps are ${listSteps().map((s) => s.number).join(', ')}.`;
}
