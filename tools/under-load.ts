// npm run under-load [-- --runs N] [-- --no-test] (a maintainer's tool): the kit's verdicts on
// a busy machine. Two CPU-bound processes keep both cores busy while `npm test` runs, and
// then while `npm run check` checks a copy of each reference step N times; each check must
// report exactly that step's progress. Exit 1 if anything was wrong. Slow: minutes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { progressOfCopy, removeScratch, scratchCopy } from '#checker';
import { argsOrExit, countOrExit } from '#kit/cli.ts';
import { listSteps, ROOT } from '#kit/manifest.ts';
import { median } from './bench/median.ts';

const { values } = argsOrExit({
  usage: 'npm run under-load [-- --runs N] [-- --no-test]',
  command: 'npm run under-load',
  options: { runs: { type: 'string' }, 'no-test': { type: 'boolean' } },
  ownWord: () => false,
});
const runs = countOrExit(values.runs, 10, 'runs', 'npm run under-load [-- --runs N] [-- --no-test]');
const steps = listSteps();

const burners: ChildProcess[] = [0, 1].map(() => spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
const stop = () => {
  for (const burner of burners) burner.kill();
};
process.on('exit', stop);
let wrong = 0;

function npm(args: string[]): { status: number | null; stdout: string; seconds: number } {
  const start = performance.now();
  const run = spawnSync('npm', ['run', '--silent', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: run.status, stdout: run.stdout, seconds: (performance.now() - start) / 1000 };
}

console.log(`Two CPU-bound processes keep both cores busy (node ${process.version}).`);
if (!values['no-test']) {
  const test = npm(['test']);
  // The summary: "# tests N" (TAP, Node 20 and 22 when piped) or "ℹ tests N" (Node 24).
  const summary = /^[#ℹ] tests (\d+)[\s\S]*^[#ℹ] pass (\d+)[\s\S]*^[#ℹ] fail (\d+)/m.exec(test.stdout);
  const ok = test.status === 0 && summary !== null && Number(summary[3]) === 0;
  if (!ok) wrong++;
  console.log(
    `npm test: ${ok ? 'pass' : 'FAIL'}, ${summary ? `${summary[2]} of ${summary[1]} tests pass` : 'no summary'}, ${test.seconds.toFixed(0)} s`,
  );
  if (!ok) {
    console.log(
      test.stdout
        .split('\n')
        .filter((line) => /^\s*(not ok|✖)/.test(line))
        .join('\n'),
    );
    writeFileSync(join(ROOT, 'under-load-npm-test.log'), test.stdout);
    console.log('  its whole output: under-load-npm-test.log');
  }
}

for (const step of steps) {
  const dir = scratchCopy(step);
  const expected = progressOfCopy(steps, step);
  let right = 0;
  const seconds: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const check = npm(['check', '--', '--dir', dir]);
      seconds.push(check.seconds);
      const line = check.stdout.trim().split('\n').at(-1);
      if (line === expected && check.status === (step === steps.at(-1) ? 0 : 1)) right++;
      else console.log(`  a copy of ${step.name}, run ${i + 1}: got "${line}" (exit ${check.status}), expected "${expected}"`);
    }
  } finally {
    removeScratch(dir);
  }
  if (right !== runs) wrong++;
  console.log(
    `npm run check, a copy of ${step.name}: ${right} of ${runs} right; median ${median(seconds).toFixed(1)} s, slowest ${Math.max(...seconds).toFixed(1)} s`,
  );
}
stop();
process.exit(wrong === 0 ? 0 : 1);
