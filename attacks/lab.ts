// The attack lab: the attacks manifest.json declares, run over real HTTP against one folder's
// server, started as the check starts it (checker/serve-app.ts: the fake Google with its
// fixtures, a temporary database of its own). One server for all the attacks of a run: each
// attack uses browsers of its own, so they do not see each other.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startKit, type Kit } from '#checker';
import { attackFile, listSteps, ROOT, type StepInfo } from '#kit/manifest.ts';
import type { Attack, Outcome } from './attack.ts';

/** An attack with the step whose defence stops it. */
export interface Declared {
  attack: Attack;
  step: StepInfo;
}

export interface Result extends Declared {
  outcome: Outcome;
}

/** Every attack in manifest.json, in the steps' order, each loaded from attacks/NAME.ts. */
export async function loadAttacks(steps: readonly StepInfo[] = listSteps()): Promise<Declared[]> {
  const declared = steps.flatMap((step) => step.attacks.map((name) => ({ name, step })));
  return Promise.all(
    declared.map(async ({ name, step }) => {
      const module = (await import(pathToFileURL(join(ROOT, attackFile(name))).href)) as { default?: Attack };
      const attack = module.default;
      if (attack?.name !== name) throw new Error(`${attackFile(name)} must export as default the attack named "${name}"`);
      return { attack, step };
    }),
  );
}

/**
 * The step a folder is at, for the verdict: a reference step's own number; for a learner's
 * folder, the last step whose added files are all there (npm run begin's copy: step 0).
 */
export function stepOfFolder(dir: string, steps: readonly StepInfo[] = listSteps()): number {
  const known = steps.find((step) => step.dir === dir.replace(/\/$/, ''));
  if (known) return known.number;
  let reached = 0;
  for (const step of steps) {
    if (step.adds.every((file) => existsSync(join(dir, file)))) reached = step.number;
    else break;
  }
  return reached;
}

/** Runs the attacks one after another on `kit`'s server (some count what got through; others' requests would blur it). */
export async function runOn(kit: Kit, attacks: readonly Declared[]): Promise<Result[]> {
  const results: Result[] = [];
  for (const declared of attacks) {
    let outcome: Outcome;
    try {
      outcome = await declared.attack.run(kit);
    } catch (err) {
      // A server that crashes or hangs under an attack did not stop it cleanly: say what happened.
      outcome = { exchanges: [], succeeded: true, why: `the attack could not finish: ${err instanceof Error ? err.message : String(err)}` };
    }
    results.push({ ...declared, outcome });
  }
  return results;
}

/** Starts the folder's server and the fake Google, runs the attacks, stops both. */
export async function attackFolder(dir: string, attacks: readonly Declared[]): Promise<Result[]> {
  const kit = await startKit(dir);
  try {
    return await runOn(kit, attacks);
  } finally {
    await kit.close();
  }
}
