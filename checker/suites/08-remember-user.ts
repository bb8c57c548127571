// Step 8, remember user: a users table keyed by Google's sub; the first sign-in is welcomed,
// later ones welcomed back. Each check signs in on an app with an empty database of its own
// (kit.freshDatabase()), so that "first" means first whatever the other checks do.
import assert from 'node:assert/strict';
import type { Agent, Reply } from '../agent.ts';
import { expectSuccess, expectThat, holding } from '../expect.ts';
import { signIn } from '../gconnect.ts';
import type { Kit } from '../serve-app.ts';
import { check, type Suite } from '../suite.ts';

/** The welcome's heading, e.g. "Welcome back, Alice Liddell!". */
function heading(reply: Reply): string {
  expectSuccess(reply);
  return /<h1>([^<]*)<\/h1>/.exec(reply.body)?.[1] ?? `no <h1> in ${JSON.stringify(reply.body.slice(0, 200))}`;
}

/** Signs in with `code` from a new browser; the welcome's heading. */
async function welcomed(kit: Kit, code: string, agent: Agent = kit.agent()): Promise<string> {
  return heading(await signIn(agent, code));
}

export const suite: Suite = {
  step: 8,
  title: 'remember user',
  answer: '200 "Welcome, Alice Liddell!", then "Welcome back, Alice Liddell!"',
  checks: [
    check('4/fixture-alice: the first sign-in says "Welcome, Alice Liddell!", a later one "Welcome back, Alice Liddell!"', async (kit) => {
      const fresh = await kit.freshDatabase();
      assert.equal(await welcomed(fresh, '4/fixture-alice'), 'Welcome, Alice Liddell!');
      assert.equal(await welcomed(fresh, '4/fixture-alice'), 'Welcome back, Alice Liddell!');
      assert.equal(await welcomed(fresh, '4/fixture-alice'), 'Welcome back, Alice Liddell!');
    }),

    check('the session keeps the user id, not the profile; the home page reads the profile from the database', async (kit) => {
      const fresh = await kit.freshDatabase();
      const agent = fresh.agent();
      assert.equal(await welcomed(fresh, '4/fixture-alice', agent), 'Welcome, Alice Liddell!');
      const session = await fresh.sessions.get(agent.cookies.get('gconnect.sid') ?? '');
      expectThat(session !== undefined, { expected: 'a session in the store after signing in', got: "none under the cookie's id" });
      expectThat(typeof session!.userId === 'number' && !['username', 'email', 'picture'].some((key) => key in session!), {
        expected: 'a session holding userId (a number), and no username, email or picture: the profile is in the database',
        got: () => `a session ${holding(session!)}; userId ${JSON.stringify(session!.userId)}`,
      });
      assert.match((await agent.get('/')).body, /<p id="signed-in">Signed in as <strong>Alice Liddell<\/strong> \(alice@example\.com\)/);
    }),

    check(
      '4/fixture-alice-twin (Alice\'s address, unverified, another sub): a user of its own, "Welcome, Alice Twin!"; Alice is still welcomed back',
      async (kit) => {
        const fresh = await kit.freshDatabase();
        assert.equal(await welcomed(fresh, '4/fixture-alice'), 'Welcome, Alice Liddell!');
        const twin = await welcomed(fresh, '4/fixture-alice-twin');
        expectThat(twin === 'Welcome, Alice Twin!', {
          expected: '"Welcome, Alice Twin!": the twin is not Alice: users are found by sub, not by email',
          got: JSON.stringify(twin),
        });
        const agent = fresh.agent();
        assert.equal(await welcomed(fresh, '4/fixture-alice', agent), 'Welcome back, Alice Liddell!');
        const home = await agent.get('/');
        expectThat(/Signed in as <strong>Alice Liddell<\/strong>/.test(home.body), {
          sent: home,
          expected: "the home page showing Alice Liddell: Alice's row untouched by the twin",
          got: () => /<p id="signed-(?:in|out)">.*?<\/p>/.exec(home.body)?.[0] ?? home.body.slice(0, 200),
        });
      },
    ),

    check('ten first sign-ins of one new user at once: one "Welcome, Bob Builder!" and nine "Welcome back, Bob Builder!"', async (kit) => {
      const fresh = await kit.freshDatabase();
      const headings = await Promise.all(Array.from({ length: 10 }, () => welcomed(fresh, '4/fixture-bob')));
      const first = headings.filter((text) => text === 'Welcome, Bob Builder!').length;
      const back = headings.filter((text) => text === 'Welcome back, Bob Builder!').length;
      expectThat(first === 1 && back === 9, {
        expected: 'one "Welcome, Bob Builder!" and nine "Welcome back, Bob Builder!": one user row, created once',
        got: `${first} "Welcome" and ${back} "Welcome back": ${JSON.stringify(headings)}`,
      });
    }),
  ],
};
