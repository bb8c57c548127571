import { cookieAttributes, type Agent, type Reply } from '../agent.ts';
import { expectJson, expectSuccess, expectThat, holding, verbatim } from '../expect.ts';
import { anonymousVisits, signIn } from '../gconnect.ts';
import { SESSIONS_KEPT, type Kit } from '../serve-app.ts';
import { check, placeholder, type Suite } from '../suite.ts';

const ALICE = { googleId: '108250930531234567801', username: 'Alice Liddell', email: 'alice@example.com' };
const BOB = { googleId: '108250930531234567802', username: 'Bob Builder', email: 'bob@example.com' };

/** The session in the store of the browser `agent`, which `sent` signed in. */
async function sessionOf(kit: Kit, agent: Agent, sent: Reply): Promise<Record<string, unknown>> {
  const id = agent.cookies.get('gconnect.sid');
  expectThat(id !== undefined, {
    sent,
    expected: 'a session cookie, gconnect.sid, in the browser after signing in',
    got: 'no gconnect.sid cookie',
  });
  const data = await kit.sessions.get(id);
  expectThat(data !== undefined, {
    sent,
    expected: "a session in the store under the cookie's id",
    got: 'nothing in the store under that id: the session was dropped, or never saved',
  });
  return data;
}

/** The home page shows who is signed in: `markup` (a pattern of its markup) in the page. */
function expectHome(home: Reply, markup: RegExp, who: string): void {
  expectThat(markup.test(home.body), {
    sent: home,
    expected: `the home page showing ${who}: markup matching ${markup}`,
    got: () =>
      /<p id="signed-(?:in|out)">.*?<\/p>/.exec(home.body)?.[0] ??
      `${home.status} ${home.type}: ${JSON.stringify(home.body.slice(0, 200))}`,
  });
}

export const suite: Suite = {
  step: 5,
  title: 'session storage',
  checks: [
    check(
      '4/fixture-alice: the server-side session holds her access token and Google id; the home page shows her name, email and picture',
      async (kit) => {
        const agent = kit.agent();
        const signedIn = await signIn(agent, '4/fixture-alice');
        expectSuccess(signedIn);
        const session = await sessionOf(kit, agent, signedIn);
        expectThat(/^ya29\./.test(String(session.accessToken)) && session.googleId === ALICE.googleId, {
          sent: signedIn,
          expected: `a session holding accessToken (ya29.…) and googleId ${JSON.stringify(ALICE.googleId)}`,
          got: () =>
            `a session ${holding(session)}: accessToken ${String(session.accessToken)}, googleId ${JSON.stringify(session.googleId)}`,
        });
        // Where the profile is kept (the session until step 7, the database from step 8) is the step's choice.
        const home = await agent.get('/');
        expectHome(home, /<p id="signed-in">Signed in as <strong>Alice Liddell<\/strong> \(alice@example\.com\)/, 'Alice');
        expectThat(home.body.includes(`src="${kit.google}/avatars/alice.svg"`), {
          sent: home,
          expected: `her picture: <img src="${kit.google}/avatars/alice.svg">`,
          got: () => /<img[^>]*>/.exec(home.body)?.[0] ?? 'no <img> in the page',
        });
      },
    ),

    check('the cookie carries only a random session id: no token, no profile, even decoded', async (kit) => {
      const agent = kit.agent();
      const signedIn = await signIn(agent, '4/fixture-alice');
      expectSuccess(signedIn);
      const session = await sessionOf(kit, agent, signedIn);
      const cookies = [...agent.cookies.values()].join(' ');
      const decoded = [...agent.cookies.values()].map((value) => Buffer.from(value, 'base64').toString('latin1')).join(' ');
      for (const secret of [String(session.accessToken), 'ya29', ALICE.email, ALICE.username, ALICE.googleId]) {
        expectThat(!cookies.includes(secret) && !decoded.includes(secret), {
          sent: signedIn,
          expected: 'cookies that carry only a random session id: the token and the profile stay on the server',
          got: `the browser's cookies hold ${secret}: ${[...agent.cookies.keys()].join(', ')}`,
        });
      }
      const sid = agent.cookies.get('gconnect.sid') ?? '';
      // The id itself is what this failure is about: shown as it is, not as a placeholder.
      expectThat(/^[0-9a-f-]{36}$/.test(sid), {
        sent: signedIn,
        expected: 'gconnect.sid, a random UUID (36 characters of 0-9 a-f and -), as koa-session makes it',
        got: () => `gconnect.sid=${verbatim(sid)}: ${sid.length} characters`,
      });
    }),

    check(
      'the session cookie is signed, httpOnly, SameSite=Lax; Secure behind a TLS-terminating proxy (TRUST_PROXY), not on plain http',
      async (kit) => {
        const sessionCookie = (reply: { setCookies: string[] }) => reply.setCookies.find((line) => line.startsWith('gconnect.sid='));
        const plain = kit.agent();
        const signedIn = await signIn(plain, '4/fixture-alice');
        expectSuccess(signedIn);
        const cookie = sessionCookie(signedIn);
        const cookies = () => `Set-Cookie: ${signedIn.setCookies.join(' | ') || 'none'}`;
        expectThat(cookie !== undefined && plain.cookies.has('gconnect.sid.sig'), {
          sent: signedIn,
          expected: 'a signed session cookie at sign-in: gconnect.sid and gconnect.sid.sig',
          got: cookies,
        });
        const attributes = cookieAttributes(cookie!);
        expectThat(attributes.samesite === 'lax' && 'httponly' in attributes && !('secure' in attributes), {
          sent: signedIn,
          expected: 'gconnect.sid with SameSite=Lax and HttpOnly, not Secure on plain http (it would never come back)',
          got: cookies,
        });
        const proxied = await signIn(
          (await kit.withConfig({ trustProxy: true })).agent({ 'x-forwarded-proto': 'https' }),
          '4/fixture-alice',
        );
        expectSuccess(proxied);
        expectThat('secure' in cookieAttributes(sessionCookie(proxied) ?? ''), {
          sent: proxied,
          expected: 'gconnect.sid with Secure behind a TLS-terminating proxy (X-Forwarded-Proto: https, TRUST_PROXY)',
          got: `Set-Cookie: ${proxied.setCookies.join(' | ') || 'none'}`,
        });
      },
    ),

    check(
      `a signed-in user stays signed in through a flood of anonymous visits (${SESSIONS_KEPT + 50}, more than the sessions kept)`,
      async (kit) => {
        const agent = kit.agent();
        const signedIn = await signIn(agent, '4/fixture-alice');
        expectSuccess(signedIn);
        await anonymousVisits(kit.agent(), SESSIONS_KEPT + 50);
        const session = await sessionOf(kit, agent, signedIn);
        expectThat(session.googleId === ALICE.googleId, {
          sent: signedIn,
          expected: `her session still in the store after the flood, googleId ${JSON.stringify(ALICE.googleId)}`,
          got: () => `a session ${holding(session)}, googleId ${JSON.stringify(session.googleId)}`,
        });
        expectHome(await agent.get('/'), /<p id="signed-in">Signed in as <strong>Alice Liddell<\/strong>/, 'Alice');
      },
    ),

    check(
      'signing in gives the session a new id and drops the old one: an id planted in the browser (session fixation) dies there',
      async (kit) => {
        // Someone signs in and plants their session's cookie in another's browser; she signs in.
        const agent = kit.agent();
        const alice = await signIn(agent, '4/fixture-alice');
        expectSuccess(alice);
        const before = agent.cookies.get('gconnect.sid');
        expectThat(before !== undefined, {
          sent: alice,
          expected: 'a session cookie after the first sign-in',
          got: 'no gconnect.sid cookie',
        });
        const bob = await signIn(agent, '4/fixture-bob');
        expectSuccess(bob);
        const after = agent.cookies.get('gconnect.sid');
        expectThat(after !== undefined && after !== before, {
          sent: bob,
          expected: 'signing in gives the session a new id (session.regenerate())',
          got:
            after === undefined
              ? 'no session cookie after signing in'
              : `the cookie still holds the id it had before: the same id both times, ${verbatim(after)}`,
        });
        const old = await kit.sessions.get(before);
        expectThat(old === undefined, {
          sent: bob,
          expected: 'the session under the old id gone from the store',
          got: () => `it is still there, ${holding(old!)}`,
        });
        const session = await sessionOf(kit, agent, bob);
        expectThat(session.googleId === BOB.googleId, {
          sent: bob,
          expected: `the new session is Bob's: googleId ${JSON.stringify(BOB.googleId)}`,
          got: () => `googleId ${JSON.stringify(session.googleId)}`,
        });
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
      const bob = await signIn(agent, '4/fixture-bob');
      expectSuccess(bob);
      const session = await sessionOf(kit, agent, bob);
      expectThat(session.googleId === BOB.googleId, {
        sent: bob,
        expected: `Bob's session: googleId ${JSON.stringify(BOB.googleId)}`,
        got: () => `googleId ${JSON.stringify(session.googleId)}`,
      });
      expectHome(await agent.get('/'), /Signed in as <strong>Bob Builder<\/strong> \(bob@example\.com\)/, 'Bob');
    }),

    check('4/fixture-userinfo-down: 502 "Google did not answer the user info request." and no one is signed in', async (kit) => {
      const agent = kit.agent();
      const refused = await signIn(agent, '4/fixture-userinfo-down');
      expectJson(refused, 502, 'Google did not answer the user info request.');
      const id = agent.cookies.get('gconnect.sid');
      const session = id ? await kit.sessions.get(id) : undefined;
      expectThat(session?.accessToken === undefined, {
        sent: refused,
        expected: 'no access token kept for a half-done sign-in',
        got: () => `a session ${holding(session!)}`,
      });
      expectHome(await agent.get('/'), /Nobody is signed in/, 'nobody');
    }),

    check('Alice and Bob signing in at once, in two browsers, each get their own session', async (kit) => {
      const alice = kit.agent();
      const bob = kit.agent();
      const [herSignIn, hisSignIn] = await Promise.all([signIn(alice, '4/fixture-alice'), signIn(bob, '4/fixture-bob')]);
      expectSuccess(herSignIn);
      expectSuccess(hisSignIn);
      const [hers, his] = [await sessionOf(kit, alice, herSignIn), await sessionOf(kit, bob, hisSignIn)];
      expectThat(hers.googleId === ALICE.googleId && his.googleId === BOB.googleId, {
        sent: hisSignIn,
        expected: `two sessions: Alice's (googleId ${ALICE.googleId}) and Bob's (${BOB.googleId})`,
        got: `Alice's browser: googleId ${JSON.stringify(hers.googleId)}; Bob's: ${JSON.stringify(his.googleId)}`,
      });
    }),

    check('GET / then shows who is signed in', async (kit) => {
      const agent = kit.agent();
      expectSuccess(await signIn(agent, '4/fixture-alice'));
      expectHome(
        await agent.get('/'),
        /<p id="signed-in">Signed in as <strong>Alice Liddell<\/strong> \(alice@example.com\)<\/p>/,
        'Alice',
      );
    }),
  ],
  placeholder: placeholder(200, 'Session stored.'),
};
