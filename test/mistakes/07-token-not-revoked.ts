import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: 'signing out without revoking the token at Google: step 7 fails, saying Google still knows it',
  from: 7,
  edits: [{ file: 'sign-out.ts', from: '      await google.revokeToken(accessToken);', to: '      void google;' }],
  check: 7,
  blame: 7,
  shows: [
    /^ {4}sent: {5}POST \/gdisconnect\n(.*\n){2} {4}expected: the access token revoked at Google: Google's tokeninfo then answers 400 for it\n {4}got: {6}Google's tokeninfo answers 200 for it: Google still knows the token \(nothing POSTed it to http:\/\/127\.0\.0\.1:PORT\/revoke\)$/m,
  ],
  lessons: ['sent, expected, got'],
};
