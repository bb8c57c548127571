// Throw-away learner folders for the kit's tests and tools: inside the kit, one level down
// like my-gconnect/ (their imports of koa and #shared/ resolve from there), git-ignored.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { copyStepsUpTo, ROOT, type StepInfo } from '#shared/steps.ts';

/** A learner folder holding what a learner has after writing steps 0..step. */
export function scratchCopy(step: StepInfo): string {
  const dir = mkdtempSync(join(ROOT, '.check-'));
  copyStepsUpTo(step, dir);
  return dir;
}

export function removeScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
