import assert from 'node:assert/strict';
import { cookieAttributes, type Agent } from '../agent.ts';
import { expectJson, expectSuccess } from '../expect.ts';
import { anonymousVisits, signIn } from '../gconnect.ts';
import { SESSIONS_KEPT, type Kit } from '../serve-app.ts';
import { check, placeholder, type Suite } from '../suite.ts';

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
    check(
      '4/fixture-alice: the server-side session holds her access token and Google id; the home page shows her name, email and picture',
      async (kit) => {
        const agent = kit.agent();
        expectSuccess(await signIn(agent, '4/fixture-alice'));
        const session = await sessionOf(kit, agent);
        assert.match(String(session.accessToken), /^ya29\./);
        assert.equal(session.googleId, ALICE.googleId);
        // Where the profile is kept (the session until step 7, the database from step 8) is the step's choice.
        const home = (await agent.get('/')).body;
        assert.match(home, /<p id="signed-in">Signed in as <strong>Alice Liddell<\/strong> \(alice@example\.com\)/);
        assert.ok(home.includes(`src="${kit.google}/avatars/alice.svg"`), 'her picture');
      },
    ),

    check('the cookie carries only a random session id: no token, no profile, even decoded', async (kit) => {
      const agent = kit.agent();
      expectSuccess(await signIn(agent, '4/fixture-alice'));
      const session = await sessionOf(kit, agent);
      const cookies = [...agent.cookies.values()].join(' ');
      const decoded = [...agent.cookies.values()].map((value) => Buffer.from(value, 'base64').toString('latin1')).join(' ');
      for (const secret of [String(session.accessToken), 'ya29', ALICE.email, ALICE.username, ALICE.googleId]) {
        assert.ok(!cookies.includes(secret) && !decoded.includes(secret), `the cookie leaks ${secret}`);
      }
      assert.match(agent.cookies.get('gconnect.sid') ?? '', /^[0-9a-f-]{36}$/);
    }),

    check(
      'the session cookie is signed, httpOnly, SameSite=Lax; Secure behind a TLS-terminating proxy (TRUST_PROXY), not on plain http',
      async (kit) => {
        const sessionCookie = (reply: { setCookies: string[] }) => reply.setCookies.find((line) => line.startsWith('gconnect.sid='));
        const plain = kit.agent();
        const signedIn = await signIn(plain, '4/fixture-alice');
        expectSuccess(signedIn);
        const cookie = sessionCookie(signedIn);
        assert.ok(
          cookie && plain.cookies.has('gconnect.sid.sig'),
          `a signed session cookie at sign-in, got ${signedIn.setCookies.join(' | ')}`,
        );
        const attributes = cookieAttributes(cookie);
        assert.equal(attributes.samesite, 'lax');
        assert.ok('httponly' in attributes, 'httpOnly');
        assert.ok(!('secure' in attributes), 'not Secure on plain http: it would never come back');
        const proxied = await signIn(
          (await kit.withConfig({ trustProxy: true })).agent({ 'x-forwarded-proto': 'https' }),
          '4/fixture-alice',
        );
        expectSuccess(proxied);
        assert.ok('secure' in cookieAttributes(sessionCookie(proxied) ?? ''), `Secure behind the proxy: ${proxied.setCookies.join(' | ')}`);
      },
    ),

    check(
      `a signed-in user stays signed in through a flood of anonymous visits (${SESSIONS_KEPT + 50}, more than the sessions kept)`,
      async (kit) => {
        const agent = kit.agent();
        expectSuccess(await signIn(agent, '4/fixture-alice'));
        await anonymousVisits(kit.agent(), SESSIONS_KEPT + 50);
        assert.equal((await sessionOf(kit, agent)).googleId, ALICE.googleId, 'her session is still in the store');
        assert.match((await agent.get('/')).body, /<p id="signed-in">Signed in as <strong>Alice Liddell<\/strong>/);
      },
    ),

    check(
      'signing in gives the session a new id and drops the old one: an id planted in the browser (session fixation) dies there',
      async (kit) => {
        // Someone signs in and plants their session's cookie in another's browser; she signs in.
        const agent = kit.agent();
        expectSuccess(await signIn(agent, '4/fixture-alice'));
        const before = agent.cookies.get('gconnect.sid');
        assert.ok(before, 'a session cookie after the first sign-in');
        expectSuccess(await signIn(agent, '4/fixture-bob'));
        const after = agent.cookies.get('gconnect.sid');
        assert.ok(
          after && after !== before,
          'signing in must give the session a new id (session.regenerate()): the cookie still holds the id it had before',
        );
        assert.equal(await kit.sessions.get(before), undefined, 'the session under the old id must be gone from the store');
        assert.equal((await sessionOf(kit, agent)).googleId, BOB.googleId);
      },
    ),

    check('Alice again in the same browser: 200 "Current user is already connected."', async (kit) => {
      const agent = kit.agent();
      expectSuccess(await signIn(agent, '4/fixture-alice'));
      expectJson(await signIn(agent, '4/fixture-alice'), 200, 'Current user is already connected.');
    }),

    check('Bob after Alice in the same browser: Bob is signed in', async (kit) => {
      const agent = kit.agent();
      expectSuccess(await signIn(agent, '4/fixture-alice'));
      expectSuccess(await signIn(agent, '4/fixture-bob'));
      assert.equal((await sessionOf(kit, agent)).googleId, BOB.googleId);
      assert.match((await agent.get('/')).body, /Signed in as <strong>Bob Builder<\/strong> \(bob@example\.com\)/);
    }),

    check('4/fixture-userinfo-down: 502 "Google did not answer the user info request." and no one is signed in', async (kit) => {
      const agent = kit.agent();
      expectJson(await signIn(agent, '4/fixture-userinfo-down'), 502, 'Google did not answer the user info request.');
      const id = agent.cookies.get('gconnect.sid');
      const session = id ? await kit.sessions.get(id) : undefined;
      assert.equal(session?.accessToken, undefined, 'no access token kept for a half-done sign-in');
      assert.match((await agent.get('/')).body, /Nobody is signed in/);
    }),

    check('Alice and Bob signing in at once, in two browsers, each get their own session', async (kit) => {
      const alice = kit.agent();
      const bob = kit.agent();
      for (const reply of await Promise.all([signIn(alice, '4/fixture-alice'), signIn(bob, '4/fixture-bob')])) expectSuccess(reply);
      assert.equal((await sessionOf(kit, alice)).googleId, ALICE.googleId);
      assert.equal((await sessionOf(kit, bob)).googleId, BOB.googleId);
    }),

    check('GET / then shows who is signed in', async (kit) => {
      const agent = kit.agent();
      expectSuccess(await signIn(agent, '4/fixture-alice'));
      const home = await agent.get('/');
      assert.match(home.body, /<p id="signed-in">Signed in as <strong>Alice Liddell<\/strong> \(alice@example.com\)<\/p>/);
    }),
  ],
  placeholder: placeholder(200, 'Session stored.'),
};
