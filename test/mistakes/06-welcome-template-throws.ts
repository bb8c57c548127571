import assert from 'node:assert/strict';
import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: 'a welcome template that throws: step 6 is blamed, not the earlier steps whose checks need a whole sign-in',
  from: 6,
  edits: [{ file: 'views/welcome.pug', from: 'h1 Welcome, #{name}!', to: 'h1 Welcome, #{name.first.last}!' }],
  check: 'every step',
  blame: 6,
  shows: [
    /^✘ Step 6, welcome output: \d+ of \d+ checks fail, and \d+ checks of other steps that need a whole sign-in stop at its stage\. The first:\n {2}4\/fixture-alice: 200 text\/html.*\n {4}your chain stopped at welcome, step 6: it threw\.$/m,
    /^ {2}Chapter: tutorial\/06-welcome-output\.md$/m,
    // Step 5 keeps one check of its own; the others need a whole sign-in, which stops at step 6.
    /^✔ Step 5, session storage: its one check passes\. \d+ more need a whole sign-in, which stops at a later step's stage: they count there\.$/m,
    /✔ 5 session storage {2}✘ 6 welcome output {2}· 7 {2}· 8 {2}· 9$/m,
  ],
  // Only the failing check's own lines, each once: one sign-in, one error.
  also: (report) => assert.equal(report.match(/\[gconnect\] POST \/gconnect failed/g)?.length, 1, report),
  lessons: ['blame by stage', "the check's own log"],
};
