// npm run bench:check [-- --runs N] (a maintainer's tool): how long `npm run check` takes as a
// learner runs it, through npm, for one step and for all, each against a copy of the
// reference step it checks; and, measured in the same run, the floor any learner command
// pays: `npm run` starting `node --import tsx` that does nothing. Medians of N runs
// (default 7). Not a test: timings vary from machine to machine and moment to moment.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeScratch, scratchCopy } from '#checker';
import { argsOrExit, countOrExit } from '#kit/cli.ts';
import { listSteps, ROOT } from '#kit/manifest.ts';

const USAGE = 'npm run bench:check [-- --runs N]';
const { values } = argsOrExit({ usage: USAGE, command: 'npm run bench:check', options: { runs: { type: 'string' } }, ownWord: () => false });
const runs = countOrExit(values.runs, 7, 'runs', USAGE);
const steps = listSteps();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median wall time of `npm run SCRIPT -- ARGS` in `cwd`; one warm-up run first. */
function time(cwd: string, script: string, args: string[], expectOk = true): number {
  const times: number[] = [];
  for (let i = 0; i <= runs; i++) {
    const start = process.hrtime.bigint();
    const run = spawnSync('npm', ['run', '--silent', script, '--', ...args], { cwd, encoding: 'utf8' });
    if (i > 0) times.push(Number(process.hrtime.bigint() - start) / 1e9);
    if (expectOk && run.status !== 0) throw new Error(`npm run ${script} ${args.join(' ')} failed:\n${run.stdout}${run.stderr}`);
  }
  return median(times);
}

// The floor: a package like the kit's, whose script starts node with tsx and does nothing.
const floorDir = mkdtempSync(join(ROOT, '.bench-'));
writeFileSync(join(floorDir, 'package.json'), JSON.stringify({ name: 'floor', private: true, type: 'module', scripts: { floor: `node --import ${JSON.stringify(join(ROOT, 'node_modules/tsx/dist/loader.mjs'))} -e 0` } }));
const floor = time(floorDir, 'floor', []);
rmSync(floorDir, { recursive: true, force: true });

const row = (label: string, seconds: number) => console.log(`  ${label.padEnd(48)} ${seconds.toFixed(2)} s   floor + ${(seconds - floor).toFixed(2)} s`);
console.log(`Medians of ${runs} runs, node ${process.version}, through npm run`);
console.log(`  ${'floor: npm run + node --import tsx -e 0'.padEnd(48)} ${floor.toFixed(2)} s`);
for (const step of steps.filter((s) => s.number > 0)) {
  const dir = scratchCopy(step);
  try {
    row(`npm run check ${step.number} (a copy of ${step.name})`, time(ROOT, 'check', [String(step.number), '--dir', dir]));
    if (step === steps.at(-1)) row('npm run check, every step (the same copy)', time(ROOT, 'check', ['--dir', dir]));
  } finally {
    removeScratch(dir);
  }
}
