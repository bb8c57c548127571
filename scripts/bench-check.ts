// npm run bench:check [-- --runs N]: how long `npm run check` takes, as a learner runs it
// (node + tsx + the check), for one step and for all six, each against a copy of the
// reference step it checks. Medians of N runs (default 5); not a test, timings vary.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { listSteps, ROOT } from '../shared/steps.ts';
import { removeScratch, scratchCopy } from './lib/scratch.ts';

const at = process.argv.indexOf('--runs');
const runs = at >= 0 ? Number(process.argv[at + 1]) : 5;
const steps = listSteps();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(args: string[], dir: string): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/check.ts'), ...args, '--dir', dir], { cwd: ROOT, encoding: 'utf8' });
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (run.status !== 0) throw new Error(`check ${args.join(' ')} failed:\n${run.stdout}${run.stderr}`);
  }
  return median(times);
}

console.log(`npm run check, median of ${runs} runs (seconds; targets: one step < 2, all < 6)`);
for (const step of steps) {
  const dir = scratchCopy(step);
  try {
    console.log(`  check ${step.number} (against a copy of ${step.name})`.padEnd(52), time([String(step.number)], dir).toFixed(2));
    if (step === steps.at(-1)) console.log('  check, all steps (against the same copy)'.padEnd(52), time([], dir).toFixed(2));
  } finally {
    removeScratch(dir);
  }
}
