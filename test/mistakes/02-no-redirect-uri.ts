import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: "no redirect_uri 'postmessage': step 2 fails, and the fake Google says why it refused",
  from: 2,
  edits: [{ file: 'exchange-code.ts', from: "{ code, redirect_uri: 'postmessage' }", to: '{ code }' }],
  check: 2,
  blame: 2,
  shows: [
    /^✘ Step 2, code exchange: \d+ of \d+ checks fail\. The first:\n {2}4\/fixture-alice: Google accepts the exchange/m,
    /^ {2}The fake Google refused requests from your server:\n {4}the code exchange was refused \(redirect_uri_mismatch\): redirect_uri was null; a code from Google's popup is exchanged with redirect_uri 'postmessage'$/m,
  ],
};
