import type { Agent, Reply } from '../agent.ts';
import { expectJson, expectSuccess, expectThat, holding } from '../expect.ts';
import { signIn } from '../gconnect.ts';
import type { Kit } from '../serve-app.ts';
import { check, type Suite } from '../suite.ts';

const NOT_CONNECTED = 'Current user not connected.';
const FAILED = 'Failed to revoke token for given user.';

/** POST /gdisconnect as the home page's script sends it (`xhr: false` leaves the header out). */
function signOut(agent: Agent, { xhr = true } = {}) {
  return agent.request('/gdisconnect', { method: 'POST', headers: xhr ? { 'x-requested-with': 'XMLHttpRequest' } : {} });
}

/** Signs in with `code` and returns the access token the server keeps for the browser. */
async function signedIn(kit: Kit, agent: Agent, code = '4/fixture-alice'): Promise<{ id: string; accessToken: string }> {
  const signedIn = await signIn(agent, code);
  expectSuccess(signedIn);
  const id = agent.cookies.get('gconnect.sid') ?? '';
  const session = await kit.sessions.get(id);
  expectThat(typeof session?.accessToken === 'string', {
    sent: signedIn,
    expected: 'a signed-in session that holds the access token (accessToken), for signing out to revoke',
    got: () => (session ? `a session ${holding(session)}` : id ? "no session in the store under the cookie's id" : 'no session cookie'),
  });
  return { id, accessToken: String(session?.accessToken) };
}

/** What the fake Google's tokeninfo says of a token now: 200 while it lives, 400 once revoked. */
async function tokeninfoStatus(kit: Kit, accessToken: string): Promise<number> {
  const reply = await fetch(kit.config.google.endpoints.tokenInfoUrl!, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return reply.status;
}

/** After `signedOut`: nobody is signed in: no session in the store, no cookie, the home page says so. */
async function expectSignedOut(kit: Kit, agent: Agent, id: string, signedOut: Reply): Promise<void> {
  const session = await kit.sessions.get(id);
  expectThat(session === undefined, {
    sent: signedOut,
    expected: 'the session gone from the store (await ctx.endSession(), or regenerate)',
    got: () => `it is still there, ${holding(session!)}`,
  });
  const cookie = agent.cookies.get('gconnect.sid');
  expectThat(cookie === undefined, {
    sent: signedOut,
    expected: 'the session cookie cleared (Set-Cookie: gconnect.sid=; expires in the past)',
    got: () => `the browser still sends gconnect.sid; the answer's Set-Cookie: ${signedOut.setCookies.join(' | ') || 'none'}`,
  });
  const home = await agent.get('/');
  expectThat(/<p id="signed-out">Nobody is signed in\.<\/p>/.test(home.body), {
    sent: home,
    expected: 'the home page with nobody signed in (<p id="signed-out">Nobody is signed in.</p>)',
    got: () => /<p id="signed-in">[^\n]*?<\/p>/.exec(home.body)?.[0] ?? `${home.status}: ${home.body.slice(0, 200)}`,
  });
}

/** After signing out, Google's tokeninfo refuses the token: it was revoked. */
async function expectRevoked(kit: Kit, accessToken: string, signedOut: Reply): Promise<void> {
  const status = await tokeninfoStatus(kit, accessToken);
  expectThat(status === 400, {
    sent: signedOut,
    expected: "the access token revoked at Google: Google's tokeninfo then answers 400 for it",
    got: () => `Google's tokeninfo answers ${status} for it: Google still knows the token (nothing POSTed it to ${kit.google}/revoke)`,
  });
}

/** A refused sign-out leaves the session where it was. */
async function expectStillSignedIn(kit: Kit, id: string, refused: Reply): Promise<void> {
  expectThat((await kit.sessions.get(id)) !== undefined, {
    sent: refused,
    expected: 'Alice still signed in: a refused sign-out leaves her session in the store',
    got: 'her session is gone from the store',
  });
}

export const suite: Suite = {
  step: 7,
  title: 'disconnect',
  answer: '(sign-in as in 6)',
  checks: [
    check('Alice signs in, then out: 200 "Successfully disconnected.", her session gone, her token revoked at Google', async (kit) => {
      const agent = kit.agent();
      const { id, accessToken } = await signedIn(kit, agent);
      const out = await signOut(agent);
      expectJson(out, 200, 'Successfully disconnected.');
      await expectSignedOut(kit, agent, id, out);
      await expectRevoked(kit, accessToken, out);
    }),

    check('signing out again, or with nobody signed in: 401 "Current user not connected."', async (kit) => {
      expectJson(await signOut(kit.agent()), 401, NOT_CONNECTED);
      const agent = kit.agent();
      await signedIn(kit, agent);
      expectJson(await signOut(agent), 200, 'Successfully disconnected.');
      expectJson(await signOut(agent), 401, NOT_CONNECTED);
    }),

    check('without X-Requested-With: 403, and Alice stays signed in', async (kit) => {
      const agent = kit.agent();
      const { id } = await signedIn(kit, agent);
      const refused = await signOut(agent, { xhr: false });
      expectJson(refused, 403, 'Missing X-Requested-With header.');
      await expectStillSignedIn(kit, id, refused);
    }),

    check('GET /gdisconnect (an <img> on any page): 405, and Alice stays signed in', async (kit) => {
      const agent = kit.agent();
      const { id } = await signedIn(kit, agent);
      const reply = await agent.get('/gdisconnect');
      expectJson(reply, 405, 'Method not allowed.');
      expectThat(reply.headers.get('allow') === 'POST', {
        sent: reply,
        expected: 'Allow: POST (the method that works here)',
        got: `Allow: ${reply.headers.get('allow') ?? '(no Allow header)'}`,
      });
      await expectStillSignedIn(kit, id, reply);
    }),

    check(
      '4/fixture-revoke-refused (Google answers 400): 400 "Failed to revoke token for given user.", and signed out all the same',
      async (kit) => {
        const agent = kit.agent();
        const { id } = await signedIn(kit, agent, '4/fixture-revoke-refused');
        const out = await signOut(agent);
        expectJson(out, 400, FAILED);
        await expectSignedOut(kit, agent, id, out);
      },
    ),

    check('4/fixture-revoke-down (Google answers 503): 400, and signed out all the same', async (kit) => {
      const agent = kit.agent();
      const { id } = await signedIn(kit, agent, '4/fixture-revoke-down');
      const out = await signOut(agent);
      expectJson(out, 400, FAILED);
      await expectSignedOut(kit, agent, id, out);
    }),

    check(
      'the session store failing to delete her session: 503 "The session store is unavailable.", her token not revoked, Alice still signed in; then the sign-out works',
      async (kit) => {
        const agent = kit.agent();
        const { id, accessToken } = await signedIn(kit, agent);
        // As Redis refusing or gone: the session cannot be ended.
        kit.sessions.refuseToDelete(id);
        let refused: Reply;
        try {
          refused = await signOut(agent);
        } finally {
          kit.sessions.refuseToDelete(id, false);
        }
        expectJson(refused, 503, 'The session store is unavailable.');
        const status = await tokeninfoStatus(kit, accessToken);
        expectThat(status === 200, {
          sent: refused,
          expected:
            "her token not revoked: the session is ended first (await ctx.endSession()), and when that fails nothing else happens (Google's tokeninfo still answers 200)",
          got: () =>
            `Google's tokeninfo answers ${status}: the token was revoked, her session still in the store: a sign-out done by half (ctx.session = null ends the session only after the chain, after Google was asked)`,
        });
        await expectStillSignedIn(kit, id, refused);
        const out = await signOut(agent);
        expectJson(out, 200, 'Successfully disconnected.');
        await expectSignedOut(kit, agent, id, out);
        await expectRevoked(kit, accessToken, out);
      },
    ),

    check('the home page of a signed-in user offers a "Sign out" button', async (kit) => {
      const agent = kit.agent();
      await signedIn(kit, agent);
      const home = await agent.get('/');
      for (const [markup, what] of [
        [/<button id="signout" type="button">Sign out<\/button>/, 'the button'],
        [/<script src="\/home\.js" defer><\/script>/, 'the script that sends POST /gdisconnect'],
      ] as const) {
        expectThat(markup.test(home.body), {
          sent: home,
          expected: `the home page with ${what}: markup matching ${markup}`,
          got: () => `no such markup in ${home.status} ${home.type}: ${JSON.stringify(home.body.slice(0, 300))}`,
        });
      }
    }),
  ],
};
