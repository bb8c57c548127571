import { expectJson, expectNotRejected } from '../expect.ts';
import { signIn } from '../gconnect.ts';
import { check, placeholder, type Suite } from '../suite.ts';

const INVALID = 'Invalid ID token.';
const TOKENINFO_DOWN = 'Google did not answer the token info request.';

export const suite: Suite = {
  step: 3,
  title: 'token validation',
  checks: [
    check('4/fixture-alice: her tokens pass validation (tokeninfo, and the ID token for our client id)', async (kit) => {
      expectNotRejected(
        await signIn(kit.agent(), '4/fixture-alice'),
        [
          { status: 401, message: INVALID },
          { status: 500, message: 'invalid_token' },
          { status: 502, message: TOKENINFO_DOWN },
          { status: 502, message: 'Google did not answer the certificate request.' },
        ],
        "Alice's genuine tokens are accepted",
      );
    }),

    check('4/fixture-token-error: tokeninfo\'s error as a 500, "invalid_token" (the seed\'s behaviour)', async (kit) => {
      expectJson(await signIn(kit.agent(), '4/fixture-token-error'), 500, 'invalid_token');
    }),

    check('4/fixture-tokeninfo-down (503): 502 "Google did not answer the token info request."', async (kit) => {
      expectJson(await signIn(kit.agent(), '4/fixture-tokeninfo-down'), 502, TOKENINFO_DOWN);
    }),

    check('4/fixture-forged-id-token (signed with a key Google does not list): 401 "Invalid ID token."', async (kit) => {
      expectJson(await signIn(kit.agent(), '4/fixture-forged-id-token'), 401, INVALID);
    }),

    check('4/fixture-unknown-kid (signed by a key id Google\'s certs do not list): 401 "Invalid ID token."', async (kit) => {
      expectJson(await signIn(kit.agent(), '4/fixture-unknown-kid'), 401, INVALID);
    }),

    check('4/fixture-id-token-other-audience (issued to another app): 401 "Invalid ID token."', async (kit) => {
      expectJson(await signIn(kit.agent(), '4/fixture-id-token-other-audience'), 401, INVALID);
    }),

    check('4/fixture-expired-id-token: 401 "Invalid ID token."', async (kit) => {
      expectJson(await signIn(kit.agent(), '4/fixture-expired-id-token'), 401, INVALID);
    }),

    check('4/fixture-wrong-issuer (iss is not Google, https://evil.example): 401 "Invalid ID token."', async (kit) => {
      expectJson(await signIn(kit.agent(), '4/fixture-wrong-issuer'), 401, INVALID);
    }),
  ],
  placeholder: placeholder(200, 'Tokens validated.'),
};
