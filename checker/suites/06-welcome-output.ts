import { expectJson, expectMarkup, expectNoTokens, expectSuccess, expectThat } from '../expect.ts';
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
      expectNoTokens(reply);
      expectMarkup(
        reply,
        `<h1>Welcome, Alice Liddell!</h1><img class="avatar" src="${kit.google}/avatars/alice.svg" alt="" width="150" height="150">`,
      );
    }),

    check('the next GET / shows Alice signed in and the flash, once', async (kit) => {
      const agent = kit.agent();
      expectSuccess(await signIn(agent, '4/fixture-alice'));
      const first = await agent.get('/');
      expectNoTokens(first);
      const flash = (page: typeof first) => /<ul class="flash">.*?<\/ul>/.exec(page.body)?.[0] ?? 'no flash';
      expectThat(/<ul class="flash"><li>you are now logged in as Alice Liddell<\/li><\/ul>/.test(first.body), {
        sent: first,
        expected: 'the flash <ul class="flash"><li>you are now logged in as Alice Liddell</li></ul>',
        got: () => flash(first),
      });
      const second = await agent.get('/');
      expectThat(!/you are now logged in/.test(second.body), {
        sent: second,
        expected: 'no flash the second time: a flash is shown once',
        got: () => `the flash again: ${flash(second)}`,
      });
      for (const page of [first, second]) {
        expectThat(/Signed in as <strong>Alice Liddell<\/strong>/.test(page.body), {
          sent: page,
          expected: 'the home page showing Alice signed in',
          got: () => /<p id="signed-(?:in|out)">.*?<\/p>/.exec(page.body)?.[0] ?? page.body.slice(0, 200),
        });
      }
    }),

    check('4/fixture-mallory: a name and picture full of HTML are shown as text, everywhere', async (kit) => {
      const agent = (await kit.freshDatabase()).agent();
      const reply = await signIn(agent, '4/fixture-mallory');
      expectMarkup(
        reply,
        `<h1>Welcome, &lt;script&gt;alert(1)&lt;/script&gt;!</h1><img class="avatar" src="${kit.google}/avatars/mallory.svg?&quot; onerror=&quot;alert(2)" alt="" width="150" height="150">`,
      );
      const home = await agent.get('/');
      expectThat(
        !home.body.includes('<script>alert(1)') && /you are now logged in as &lt;script&gt;alert\(1\)&lt;\/script&gt;/.test(home.body),
        {
          sent: home,
          expected: 'the home page showing the name as text: you are now logged in as &lt;script&gt;alert(1)&lt;/script&gt;',
          got: () => /<ul class="flash">.*?<\/ul>/.exec(home.body)?.[0] ?? 'no flash',
        },
      );
    }),

    check("Alice, then Bob, in one browser: / shows Bob's flash only (sign-in starts from a clean slate)", async (kit) => {
      const agent = kit.agent();
      expectSuccess(await signIn(agent, '4/fixture-alice'));
      expectSuccess(await signIn(agent, '4/fixture-bob'));
      const home = await agent.get('/');
      const flashes = [...home.body.matchAll(/<li>(you are now logged in as [^<]*)<\/li>/g)].map((found) => found[1]);
      expectThat(flashes.length === 1 && flashes[0] === 'you are now logged in as Bob Builder', {
        sent: home,
        expected: "Bob's flash only: nothing of Alice's session may follow Bob's new one",
        got: `the flashes ${JSON.stringify(flashes)}`,
      });
    }),

    check('Alice again: still the JSON "Current user is already connected."', async (kit) => {
      const agent = kit.agent();
      expectSuccess(await signIn(agent, '4/fixture-alice'));
      expectJson(await signIn(agent, '4/fixture-alice'), 200, 'Current user is already connected.');
    }),
  ],
};
