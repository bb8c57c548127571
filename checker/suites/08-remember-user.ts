// Step 8, remember user: a users table keyed by Google's sub; the first sign-in is welcomed,
// later ones welcomed back. Each check signs in on an app with an empty database of its own
// (kit.freshDatabase()), so that "first" means first whatever the other checks do.
import type { Agent, Reply } from '../agent.ts';
import { answered, expectSuccess, expectThat, holding } from '../expect.ts';
import { signIn } from '../gconnect.ts';
import type { Kit } from '../serve-app.ts';
import { check, type Suite } from '../suite.ts';

/** The welcome's heading, e.g. "Welcome back, Alice Liddell!"; undefined without one. */
function heading(reply: Reply): string | undefined {
  return /<h1>([^<]*)<\/h1>/.exec(reply.body)?.[1];
}

/** Signs in with `code` from a new browser (or `agent`); its welcome. */
async function welcomed(kit: Kit, code: string, agent: Agent = kit.agent()): Promise<{ reply: Reply; heading: string | undefined }> {
  const reply = await signIn(agent, code);
  expectSuccess(reply);
  return { reply, heading: heading(reply) };
}

/** The welcome must be `expected` (`why` says why, for the learner). */
function expectWelcome({ reply, heading }: { reply: Reply; heading: string | undefined }, expected: string, why: string): void {
  expectThat(heading === expected, {
    sent: reply,
    expected: `<h1>${expected}</h1>: ${why}`,
    got: () => (heading === undefined ? `no <h1>: ${answered(reply)}` : `<h1>${heading}</h1>`),
  });
}

const FIRST = 'the first sign-in on an empty database';
const AGAIN = 'she signed in before: her row is in the users table, found by her Google id (sub)';

export const suite: Suite = {
  step: 8,
  title: 'remember user',
  answer: '200 "Welcome, Alice Liddell!", then "Welcome back, Alice Liddell!"',
  checks: [
    check('4/fixture-alice: the first sign-in says "Welcome, Alice Liddell!", a later one "Welcome back, Alice Liddell!"', async (kit) => {
      const fresh = await kit.freshDatabase();
      expectWelcome(await welcomed(fresh, '4/fixture-alice'), 'Welcome, Alice Liddell!', FIRST);
      expectWelcome(await welcomed(fresh, '4/fixture-alice'), 'Welcome back, Alice Liddell!', AGAIN);
      expectWelcome(await welcomed(fresh, '4/fixture-alice'), 'Welcome back, Alice Liddell!', `a third time: ${AGAIN}`);
    }),

    check('the session keeps the user id, not the profile; the home page reads the profile from the database', async (kit) => {
      const fresh = await kit.freshDatabase();
      const agent = fresh.agent();
      const signedIn = await welcomed(fresh, '4/fixture-alice', agent);
      expectWelcome(signedIn, 'Welcome, Alice Liddell!', FIRST);
      const session = await fresh.sessions.get(agent.cookies.get('gconnect.sid') ?? '');
      expectThat(session !== undefined, {
        sent: signedIn.reply,
        expected: 'a session in the store after signing in',
        got: "none under the cookie's id",
      });
      expectThat(typeof session.userId === 'number' && !['username', 'email', 'picture'].some((key) => key in session!), {
        sent: signedIn.reply,
        expected: 'a session holding userId (a number), and no username, email or picture: the profile is in the database',
        got: () => `a session ${holding(session)}; userId ${JSON.stringify(session.userId)}`,
      });
      const home = await agent.get('/');
      expectThat(/<p id="signed-in">Signed in as <strong>Alice Liddell<\/strong> \(alice@example\.com\)/.test(home.body), {
        sent: home,
        expected:
          'the home page showing Alice from her row in the database: Signed in as <strong>Alice Liddell</strong> (alice@example.com)',
        got: () => /<p id="signed-(?:in|out)">.*?<\/p>/.exec(home.body)?.[0] ?? answered(home),
      });
    }),

    check(
      '4/fixture-alice-twin (Alice\'s address, unverified, another sub): a user of its own, "Welcome, Alice Twin!"; Alice is still welcomed back',
      async (kit) => {
        const fresh = await kit.freshDatabase();
        expectWelcome(await welcomed(fresh, '4/fixture-alice'), 'Welcome, Alice Liddell!', FIRST);
        expectWelcome(
          await welcomed(fresh, '4/fixture-alice-twin'),
          'Welcome, Alice Twin!',
          'the twin is not Alice (another sub, her address unverified): users are found by sub, not by email',
        );
        const agent = fresh.agent();
        expectWelcome(await welcomed(fresh, '4/fixture-alice', agent), 'Welcome back, Alice Liddell!', `after the twin, ${AGAIN}`);
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
      const replies = await Promise.all(Array.from({ length: 10 }, () => welcomed(fresh, '4/fixture-bob')));
      const headings = replies.map((welcome) => welcome.heading);
      const first = headings.filter((text) => text === 'Welcome, Bob Builder!').length;
      const back = headings.filter((text) => text === 'Welcome back, Bob Builder!').length;
      expectThat(first === 1 && back === 9, {
        sent: replies[0]!.reply,
        expected: 'one "Welcome, Bob Builder!" and nine "Welcome back, Bob Builder!": one user row, created once',
        got: `${first} "Welcome" and ${back} "Welcome back": ${JSON.stringify(headings)}`,
      });
    }),
  ],
};
