// Runs every step's suites against step folders: by default each reference step with its
// own and all earlier suites; with GCONNECT_DIR (and GCONNECT_STEP) one folder, such as a
// learner's, with the suites up to that step (GCONNECT_SUITES=3 or 1,2: only those).
import { describe } from 'node:test';
import { listSteps } from '../shared/steps.ts';
import { useKit } from './support/kit.ts';
import { loadSuites } from './support/suite.ts';

const suites = await loadSuites();
const only = process.env.GCONNECT_SUITES?.split(',').map(Number);
const targets = process.env.GCONNECT_DIR
  ? [{ name: process.env.GCONNECT_DIR, dir: process.env.GCONNECT_DIR, number: Number(process.env.GCONNECT_STEP ?? suites.at(-1)?.step) }]
  : listSteps();

for (const target of targets) {
  describe(target.name, { concurrency: true }, () => {
    for (const suite of suites) {
      if (suite.step > target.number || (only && !only.includes(suite.step))) continue;
      describe(`step ${suite.step}: ${suite.title}`, { concurrency: true }, () => {
        suite.tests(useKit(target.dir), { final: suite.step === target.number });
      });
    }
  });
}
