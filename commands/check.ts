// npm run check [N] [-- --dir PATH] [-- --watch]: the kit's suites against the learner's
// folder, through the same runner as npm test. With N: steps 1 to N, and N's placeholder
// answer. Without: every step, in order, up to the first that fails. Exit 0: all requested
// checks pass; 1: a check fails; 2: bad usage.
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { argsOrExit, exitWithUsage, stepOrExit } from '#kit/cli.ts';
import { whenParentEnds } from '#kit/parent.ts';
import { listSteps } from '#kit/manifest.ts';
import { DIR_NOTE, folderProblem, KIT_FILES, label, learnerDir } from '#kit/learner.ts';
import { readProgress, writeProgress } from './lib/progress.ts';
import { dim } from '#kit/style.ts';

const all = listSteps();
const USAGE = `npm run check [N] [-- --dir PATH] [-- --watch]   (N: a step, 0 to ${all.at(-1)!.number}; without it, every step)\n${DIR_NOTE}`;
const { values, words } = argsOrExit({
  usage: USAGE,
  command: 'npm run check',
  options: { dir: { type: 'string' }, watch: { type: 'boolean' } },
  ownWord: (word) => /^\d+$/.test(word),
});
if (words.length > 1) exitWithUsage(`One step at a time: ${words.join(' ')}.`, USAGE);
const one = words[0] === undefined ? null : stepOrExit(words[0], all, USAGE);
const dir = learnerDir(values.dir);
const problem = folderProblem(dir);
if (problem) exitWithUsage(problem, USAGE);
const what = one ? `step ${one.number}` : 'every step';

async function checkOnce(): Promise<void> {
  console.log(`Checking ${label(dir)}: ${what}\n`);
  // Loaded only now: the harness brings koa, pug and the fake Google, which bad usage does not need.
  const [{ checkFolder, passed }, { report }, { checksRunning }] = await Promise.all([
    import('#checker/check-folder.ts'),
    import('#checker/check-report.ts'),
    import('#checker/runner.ts'),
  ]);
  // A stray timer of the learner's server may go off once the run is over (while the type
  // check finishes, or later): say so, the verdict stands. During the run, its report has it.
  process.on('uncaughtException', (err) => {
    if (!checksRunning()) console.error(`Your server threw after the checks ended: ${err instanceof Error ? err.message : String(err)}`);
  });
  const outcome = await checkFolder(dir, all, one);
  console.log(report(dir, outcome, all));
  const progress = readProgress(dir);
  const failed = outcome.verdicts.find((verdict) => verdict.ok === false);
  progress.lastFailed = failed ? failed.step : null;
  if (one) progress.lastChecked = one.number;
  // The check showed the first hint of the failing step: `npm run hint` goes on from there.
  if (failed) progress.hintsSeen[failed.step] = Math.max(progress.hintsSeen[failed.step] ?? 0, 1);
  writeProgress(dir, progress);
  // The learner's server may have left timers or sockets behind: the verdict is in, so end
  // once the output is out (stdout may be a pipe that writes later).
  process.stdout.write('', () => process.exit(passed(outcome) ? 0 : 1));
}

/**
 * Watch: a check in a fresh process now, then after each save of a .ts or .pug file (a
 * module, once imported, stays as it was in a process). Editors write a file in several
 * events: wait for them to settle, and never run two checks at once.
 */
function watchFolder(): void {
  const once = [process.argv[1]!, ...(one ? [String(one.number)] : []), '--dir', dir];
  let running = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  function rerun(): void {
    if (running) {
      again = true;
      return;
    }
    running = true;
    if (process.stdout.isTTY) console.clear();
    const child = spawn(process.execPath, [...process.execArgv, ...once], {
      stdio: 'inherit',
      env: { ...process.env, npm_lifecycle_event: '' },
    });
    child.on('exit', () => {
      console.log(dim(`\nWatching ${label(dir)} for changes to .ts and .pug files. Stop with Ctrl-C.`));
      running = false;
      if (again) {
        again = false;
        rerun();
      }
    });
  }
  watch(dir, { recursive: true }, (_event, file) => {
    if (!file || file.startsWith(KIT_FILES) || !/\.(ts|pug)$/.test(file)) return;
    clearTimeout(timer);
    timer = setTimeout(rerun, 150);
  });
  // Ctrl-C ends the watch (the signal's default); a SIGTERM to npm may kill only npm's shell.
  whenParentEnds(() => process.exit(0));
  rerun();
}

if (values.watch) watchFolder();
else await checkOnce();
