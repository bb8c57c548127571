import { it } from 'node:test';
import { expectJson } from '../support/expect.ts';
import { signIn } from '../support/gconnect.ts';
import type { Suite } from '../support/suite.ts';

export const suite: Suite = {
  step: 4,
  title: 'user match',
  tests(kit, { final }) {
    it('4/fixture-other-user: 401 "Token\'s user ID doesn\'t match given user ID."', async () => {
      expectJson(await signIn(kit().agent(), '4/fixture-other-user'), 401, "Token's user ID doesn't match given user ID.");
    });

    it('4/fixture-other-client: 401 "Token\'s client ID does not match app\'s."', async () => {
      expectJson(await signIn(kit().agent(), '4/fixture-other-client'), 401, "Token's client ID does not match app's.");
    });

    if (final) {
      it('4/fixture-alice and 4/fixture-bob: 200 "User matched."', async () => {
        expectJson(await signIn(kit().agent(), '4/fixture-alice'), 200, 'User matched.');
        expectJson(await signIn(kit().agent(), '4/fixture-bob'), 200, 'User matched.');
      });
    }
  },
};
