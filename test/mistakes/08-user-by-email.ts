import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: "the user looked up by email: step 8 fails on Alice's twin, who is taken for Alice",
  from: 8,
  edits: [{ file: 'remember-user.ts', from: 'sub: ctx.state.idToken.sub', to: 'sub: profile.email' }],
  check: 8,
  blame: 8,
  shows: [
    /^✘ Step 8, remember user: 1 of \d+ checks fail\. The first:\n {2}4\/fixture-alice-twin \(Alice's address, unverified, another sub\): a user of its own/m,
    /^ {4}sent: {5}POST \/gconnect\?state=<state>\n(.*\n){3} {14}body: 4\/fixture-alice-twin\n {4}expected: <h1>Welcome, Alice Twin!<\/h1>: the twin is not Alice \(another sub, her address unverified\): users are found by sub, not by email\n {4}got: {6}<h1>Welcome back, Alice Twin!<\/h1>$/m,
  ],
  lessons: ['a fixture'],
};
