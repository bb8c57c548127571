import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: 'ending the session with ctx.session = null (koa-session deletes it after the chain, after Google revoked the token): step 7 fails when the store cannot delete it, saying the sign-out was done by half',
  from: 7,
  edits: [{ file: 'sign-out.ts', from: '    await ctx.endSession();', to: '    ctx.session = null;' }],
  check: 7,
  blame: 7,
  shows: [
    /^✘ Step 7, disconnect: 1 of \d+ checks fail\. The first:\n {2}the session store failing to delete her session: .*\n {4}sent: {5}POST \/gdisconnect\n(.*\n){2} {4}expected: her token not revoked: the session is ended first \(await ctx\.endSession\(\)\), .*\n {4}got: {6}Google's tokeninfo answers 400: the token was revoked, her session still in the store: a sign-out done by half .*$/m,
  ],
  lessons: ['sent, expected, got'],
};
