import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: "tokeninfo's azp not checked: step 4 fails on the token asked for by another app",
  from: 4,
  edits: [
    {
      file: 'match-user.ts',
      from: 'tokenInfo.aud !== clientId || (tokenInfo.azp !== undefined && tokenInfo.azp !== clientId)',
      to: 'tokenInfo.aud !== clientId',
    },
  ],
  check: 4,
  blame: 4,
  shows: [
    /^✘ Step 4, user match: 1 of \d+ checks fail\. The first:\n {2}4\/fixture-other-azp \(aud is ours, azp is another app's\): 401 "Token's client ID does not match app's\."$/m,
  ],
  lessons: ['a fixture'],
};
