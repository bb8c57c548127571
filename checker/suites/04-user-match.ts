import { expectJson, expectNotRejected } from '../expect.ts';
import { signIn } from '../gconnect.ts';
import { check, placeholder, type Suite } from '../suite.ts';

const OTHER_USER = "Token's user ID doesn't match given user ID.";
const OTHER_CLIENT = "Token's client ID does not match app's.";
const REJECTIONS = [
  { status: 401, message: OTHER_USER },
  { status: 401, message: OTHER_CLIENT },
];

export const suite: Suite = {
  step: 4,
  title: 'user match',
  checks: [
    check('4/fixture-alice and 4/fixture-bob: each matches, as the same user and for this app', async (kit) => {
      expectNotRejected(await signIn(kit.agent(), '4/fixture-alice'), REJECTIONS, "Alice's tokens match each other and this app");
      expectNotRejected(await signIn(kit.agent(), '4/fixture-bob'), REJECTIONS, "Bob's tokens match each other and this app");
    }),

    check('4/fixture-other-user: 401 "Token\'s user ID doesn\'t match given user ID."', async (kit) => {
      expectJson(await signIn(kit.agent(), '4/fixture-other-user'), 401, OTHER_USER);
    }),

    check('4/fixture-other-client: 401 "Token\'s client ID does not match app\'s."', async (kit) => {
      expectJson(await signIn(kit.agent(), '4/fixture-other-client'), 401, OTHER_CLIENT);
    }),

    check("4/fixture-other-azp (aud is ours, azp is another app's): 401 \"Token's client ID does not match app's.\"", async (kit) => {
      expectJson(await signIn(kit.agent(), '4/fixture-other-azp'), 401, OTHER_CLIENT);
    }),
  ],
  placeholder: placeholder(200, 'User matched.', {
    name: '4/fixture-alice and 4/fixture-bob: 200 "User matched."',
    send: async (kit) => [await signIn(kit.agent(), '4/fixture-alice'), await signIn(kit.agent(), '4/fixture-bob')],
  }),
};
