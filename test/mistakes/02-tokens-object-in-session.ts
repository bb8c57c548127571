import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: "the whole tokens object stored in the session: step 2's rule catches it, at step 2",
  from: 5,
  edits: [
    {
      file: 'store-session.ts',
      from: '    session.accessToken = accessToken;',
      to: '    Object.assign(session, { tokens: ctx.state.tokens });\n    session.accessToken = accessToken;',
    },
  ],
  check: 'every step',
  blame: 2,
  shows: [
    /^✘ Step 2, code exchange: 1 of \d+ checks fail\. The first:\n {2}whatever the session holds is plain strings and numbers: no credentials object, no ID token\n(.*\n){5} {4}expected: a session of plain strings and numbers: no credentials object, no ID token\n {4}got: {6}session\.tokens = \{"accessToken":"ya29\.<access token>","idToken":"<ID token>"\}$/m,
  ],
};
