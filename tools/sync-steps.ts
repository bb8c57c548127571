// npm run sync-steps [-- --check] (a maintainer's tool): a file a step does not change is the
// previous step's, byte for byte (test/kit.test.ts holds the steps to it). So a fix to such a
// file is made once, where it first appears or where a step last changed it, and this tool
// copies it on into every later step that inherits it: step by step, each file that the manifest
// does not list as added or changed is copied from the step before, and a file that neither
// the step before has nor the manifest adds (moved or removed where it first appeared) goes.
// --check writes nothing and exits 1 when something is out of date.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { argsOrExit, exitWithUsage } from '#kit/cli.ts';
import { copyStepFiles, listSteps, stepFiles } from '#kit/manifest.ts';

const USAGE = 'npm run sync-steps [-- --check]';
const { values, words } = argsOrExit({
  usage: USAGE,
  command: 'npm run sync-steps',
  options: { check: { type: 'boolean' } },
  ownWord: () => false,
});
if (words.length > 0) exitWithUsage(`Unexpected argument ${words[0]}.`, USAGE);
const steps = listSteps();
let stale = 0;

for (const [index, step] of steps.entries()) {
  const previous = steps[index - 1];
  if (!previous) continue;
  const inherited = stepFiles(previous.dir).filter((file) => !step.changes.includes(file));
  for (const file of inherited) {
    const from = readFileSync(join(previous.dir, file));
    const to = join(step.dir, file);
    if (existsSync(to) && readFileSync(to).equals(from)) continue;
    stale++;
    console.log(`${values.check ? 'out of date' : 'copied'}: ${step.name}/${file} (from ${previous.name})`);
    if (!values.check) copyStepFiles(previous, step.dir, [file]);
  }
  const before = stepFiles(previous.dir);
  for (const file of stepFiles(step.dir).filter((file) => !before.includes(file) && !step.adds.includes(file))) {
    stale++;
    console.log(
      `${values.check ? 'left over' : 'removed'}: ${step.name}/${file} (${previous.name} has none, and manifest.json does not add it)`,
    );
    if (!values.check) rmSync(join(step.dir, file));
  }
}
if (stale === 0) console.log("Every inherited file is its previous step's.");
if (values.check && stale > 0) {
  console.error(`${stale} inherited file(s) out of date: npm run sync-steps brings them in line.`);
  process.exit(1);
}
