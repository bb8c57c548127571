import assert from 'node:assert/strict';
import type { Agent } from '../agent.ts';
import { expectJson, expectSuccess } from '../expect.ts';
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
  expectSuccess(await signIn(agent, code));
  const id = agent.cookies.get('gconnect.sid') ?? '';
  const session = await kit.sessions.get(id);
  assert.ok(typeof session?.accessToken === 'string', `a signed-in session holds the access token: ${JSON.stringify(session)}`);
  return { id, accessToken: session.accessToken };
}

/** What the fake Google's tokeninfo says of a token now: 200 while it lives, 400 once revoked. */
async function tokeninfoStatus(kit: Kit, accessToken: string): Promise<number> {
  const reply = await fetch(kit.config.google.endpoints.tokenInfoUrl!, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}` },
  });
  return reply.status;
}

/** Nobody is signed in: no session in the store, the home page says so. */
async function expectSignedOut(kit: Kit, agent: Agent, id: string): Promise<void> {
  assert.equal(await kit.sessions.get(id), undefined, 'the session is gone from the store');
  assert.equal(agent.cookies.get('gconnect.sid'), undefined, 'the session cookie is cleared');
  assert.match((await agent.get('/')).body, /<p id="signed-out">Nobody is signed in\.<\/p>/);
}

export const suite: Suite = {
  step: 7,
  title: 'disconnect',
  answer: '(sign-in as in 6)',
  checks: [
    check('Alice signs in, then out: 200 "Successfully disconnected.", her session gone, her token revoked at Google', async (kit) => {
      const agent = kit.agent();
      const { id, accessToken } = await signedIn(kit, agent);
      expectJson(await signOut(agent), 200, 'Successfully disconnected.');
      await expectSignedOut(kit, agent, id);
      assert.equal(await tokeninfoStatus(kit, accessToken), 400, 'Google no longer knows the token');
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
      expectJson(await signOut(agent, { xhr: false }), 403, 'Missing X-Requested-With header.');
      assert.ok(await kit.sessions.get(id), 'still signed in');
    }),

    check('GET /gdisconnect (an <img> on any page): 405, and Alice stays signed in', async (kit) => {
      const agent = kit.agent();
      const { id } = await signedIn(kit, agent);
      const reply = await agent.get('/gdisconnect');
      expectJson(reply, 405, 'Method not allowed.');
      assert.equal(reply.headers.get('allow'), 'POST');
      assert.ok(await kit.sessions.get(id), 'still signed in');
    }),

    check(
      '4/fixture-revoke-refused (Google answers 400): 400 "Failed to revoke token for given user.", and signed out all the same',
      async (kit) => {
        const agent = kit.agent();
        const { id } = await signedIn(kit, agent, '4/fixture-revoke-refused');
        expectJson(await signOut(agent), 400, FAILED);
        await expectSignedOut(kit, agent, id);
      },
    ),

    check('4/fixture-revoke-down (Google answers 503): 400, and signed out all the same', async (kit) => {
      const agent = kit.agent();
      const { id } = await signedIn(kit, agent, '4/fixture-revoke-down');
      expectJson(await signOut(agent), 400, FAILED);
      await expectSignedOut(kit, agent, id);
    }),

    check('the home page of a signed-in user offers a "Sign out" button', async (kit) => {
      const agent = kit.agent();
      await signedIn(kit, agent);
      const home = await agent.get('/');
      assert.match(home.body, /<button id="signout" type="button">Sign out<\/button>/);
      assert.match(home.body, /<script src="\/home\.js" defer><\/script>/);
    }),
  ],
};
