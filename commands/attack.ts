// npm run attack [NAME] [-- --step N | --dir PATH]: the attack lab. Runs the attacks that
// manifest.json declares (attacks/NAME.ts) over real HTTP against a folder's server and the
// fake Google: the learner's folder (my-gconnect/, else the last step when there is none), a
// reference step (--step N) or another folder (--dir). With NAME, that attack in full: what
// was sent, what the server answered, the verdict, the chapter of the defence; `all`, every
// one in full; without, the score board. Exit 0: every attack the folder's step should stop
// is stopped; 1: one is not; 2: bad usage, or live mode (no real Google is attacked, ever).
import { existsSync } from 'node:fs';
import { argsOrExit, exitWithUsage, stepOrExit } from '#kit/cli.ts';
import { listSteps, ROOT } from '#kit/manifest.ts';
import { DEFAULT_DIR, folderProblem, label, learnerDir } from '#kit/learner.ts';
import { readSettings } from '#shared/config.ts';
import { bold, dim } from '#kit/style.ts';
import { readProgress } from './lib/progress.ts';

const steps = listSteps();
const names = steps.flatMap((step) => step.attacks);
const USAGE = [
  `npm run attack [NAME | all] [-- --step N | --dir PATH]   (N: a step, 0 to ${steps.at(-1)!.number})`,
  `  without NAME: the score board; all: every attack in full. Attacks: ${names.join(', ')}`,
].join('\n');
const { values, words } = argsOrExit({
  usage: USAGE,
  command: 'npm run attack',
  options: { step: { type: 'string' }, dir: { type: 'string' } },
  ownWord: (word) => word === 'all' || names.includes(word),
});
if (words.length > 1) exitWithUsage(`One attack at a time (or all): ${words.join(' ')}.`, USAGE);
const wanted = words[0];
if (wanted !== undefined && wanted !== 'all' && !names.includes(wanted)) exitWithUsage(`There is no attack ${wanted}.`, USAGE);
if (values.step !== undefined && values.dir !== undefined) exitWithUsage('Either --step N or --dir PATH, not both.', USAGE);
if (readSettings({}, process.env, ROOT).clientSecretFile) {
  console.error(
    'npm run attack runs offline only, against the fake Google, never a real one: move client_secret.json out of the kit (and unset GOOGLE_CLIENT_SECRET_FILE).',
  );
  process.exit(2);
}

let dir: string;
let note = '';
if (values.step !== undefined) {
  dir = stepOrExit(values.step, steps, USAGE).dir;
} else if (values.dir !== undefined || existsSync(DEFAULT_DIR)) {
  dir = learnerDir(values.dir);
  const problem = folderProblem(dir);
  if (problem) exitWithUsage(problem, USAGE);
} else {
  dir = steps.at(-1)!.dir;
  note = ` (there is no ${label(DEFAULT_DIR)}: npm run begin makes it)`;
}

// Loaded only now: the lab brings koa, pug and the fake Google, which bad usage does not need.
const [{ attackFolder, loadAttacks, stepOfFolder }, { describe, scoreBoard, summary }] = await Promise.all([
  import('#attacks/lab.ts'),
  import('#attacks/report.ts'),
]);
// The step the folder is at: a reference step's own; for a learner's folder, the step of their
// last `npm run check N`, or, when their files go further, the last step whose files are all
// there (files alone can be misread: a stage written into another file than the reference's).
const byFiles = stepOfFolder(dir, steps);
const checked = values.step === undefined ? readProgress(dir).lastChecked : null;
const at = Math.max(byFiles, checked ?? 0);
const how = checked !== null && checked > byFiles ? ` (your last npm run check ${checked})` : '';
const chosen = (await loadAttacks(steps)).filter(({ attack }) => wanted === undefined || wanted === 'all' || attack.name === wanted);
console.log(bold(`Attacking ${label(dir)}${note}, step ${at}${how}, with the fake Google`));
console.log('');
// A stray timer of the learner's server may go off once the attacks are over: the verdicts stand.
process.on('uncaughtException', (err) =>
  console.error(`Your server threw after the attacks: ${err instanceof Error ? err.message : String(err)}`),
);
let results: Awaited<ReturnType<typeof attackFolder>>;
try {
  results = await attackFolder(dir, chosen);
} catch (err) {
  // The app did not load or start (a syntax error, a crash in createApp): nothing to attack.
  console.error(`${label(dir)} did not start: ${err instanceof Error ? err.message : String(err)}. npm run check ${at} says where.`);
  process.exit(1);
}
if (wanted !== undefined) {
  for (const result of results) console.log(`${describe(result)}\n`);
}
if (wanted === undefined || wanted === 'all') console.log(`${scoreBoard(results, at)}\n`);
const { ok, text } = summary(results, at);
console.log(ok ? text : bold(text));
if (wanted === undefined) console.log(dim('One attack in full: npm run attack NAME (e.g. npm run attack login-csrf -- --step 0).'));
process.stdout.write('', () => process.exit(ok ? 0 : 1));
