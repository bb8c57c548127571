import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: 'signing out clears the access token but keeps the session: step 7 fails, showing what the session still holds',
  from: 7,
  edits: [{ file: 'sign-out.ts', from: '    await ctx.endSession();', to: '    delete ctx.session!.accessToken;' }],
  check: 7,
  blame: 7,
  shows: [
    /^✘ Step 7, disconnect: \d+ of \d+ checks fail\. The first:\n {2}Alice signs in, then out: .*\n {4}sent: {5}POST \/gdisconnect\n {14}x-requested-with: XMLHttpRequest\n {14}cookies: gconnect\.sid, gconnect\.sid\.sig\n {4}expected: the session gone from the store \(await ctx\.endSession\(\), or regenerate\)\n {4}got: {6}it is still there, holding googleId, username, picture, email, flash$/m,
  ],
  never: [/your chain stopped/],
  lessons: ['sent, expected, got'],
};
