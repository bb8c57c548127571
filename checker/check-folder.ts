// One check of a learner's folder: the kit's suites through the harness (the same runner as
// npm test) and the type check, at once; then a verdict per step by the one rule, and the
// warnings the source shows.
// From the runner itself, not #checker: that index brings what a check does not use
// (Chromium, scratch folders).
import { judge, runChecks, type CheckRun, type StepVerdict } from './runner.ts';
import type { StepInfo } from '#kit/manifest.ts';
import { lintFolder, type Warning } from './lint.ts';
import { typecheck, type TypeProblem } from './typecheck.ts';

export interface CheckOutcome {
  run: CheckRun;
  typeErrors: TypeProblem[];
  warnings: Warning[];
  /** Every step judged, 0 first; only the steps asked for are shown unless step 0 fails. */
  verdicts: StepVerdict[];
  /** The step whose placeholder answer was checked, or null (a walk over every step). */
  placeholder: number | null;
}

/**
 * `npm run check N`: steps 0..N, and N's placeholder answer ("State verified." ...), since
 * the folder should end its chain at step N. `npm run check`: every step's behaviour, no
 * placeholder, so a folder at any step is judged by what it does.
 */
export async function checkFolder(
  dir: string,
  all: StepInfo[],
  one: StepInfo | null,
  options: { typecheck?: boolean } = {},
): Promise<CheckOutcome> {
  const last = one ?? all.at(-1)!;
  const steps = all.filter((step) => step.number <= last.number).map((step) => step.number);
  const placeholder = one ? one.number : null;
  // (The kit's tests of verdicts that types do not change leave tsc out: it is most of their CPU.)
  const types = options.typecheck === false ? Promise.resolve([]) : typecheck(dir);
  const [typeErrors, run] = await Promise.all([types, runChecks({ dir, steps, placeholder })]);
  return { run, typeErrors, warnings: lintFolder(dir), verdicts: judge(run.results, steps), placeholder };
}

export function passed(outcome: CheckOutcome): boolean {
  return outcome.run.loadError === undefined && outcome.typeErrors.length === 0 && outcome.verdicts.every((verdict) => verdict.ok === true);
}
