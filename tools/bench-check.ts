// npm run bench:check [-- --runs N] (a maintainer's tool): how long `npm run check` takes as a
// learner runs it, through npm, for one step and for all, each against a copy of the
// reference step it checks; and, measured in the same run, the floor any learner command
// pays: `npm run` starting `node --import tsx` that does nothing. Medians of N runs
// (default 7). Not a test: timings vary from machine to machine and moment to moment.
// Beside each time, the modules that check loads (tools/bench/count-modules.mjs): the kit's own
// files and the learner's, then node_modules' files; one run, outside npm, since the count
// does not vary.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeScratch, scratchCopy } from '#checker';
import { argsOrExit, countOrExit } from '#kit/cli.ts';
import { listSteps, ROOT, TS_NODE_ARGS } from '#kit/manifest.ts';
import { median } from './bench/median.ts';

const USAGE = 'npm run bench:check [-- --runs N]';
const { values } = argsOrExit({
  usage: USAGE,
  command: 'npm run bench:check',
  options: { runs: { type: 'string' } },
  ownWord: () => false,
});
const runs = countOrExit(values.runs, 7, 'runs', USAGE);
const steps = listSteps();

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

/** The distinct files `npm run check ARGS` loads: [outside node_modules, inside]. */
function modules(args: string[]): [number, number] {
  const list = join(floorDir, 'modules.txt');
  const counter = join(ROOT, 'tools/bench/count-modules.mjs');
  spawnSync(process.execPath, ['--import', counter, ...TS_NODE_ARGS, 'commands/check.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, GCONNECT_MODULE_LIST: list },
  });
  const files = new Set(readFileSync(list, 'utf8').split('\n').filter(Boolean));
  const inModules = [...files].filter((url) => url.includes('/node_modules/')).length;
  return [files.size - inModules, inModules];
}

// The floor: a package like the kit's, whose script starts node with tsx and does nothing.
const floorDir = mkdtempSync(join(ROOT, '.bench-'));
writeFileSync(
  join(floorDir, 'package.json'),
  JSON.stringify({
    name: 'floor',
    private: true,
    type: 'module',
    scripts: { floor: `node --import ${JSON.stringify(join(ROOT, 'node_modules/tsx/dist/loader.mjs'))} -e 0` },
  }),
);
const floor = time(floorDir, 'floor', []);

const row = (label: string, seconds: number, args: string[]) => {
  const [own, inModules] = modules(args);
  console.log(
    `  ${label.padEnd(48)} ${seconds.toFixed(2)} s   floor + ${(seconds - floor).toFixed(2)} s = ${(seconds / floor).toFixed(2)} x   ${own} modules + ${inModules} in node_modules`,
  );
};
console.log(`Medians of ${runs} runs, node ${process.version}, through npm run`);
console.log(`  ${'floor: npm run + node --import tsx -e 0'.padEnd(48)} ${floor.toFixed(2)} s`);
try {
  for (const step of steps.filter((s) => s.number > 0)) {
    const dir = scratchCopy(step);
    try {
      const one = [String(step.number), '--dir', dir];
      row(`npm run check ${step.number} (a copy of ${step.name})`, time(ROOT, 'check', one), one);
      if (step === steps.at(-1)) row('npm run check, every step (the same copy)', time(ROOT, 'check', ['--dir', dir]), ['--dir', dir]);
    } finally {
      removeScratch(dir);
    }
  }
} finally {
  rmSync(floorDir, { recursive: true, force: true });
}
