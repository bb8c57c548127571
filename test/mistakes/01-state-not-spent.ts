import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: 'a state not spent: step 1 fails, the state worked twice',
  from: 1,
  edits: [{ file: 'check-state.ts', from: ' || !(await spend(ctx, given))', to: '' }],
  check: 1,
  blame: 1,
  shows: [
    /^✘ Step 1, state check: \d+ of \d+ checks fail\. The first:\n {2}a state works once: the first use passes the check; used again, even with its cookie, 401\n(.*\n){5} {4}expected: 401 application\/json "Invalid state parameter\."\n {4}got: {6}200 application\/json "State verified\."$/m,
  ],
  lessons: ['sent, expected, got'],
};
