import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: 'no audience in verifyIdToken: step 3 fails on the ID token issued to another app',
  from: 3,
  edits: [{ file: 'validate-tokens.ts', from: '{ idToken, audience: clientId }', to: '{ idToken }' }],
  check: 3,
  typecheck: true,
  blame: 3,
  shows: [
    /^✘ Step 3, token validation: 1 of \d+ checks fail\. The first:\n {2}4\/fixture-id-token-other-audience \(issued to another app\): 401 "Invalid ID token\."$/m,
    /^ {4}expected: 401 application\/json "Invalid ID token\."\n {4}got: {6}200 application\/json "Tokens validated\."$/m,
    // tsc sees the clientId no longer used, and says so first.
    /^✘ Type errors \(tsc\):\n {2}\.check-\w+\/validate-tokens\.ts:\d+:\d+: 'clientId' is declared but its value is never read\./m,
  ],
  lessons: ['a fixture', 'sent, expected, got'],
};
