import assert from 'node:assert/strict';
import { expectJson, expectMarkup, expectSuccess } from '../expect.ts';
import { signIn } from '../gconnect.ts';
import { check, type Suite } from '../suite.ts';

export const suite: Suite = {
  step: 6,
  title: 'welcome output',
  answer: '200 text/html welcome',
  checks: [
    check('4/fixture-alice: 200 text/html, "Welcome, Alice Liddell!" and her round avatar', async (kit) => {
      // A first sign-in: on an app whose database nobody has signed in to (step 8 welcomes a later one back).
      const reply = await signIn((await kit.freshDatabase()).agent(), '4/fixture-alice');
      expectMarkup(
        reply,
        `<h1>Welcome, Alice Liddell!</h1><img class="avatar" src="${kit.google}/avatars/alice.svg" alt="" width="150" height="150">`,
      );
    }),

    check('the next GET / shows Alice signed in and the flash, once', async (kit) => {
      const agent = kit.agent();
      expectSuccess(await signIn(agent, '4/fixture-alice'));
      const first = await agent.get('/');
      assert.match(first.body, /<ul class="flash"><li>you are now logged in as Alice Liddell<\/li><\/ul>/);
      assert.match(first.body, /Signed in as <strong>Alice Liddell<\/strong>/);
      const second = await agent.get('/');
      assert.doesNotMatch(second.body, /you are now logged in/);
      assert.match(second.body, /Signed in as <strong>Alice Liddell<\/strong>/);
    }),

    check('4/fixture-mallory: a name and picture full of HTML are shown as text, everywhere', async (kit) => {
      const agent = (await kit.freshDatabase()).agent();
      const reply = await signIn(agent, '4/fixture-mallory');
      expectMarkup(
        reply,
        `<h1>Welcome, &lt;script&gt;alert(1)&lt;/script&gt;!</h1><img class="avatar" src="${kit.google}/avatars/mallory.svg&quot; onerror=&quot;alert(2)" alt="" width="150" height="150">`,
      );
      const home = await agent.get('/');
      assert.ok(!home.body.includes('<script>alert(1)'), 'the home page shows the name as text');
      assert.match(home.body, /you are now logged in as &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    }),

    check("Alice, then Bob, in one browser: / shows Bob's flash only (sign-in starts from a clean slate)", async (kit) => {
      const agent = kit.agent();
      expectSuccess(await signIn(agent, '4/fixture-alice'));
      expectSuccess(await signIn(agent, '4/fixture-bob'));
      const home = await agent.get('/');
      const flashes = [...home.body.matchAll(/<li>(you are now logged in as [^<]*)<\/li>/g)].map((found) => found[1]);
      assert.deepEqual(flashes, ['you are now logged in as Bob Builder'], "nothing of Alice's session may follow Bob's new one");
    }),

    check('Alice again: still the JSON "Current user is already connected."', async (kit) => {
      const agent = kit.agent();
      expectSuccess(await signIn(agent, '4/fixture-alice'));
      expectJson(await signIn(agent, '4/fixture-alice'), 200, 'Current user is already connected.');
    }),
  ],
};
