// One check of a learner's folder: the type check and the suites at once, then a verdict
// per requested step, in order, up to the first that fails.
//
// A suite's "final" tests (the 200 answer where the chain ends, e.g. "State verified.") hold
// only for the last step the folder has reached: a folder at step 3 answers "Tokens
// validated." and so fails step 1's final test on purpose. So step k passes when its stage
// tests pass and either its final tests pass or the folder has gone further: the stage
// tests of step k+1 pass too.
import type { StepInfo } from '../../shared/steps.ts';
import { LOAD_ERROR, RESULT, type ErrorReport, type TestResult } from './check-protocol.ts';
import { runSuites } from './run-suites-child.ts';
import { typecheck, type TypeProblem } from './typecheck.ts';

export interface StepVerdict {
  step: StepInfo;
  /** null: not judged, because an earlier step failed. */
  ok: boolean | null;
  /** The first failing test, in the order the suites define them. */
  failure?: TestResult;
  failed: number;
  total: number;
}

export interface CheckOutcome {
  loadError: ErrorReport | null;
  typeErrors: TypeProblem[];
  verdicts: StepVerdict[];
  /** The child crashed without a word from its reporter (stderr, for the report). */
  crash: string | null;
}

const BASICS = '0';

type Results = TestResult[];

function inBlock(results: Results, block: string): TestResult[] {
  return results.filter((result) => result.block === block);
}

/** The step's stage tests: its suite without the final tests, and the starter's basics. */
function stageTests(results: Results, step: number): TestResult[] {
  const own = inBlock(results, String(step));
  return step === 0 ? own : [...inBlock(results, BASICS), ...own];
}

/** Tests the suite defines only where the chain ends at this step. */
function finalTests(results: Results, step: number): TestResult[] {
  const stage = new Set(inBlock(results, String(step)).map((result) => result.test));
  return inBlock(results, `${step}f`).filter((result) => !stage.has(result.test));
}

function planFor(steps: StepInfo[], all: StepInfo[], beyond: boolean): string[] {
  const plan = new Set([BASICS]);
  for (const { number } of steps) {
    plan.add(String(number)).add(`${number}f`);
    if (beyond && all.some((step) => step.number === number + 1)) plan.add(String(number + 1));
  }
  return [...plan];
}

/**
 * Checks `steps` (ascending) of the folder. With `lookAhead`, the next step's stage tests run
 * in the same child (one process for a whole run); without, only if a final test fails.
 */
export async function checkFolder(dir: string, steps: StepInfo[], all: StepInfo[], lookAhead: boolean): Promise<CheckOutcome> {
  const [typeErrors, run] = await Promise.all([typecheck(dir), runSuites(dir, planFor(steps, all, lookAhead))]);
  const loadError = run.lines.find((line) => line.kind === LOAD_ERROR);
  if (loadError) return { loadError: loadError.error, typeErrors, verdicts: steps.map((step) => ({ step, ok: null, failed: 0, total: 0 })), crash: null };
  const results = run.lines.filter((line): line is TestResult => line.kind === RESULT);
  const crash = results.length === 0 ? run.stderr : null;

  const verdicts: StepVerdict[] = [];
  let stopped = crash !== null;
  for (const step of steps) {
    if (stopped) {
      verdicts.push({ step, ok: null, failed: 0, total: 0 });
      continue;
    }
    const stage = stageTests(results, step.number);
    const final = finalTests(results, step.number);
    const total = stage.length + final.length;
    let failure = stage.find((result) => !result.ok);
    if (!failure && final.some((result) => !result.ok) && all.some((s) => s.number === step.number + 1)) {
      let next = stageTests(results, step.number + 1).filter((result) => result.block !== BASICS);
      if (next.length === 0) {
        const more = await runSuites(dir, [String(step.number + 1)]);
        next = more.lines.filter((line): line is TestResult => line.kind === RESULT);
      }
      // The folder has gone beyond this step: its final tests cannot hold any more.
      if (next.length > 0 && next.every((result) => result.ok)) failure = undefined;
      else failure = final.find((result) => !result.ok);
    } else if (!failure) {
      failure = final.find((result) => !result.ok);
    }
    const failed = failure ? [...stage, ...final].filter((result) => !result.ok).length : 0;
    verdicts.push({ step, ok: !failure, ...(failure ? { failure } : {}), failed, total });
    if (failure) stopped = true;
  }
  return { loadError: null, typeErrors, verdicts, crash };
}
