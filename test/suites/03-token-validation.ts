import { it } from 'node:test';
import { expectJson } from '../support/expect.ts';
import { signIn } from '../support/gconnect.ts';
import type { Suite } from '../support/suite.ts';

const INVALID = 'Invalid ID token.';

export const suite: Suite = {
  step: 3,
  title: 'token validation',
  tests(kit, { final }) {
    it('4/fixture-token-error: tokeninfo\'s error as a 500, "invalid_token" (the seed\'s behaviour)', async () => {
      expectJson(await signIn(kit().agent(), '4/fixture-token-error'), 500, 'invalid_token');
    });

    it('4/fixture-tokeninfo-down (503): 502 "Google did not answer the token info request."', async () => {
      expectJson(await signIn(kit().agent(), '4/fixture-tokeninfo-down'), 502, 'Google did not answer the token info request.');
    });

    it('4/fixture-forged-id-token (signed with a key Google does not list): 401 "Invalid ID token."', async () => {
      expectJson(await signIn(kit().agent(), '4/fixture-forged-id-token'), 401, INVALID);
    });

    it('4/fixture-id-token-other-audience (issued to another app): 401 "Invalid ID token."', async () => {
      expectJson(await signIn(kit().agent(), '4/fixture-id-token-other-audience'), 401, INVALID);
    });

    it('4/fixture-expired-id-token: 401 "Invalid ID token."', async () => {
      expectJson(await signIn(kit().agent(), '4/fixture-expired-id-token'), 401, INVALID);
    });

    if (final) {
      it('4/fixture-alice: 200 "Tokens validated."', async () => {
        expectJson(await signIn(kit().agent(), '4/fixture-alice'), 200, 'Tokens validated.');
      });
    }
  },
};
