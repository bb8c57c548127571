import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: 'type errors make the verdict ✘, never ✔, even when every check passes over HTTP',
  from: 5,
  edits: [
    {
      file: 'store-session.ts',
      from: '    const googleId = ctx.state.idToken.sub;',
      to: '    const googleId: number = ctx.state.idToken.sub;',
    },
  ],
  check: 5,
  typecheck: true,
  blame: 5,
  shows: [
    /^✘ Type errors \(tsc\):\n {2}\.check-\w+\/store-session\.ts:\d+:\d+: Type 'string' is not assignable to type 'number'\./m,
    /^✘ Step 5, session storage: its \d+ checks pass over HTTP, but tsc finds type errors \(above\): fix them first\.$/m,
    /✘ 5 session storage$/m,
  ],
  never: [/✔ Step 5|✔ 5 session storage/],
};
