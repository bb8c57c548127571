import assert from 'node:assert/strict';
import type { Agent } from '../harness/agent.ts';
import { expectJson, expectSuccess } from '../harness/expect.ts';
import { openLoginPage, postGconnect, signIn } from '../harness/gconnect.ts';
import type { Kit } from '../harness/kit.ts';
import { check, type Suite } from '../harness/suite.ts';

const ALICE = { googleId: '108250930531234567801', username: 'Alice Liddell', email: 'alice@example.com' };
const BOB = { googleId: '108250930531234567802', username: 'Bob Builder', email: 'bob@example.com' };

async function sessionOf(kit: Kit, agent: Agent): Promise<Record<string, unknown>> {
  const id = agent.cookies.get('gconnect.sid');
  assert.ok(id, 'the browser has a session cookie');
  const data = await kit.sessions.get(id);
  assert.ok(data, `the server has a session for id ${id}`);
  return data;
}

export const suite: Suite = {
  step: 5,
  title: 'session storage',
  checks: [
    check('4/fixture-alice: the server-side session holds her access token, Google id, name, picture and email', async (kit) => {
      const agent = kit.agent();
      expectSuccess(await signIn(agent, '4/fixture-alice'));
      const session = await sessionOf(kit, agent);
      assert.match(String(session.accessToken), /^ya29\./);
      assert.deepEqual(
        { googleId: session.googleId, username: session.username, email: session.email, picture: session.picture },
        { ...ALICE, picture: `${kit.google}/avatars/alice.svg` },
      );
    }),

    check('the cookie carries only a random session id: no token, no profile, even decoded', async (kit) => {
      const agent = kit.agent();
      await signIn(agent, '4/fixture-alice');
      const session = await sessionOf(kit, agent);
      const cookies = [...agent.cookies.values()].join(' ');
      const decoded = [...agent.cookies.values()].map((value) => Buffer.from(value, 'base64').toString('latin1')).join(' ');
      for (const secret of [String(session.accessToken), 'ya29', ALICE.email, ALICE.username, ALICE.googleId]) {
        assert.ok(!cookies.includes(secret) && !decoded.includes(secret), `the cookie leaks ${secret}`);
      }
      assert.match(agent.cookies.get('gconnect.sid') ?? '', /^[0-9a-f-]{36}$/);
    }),

    check('signing in gives the session a new id and drops the old one', async (kit) => {
      const agent = kit.agent();
      const { state } = await openLoginPage(agent);
      const before = agent.cookies.get('gconnect.sid');
      assert.ok(before);
      expectSuccess(await postGconnect(agent, { state, code: '4/fixture-alice' }));
      const after = agent.cookies.get('gconnect.sid');
      assert.ok(after && after !== before, 'signing in must give the session a new id (session.regenerate()): the cookie still holds the id it had before');
      assert.equal(await kit.sessions.get(before), undefined, 'the session under the old id must be gone from the store');
      assert.equal((await sessionOf(kit, agent)).googleId, ALICE.googleId);
    }),

    check('Alice again in the same browser: 200 "Current user is already connected."', async (kit) => {
      const agent = kit.agent();
      expectSuccess(await signIn(agent, '4/fixture-alice'));
      expectJson(await signIn(agent, '4/fixture-alice'), 200, 'Current user is already connected.');
    }),

    check('Bob after Alice in the same browser: Bob is signed in', async (kit) => {
      const agent = kit.agent();
      await signIn(agent, '4/fixture-alice');
      expectSuccess(await signIn(agent, '4/fixture-bob'));
      const { googleId, username, email } = await sessionOf(kit, agent);
      assert.deepEqual({ googleId, username, email }, BOB);
    }),

    check('4/fixture-userinfo-down: 502 "Google did not answer the user info request." and no one is signed in', async (kit) => {
      const agent = kit.agent();
      expectJson(await signIn(agent, '4/fixture-userinfo-down'), 502, 'Google did not answer the user info request.');
      const session = await sessionOf(kit, agent);
      assert.equal(session.accessToken, undefined);
      assert.match((await agent.get('/')).body, /Nobody is signed in/);
    }),

    check('Alice and Bob signing in at once, in two browsers, each get their own session', async (kit) => {
      const alice = kit.agent();
      const bob = kit.agent();
      await Promise.all([signIn(alice, '4/fixture-alice'), signIn(bob, '4/fixture-bob')]);
      assert.equal((await sessionOf(kit, alice)).googleId, ALICE.googleId);
      assert.equal((await sessionOf(kit, bob)).googleId, BOB.googleId);
    }),

    check('GET / then shows who is signed in', async (kit) => {
      const agent = kit.agent();
      await signIn(agent, '4/fixture-alice');
      const home = await agent.get('/');
      assert.match(home.body, /<p id="signed-in">Signed in as <strong>Alice Liddell<\/strong> \(alice@example.com\)<\/p>/);
    }),
  ],
  placeholder: check('4/fixture-alice: 200 "Session stored."', async (kit) => {
    expectJson(await signIn(kit.agent(), '4/fixture-alice'), 200, 'Session stored.');
  }),
};
