// The kit checks itself: each step says in step.json which files it adds and changes, and
// says it truly; every other file stays byte-identical; each step's new tests fail against
// the previous step's folder.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { listSteps, ROOT, stepFiles, type StepInfo } from '../shared/steps.ts';

const steps = listSteps();

describe('step folders', () => {
  it('are numbered 0, 1, 2, ... without gaps', () => {
    assert.deepEqual(steps.map((step) => step.number), steps.map((_, index) => index));
  });

  for (const [index, step] of steps.entries()) {
    const previous: StepInfo | undefined = steps[index - 1];
    it(`${step.name}: step.json lists exactly the files it adds and changes; the rest are byte-identical`, () => {
      const mine = stepFiles(step.dir);
      const theirs = previous ? stepFiles(previous.dir) : [];
      const added = mine.filter((file) => !theirs.includes(file));
      const removed = theirs.filter((file) => !mine.includes(file));
      const changed = mine.filter(
        (file) => theirs.includes(file) && !readFileSync(join(step.dir, file)).equals(readFileSync(join(previous!.dir, file))),
      );
      assert.deepEqual(
        { added, changed, removed },
        { added: [...step.adds].sort(), changed: [...step.changes].sort(), removed: [] },
      );
    });

    it(`${step.name}: has app.ts exporting createApp and the common server.ts`, async () => {
      const app = (await import(join(step.dir, 'app.ts'))) as { createApp?: unknown };
      assert.equal(typeof app.createApp, 'function');
      assert.ok(stepFiles(step.dir).includes('server.ts'));
    });
  }
});

describe('each step\'s new tests fail against the previous step', { concurrency: 2 }, () => {
  for (const [index, step] of steps.entries()) {
    const previous = steps[index - 1];
    if (!previous) continue;
    it(`suite ${step.number} fails against ${previous.name}`, () => {
      const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', 'test/steps.test.ts'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, GCONNECT_DIR: previous.dir, GCONNECT_STEP: String(step.number), GCONNECT_SUITES: String(step.number), NODE_TEST_CONTEXT: undefined },
      });
      const summary = /^# tests (\d+)$[\s\S]*^# pass (\d+)$[\s\S]*^# fail (\d+)$/m.exec(run.stdout);
      assert.ok(summary, `no test summary in:\n${run.stdout}\n${run.stderr}`);
      const [, tests, passed, failed] = summary.map(Number);
      assert.ok(tests! > 0, 'ran no test');
      assert.ok(failed! > 0, `all ${passed} tests of suite ${step.number} pass against ${previous.name}`);
      assert.notEqual(run.status, 0);
    });
  }
});
