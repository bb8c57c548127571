// A suite holds one step's checks. Its behaviour checks hold at that step and at every later
// one (a later step adds, it never breaks an earlier rule); its placeholder check holds only
// where the chain ends at that step (e.g. 200 "State verified." for step 1).
import { readdirSync } from 'node:fs';
import type { Kit } from './serve-app.ts';

export interface Check {
  name: string;
  run(kit: Kit): Promise<void>;
}

export interface Suite {
  step: number;
  title: string;
  checks: Check[];
  placeholder?: Check;
}

export function check(name: string, run: (kit: Kit) => Promise<void>): Check {
  return { name, run };
}

const SUITES_DIR = new URL('./suites/', import.meta.url);

/**
 * checker/suites/NN-name.ts, in step order; each exports `suite` for step NN. With `steps`,
 * only those steps' suites are loaded: `npm run check 3` needs no suite of steps 4 to 7.
 */
export async function loadSuites(steps?: readonly number[]): Promise<Suite[]> {
  const files = readdirSync(SUITES_DIR)
    .filter((file) => /^\d\d-.*\.ts$/.test(file) && (steps === undefined || steps.includes(Number.parseInt(file, 10))))
    .sort();
  return Promise.all(
    files.map(async (file) => {
      const { suite } = (await import(new URL(file, SUITES_DIR).href)) as { suite: Suite };
      if (suite.step !== Number.parseInt(file, 10)) throw new Error(`checker/suites/${file} defines the suite of step ${suite.step}`);
      return suite;
    }),
  );
}
