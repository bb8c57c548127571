import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: "the user looked up by email: step 8 fails on Alice's twin, who is taken for Alice",
  from: 8,
  edits: [{ file: 'remember-user.ts', from: 'sub: ctx.state.idToken.sub', to: 'sub: profile.email' }],
  check: 8,
  blame: 8,
  shows: [
    /^✘ Step 8, remember user: 1 of \d+ checks fail\. The first:\n {2}4\/fixture-alice-twin \(Alice's address, unverified, another sub\): a user of its own/m,
    /the twin is not Alice: found by sub, not by email/,
  ],
  lessons: ['a fixture'],
};
