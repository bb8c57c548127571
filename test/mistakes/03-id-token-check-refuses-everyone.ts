import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: 'an ID token check that refuses everyone: step 3 is blamed, not step 2 whose session check needs a whole sign-in',
  from: 6,
  edits: [
    {
      file: 'validate-tokens.ts',
      from: '      const ticket = await google.verifyIdToken',
      to: "      if (idToken) return answerJson(ctx, 401, 'Invalid ID token.');\n      const ticket = await google.verifyIdToken",
    },
  ],
  check: 'every step',
  blame: 3,
  shows: [
    /^✔ Step 2, code exchange: all \d+ checks pass\. 1 more needs a whole sign-in, which stops at a later step's stage/m,
    /^✘ Step 3, token validation: 1 of \d+ checks fail, and \d+ checks of other steps that need a whole sign-in stop at its stage\. The first:\n {2}4\/fixture-alice: her tokens pass validation.*\n {4}your chain stopped at validate-tokens, step 3: it answered 401 "Invalid ID token\."$/m,
    /^ {2}Chapter: tutorial\/03-token-validation\.md$/m,
    /^✔ 1 state check {2}✔ 2 code exchange {2}✘ 3 token validation {2}· 4/m,
  ],
  never: [/02-code-exchange\.md/],
  lessons: ['blame by stage'],
};
