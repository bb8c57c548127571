// Every reference step, through the same runner as `npm run check`: step N with the
// behaviour checks of steps 0 to N (each holds at its step and every later one) and step N's
// placeholder. The steps run at once, each with its own app and fake Google.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listSteps } from '#kit/manifest.ts';
import { loadSuites, planChecks, runChecks, type CheckPlan } from '#checker';

const suites = await loadSuites();

for (const step of listSteps()) {
  const plan: CheckPlan = {
    dir: step.dir,
    steps: suites.map((suite) => suite.step).filter((n) => n <= step.number),
    placeholder: step.number,
  };
  // Started now, all steps at once; each test below waits for its own folder's run.
  const run = runChecks(plan, { suites });
  describe(step.name, () => {
    it('loads, and logs nothing while its checks run', async () => {
      const { loadError, serverLog, googleSaw } = await run;
      assert.equal(loadError, undefined);
      assert.deepEqual({ serverLog, googleSaw }, { serverLog: [], googleSaw: [] });
    });
    for (const planned of planChecks(suites, plan)) {
      it(`step ${planned.step}${planned.placeholder ? ' (placeholder)' : ''}: ${planned.name}`, async () => {
        const result = (await run).results.find((r) => r.step === planned.step && r.name === planned.name);
        assert.ok(result, 'the check ran');
        if (!result.ok) throw result.error;
      });
    }
  });
}
