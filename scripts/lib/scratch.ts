// Throw-away learner folders for the kit's tests and the benchmark: inside the kit, one level
// down like my-gconnect/ (their imports of koa and shared/ resolve from there), git-ignored.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { listSteps, ROOT, type StepInfo } from '../../shared/steps.ts';
import { copyStepFiles } from './learner.ts';

/** A learner folder holding what a learner has after writing steps 0..step. */
export function scratchCopy(step: StepInfo): string {
  const dir = mkdtempSync(join(ROOT, '.check-'));
  for (const s of listSteps().filter((s) => s.number <= step.number)) copyStepFiles(s, dir, [...s.adds, ...s.changes]);
  return dir;
}

export function removeScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
