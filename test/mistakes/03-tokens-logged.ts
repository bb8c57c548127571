import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: 'the tokens written to the log: every check passes, and a warning names the line',
  from: 3,
  edits: [
    {
      file: 'validate-tokens.ts',
      from: '    const { accessToken, idToken } = ctx.state.tokens;\n',
      to: "    const { accessToken, idToken } = ctx.state.tokens;\n    console.log('validating', accessToken, idToken);\n",
    },
  ],
  check: 3,
  blame: 'none',
  shows: [
    /^⚠ \.check-\w+\/validate-tokens\.ts:\d+: accessToken is written to the log: a token or a secret must never reach a log/m,
    /^✔ Step 3, token validation: all \d+ checks pass\.$/m,
  ],
  lessons: ['seen in the source'],
};
