// The test file `npm run check` runs in a child process: the kit's own suites (test/suites/),
// against the learner's folder, in the blocks the check's plan asks for. Each block is one
// suite with its own app and fake Google, all blocks at once, as test/steps.test.ts does.
//
// GCONNECT_DIR: the folder; GCONNECT_PLAN: blocks such as "0,1,1f": "1" is suite 1's stage
// tests (final: false), "1f" the same suite as if the chain ended at step 1 (final: true).
import { join, resolve } from 'node:path';
import { describe } from 'node:test';
import { pathToFileURL } from 'node:url';
import { useKit } from '../../test/support/kit.ts';
import { loadSuites } from '../../test/support/suite.ts';
import { describeError, LOAD_ERROR, mark } from './check-protocol.ts';

const dir = resolve(process.env.GCONNECT_DIR ?? '.');
const plan = (process.env.GCONNECT_PLAN ?? '').split(',').filter(Boolean);

try {
  // Loaded once here so that a syntax error or a crash at load is one clear report, not a
  // failed before-hook in every block; the kit's import below then finds it in the cache.
  await import(pathToFileURL(join(dir, 'app.ts')).href);
} catch (err) {
  process.stdout.write(mark({ kind: LOAD_ERROR, error: describeError(err) }));
  process.exit(0);
}

const suites = await loadSuites();
describe('check', { concurrency: true }, () => {
  for (const block of plan) {
    const suite = suites.find((s) => s.step === Number.parseInt(block, 10));
    if (!suite) continue;
    describe(block, { concurrency: true }, () => suite.tests(useKit(dir), { final: block.endsWith('f') }));
  }
});
