import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Agent } from '../support/agent.ts';
import { expectJson } from '../support/expect.ts';
import { openLoginPage, postGconnect, signIn } from '../support/gconnect.ts';
import type { Kit } from '../support/kit.ts';
import type { Suite } from '../support/suite.ts';

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
  tests(kit, { final }) {
    it('4/fixture-alice: the server-side session holds her access token, Google id, name, picture and email', async () => {
      const agent = kit().agent();
      assert.equal((await signIn(agent, '4/fixture-alice')).status, 200);
      const session = await sessionOf(kit(), agent);
      assert.match(String(session.accessToken), /^ya29\./);
      assert.deepEqual(
        { googleId: session.googleId, username: session.username, email: session.email, picture: session.picture },
        { ...ALICE, picture: `${kit().google}/avatars/alice.svg` },
      );
    });

    it('the cookie carries only a random session id: no token, no profile, even decoded', async () => {
      const agent = kit().agent();
      await signIn(agent, '4/fixture-alice');
      const session = await sessionOf(kit(), agent);
      const cookies = [...agent.cookies.values()].join(' ');
      const decoded = [...agent.cookies.values()].map((value) => Buffer.from(value, 'base64').toString('latin1')).join(' ');
      for (const secret of [String(session.accessToken), 'ya29', ALICE.email, ALICE.username, ALICE.googleId]) {
        assert.ok(!cookies.includes(secret) && !decoded.includes(secret), `the cookie leaks ${secret}`);
      }
      assert.match(agent.cookies.get('gconnect.sid') ?? '', /^[0-9a-f-]{36}$/);
    });

    it('signing in gives the session a new id and drops the old one', async () => {
      const agent = kit().agent();
      const { state } = await openLoginPage(agent);
      const before = agent.cookies.get('gconnect.sid');
      assert.ok(before);
      assert.equal((await postGconnect(agent, { state, code: '4/fixture-alice' })).status, 200);
      const after = agent.cookies.get('gconnect.sid');
      assert.ok(after && after !== before, 'a new session id');
      assert.equal(await kit().sessions.get(before), undefined);
      assert.equal((await sessionOf(kit(), agent)).googleId, ALICE.googleId);
    });

    it('Alice again in the same browser: 200 "Current user is already connected."', async () => {
      const agent = kit().agent();
      assert.equal((await signIn(agent, '4/fixture-alice')).status, 200);
      expectJson(await signIn(agent, '4/fixture-alice'), 200, 'Current user is already connected.');
    });

    it('Bob after Alice in the same browser: Bob is signed in', async () => {
      const agent = kit().agent();
      await signIn(agent, '4/fixture-alice');
      assert.equal((await signIn(agent, '4/fixture-bob')).status, 200);
      const { googleId, username, email } = await sessionOf(kit(), agent);
      assert.deepEqual({ googleId, username, email }, BOB);
    });

    it('4/fixture-userinfo-down: 502 "Google did not answer the user info request." and no one is signed in', async () => {
      const agent = kit().agent();
      expectJson(await signIn(agent, '4/fixture-userinfo-down'), 502, 'Google did not answer the user info request.');
      const session = await sessionOf(kit(), agent);
      assert.equal(session.accessToken, undefined);
      assert.match((await agent.get('/')).body, /Nobody is signed in/);
    });

    it('Alice and Bob signing in at once, in two browsers, each get their own session', async () => {
      const alice = kit().agent();
      const bob = kit().agent();
      await Promise.all([signIn(alice, '4/fixture-alice'), signIn(bob, '4/fixture-bob')]);
      assert.equal((await sessionOf(kit(), alice)).googleId, ALICE.googleId);
      assert.equal((await sessionOf(kit(), bob)).googleId, BOB.googleId);
    });

    it('GET / then shows who is signed in', async () => {
      const agent = kit().agent();
      await signIn(agent, '4/fixture-alice');
      const home = await agent.get('/');
      assert.match(home.body, /<p id="signed-in">Signed in as <strong>Alice Liddell<\/strong> \(alice@example.com\)<\/p>/);
    });

    if (final) {
      it('4/fixture-alice: 200 "Session stored."', async () => {
        expectJson(await signIn(kit().agent(), '4/fixture-alice'), 200, 'Session stored.');
      });
    }
  },
};
