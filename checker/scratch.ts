// Throw-away learner folders for the kit's tests and tools: inside the kit, one level down
// like my-gconnect/ (their imports of koa and #shared/ resolve from there), git-ignored.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { copyStepsUpTo, ROOT, type StepInfo } from '#kit/manifest.ts';

/** A learner folder holding what a learner has after writing steps 0..step. */
export function scratchCopy(step: StepInfo): string {
  const dir = mkdtempSync(join(ROOT, '.check-'));
  copyStepsUpTo(step, dir);
  return dir;
}

/**
 * The progress line `npm run check` (every step) must end with for a copy of `step`: each
 * step up to it passed, the next one failed, the rest not reached. Written out here, not
 * taken from the report's own code, so that a test of the report can fail.
 */
export function progressOfCopy(steps: readonly StepInfo[], step: StepInfo): string {
  return steps
    .filter((s) => s.number > 0)
    .map((s) =>
      s.number <= step.number
        ? `✔ ${s.number} ${s.title.toLowerCase()}`
        : s.number === step.number + 1
          ? `✘ ${s.number} ${s.title.toLowerCase()}`
          : `· ${s.number}`,
    )
    .join('  ');
}

export function removeScratch(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
