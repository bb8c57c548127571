import { cookieAttributes, type Reply } from '../agent.ts';
import { expectHtml, expectJson, expectNotRejected, expectThat, verbatim } from '../expect.ts';
import { anonymousVisits, openLoginPage, postGconnect } from '../gconnect.ts';
import { SESSIONS_KEPT } from '../serve-app.ts';
import { check, placeholder, type Suite } from '../suite.ts';

const INVALID = 'Invalid state parameter.';
const REJECTED = [
  { status: 401, message: INVALID },
  { status: 403, message: 'Missing X-Requested-With header.' },
];

/** The Set-Cookie line of a cookie, by name. */
const setCookie = (reply: Reply, name: string) => reply.setCookies.find((line) => line.startsWith(`${name}=`));

/** A state the page gave, as it is (its characters are what a failure is about), with its length and any character not URL-safe. */
function describeState(reply: Reply, state: string): string {
  if (!/data-state="/.test(reply.body)) return 'no data-state="..." in the page';
  if (state === '') return 'data-state="", empty';
  const unsafe = [...new Set(state.replace(/[\w-]/g, ''))].join('');
  return `data-state="${verbatim(state)}": ${state.length} characters${unsafe ? `, with ${verbatim(JSON.stringify(unsafe))} among them` : ''}`;
}

export const suite: Suite = {
  step: 1,
  title: 'state check',
  checks: [
    check('GET /login embeds a fresh URL-safe state of at least 32 characters', async (kit) => {
      const first = await openLoginPage(kit.agent());
      const second = await openLoginPage(kit.agent());
      expectHtml(first.reply);
      // The state itself is what these failures are about: shown as it is, not as <state>.
      expectThat(/^[A-Za-z0-9_-]{32,}$/.test(first.state), {
        sent: first.reply,
        expected:
          "a state of 32 or more URL-safe characters (A-Z a-z 0-9 _ -) in the button's data-state, as randomBytes(32).toString('base64url') makes",
        got: () => describeState(first.reply, first.state),
      });
      expectThat(first.state !== second.state, {
        sent: second.reply,
        expected: 'a fresh state for each visit to /login: two visits, two different states',
        got: `the same state both times: "${verbatim(first.state)}"`,
      });
    }),

    check(
      'GET /login keeps the state in a signed, httpOnly, SameSite=Lax cookie that dies within 10 minutes, and stores no session',
      async (kit) => {
        const { reply } = await openLoginPage(kit.agent());
        const cookie = setCookie(reply, 'gconnect.state');
        const cookies = () => `Set-Cookie: ${reply.setCookies.join(' | ') || 'none'}`;
        expectThat(cookie !== undefined && setCookie(reply, 'gconnect.state.sig') !== undefined, {
          sent: reply,
          expected: 'a cookie gconnect.state and its signature, gconnect.state.sig (ctx.cookies.set(..., { signed: true }))',
          got: cookies,
        });
        const attributes = cookieAttributes(cookie!);
        expectThat(attributes.samesite === 'lax', { sent: reply, expected: 'gconnect.state with SameSite=Lax', got: cookies });
        expectThat('httponly' in attributes, {
          sent: reply,
          expected: 'gconnect.state with HttpOnly: no script of the page can read it',
          got: cookies,
        });
        const lifetime = Date.parse(attributes.expires ?? '') - Date.now();
        expectThat(lifetime > 0 && lifetime <= 10 * 60 * 1000 + 1000, {
          sent: reply,
          expected: 'gconnect.state that expires within 10 minutes (maxAge)',
          got: () =>
            attributes.expires
              ? lifetime > 0
                ? `it expires in ${Math.round(lifetime / 60_000)} minutes`
                : `it expires ${JSON.stringify(attributes.expires)}, not a time to come`
              : `no expiry: it lives as long as the browser; ${cookies()}`,
        });
        expectThat(setCookie(reply, 'gconnect.sid') === undefined, {
          sent: reply,
          expected: 'no session cookie: a visit to /login stores no session on the server',
          got: cookies,
        });
      },
    ),

    check('behind a TLS-terminating proxy (TRUST_PROXY), the state cookie is Secure; on plain http it is not', async (kit) => {
      const plain = await openLoginPage(kit.agent());
      expectThat(!('secure' in cookieAttributes(setCookie(plain.reply, 'gconnect.state') ?? '')), {
        sent: plain.reply,
        expected: 'gconnect.state without Secure on plain http: a Secure cookie would never come back',
        got: `Set-Cookie: ${plain.reply.setCookies.join(' | ')}`,
      });
      const proxied = await kit.withConfig({ trustProxy: true });
      const behind = await openLoginPage(proxied.agent({ 'x-forwarded-proto': 'https' }));
      expectThat('secure' in cookieAttributes(setCookie(behind.reply, 'gconnect.state') ?? ''), {
        sent: behind.reply,
        expected: 'gconnect.state with Secure, behind a TLS-terminating proxy (X-Forwarded-Proto: https, TRUST_PROXY)',
        got: `Set-Cookie: ${behind.reply.setCookies.join(' | ') || 'none'}`,
      });
    }),

    check('without X-Requested-With: 403 "Missing X-Requested-With header."', async (kit) => {
      const agent = kit.agent();
      const { state } = await openLoginPage(agent);
      expectJson(await postGconnect(agent, { state, code: '4/fixture-alice', xhr: false }), 403, 'Missing X-Requested-With header.');
    }),

    check('without a state in the query: 401', async (kit) => {
      const agent = kit.agent();
      await openLoginPage(agent);
      expectJson(await postGconnect(agent, { state: null, code: '4/fixture-alice' }), 401, INVALID);
    }),

    check('with a wrong state: 401', async (kit) => {
      const agent = kit.agent();
      const { state } = await openLoginPage(agent);
      expectJson(await postGconnect(agent, { state: `${state.slice(0, -1)}x`, code: '4/fixture-alice' }), 401, INVALID);
      expectJson(await postGconnect(agent, { state: '', code: '4/fixture-alice' }), 401, INVALID);
    }),

    check('with the state repeated in the query: 401', async (kit) => {
      const agent = kit.agent();
      const { state } = await openLoginPage(agent);
      const reply = await agent.request(`/gconnect?state=${state}&state=${state}`, {
        method: 'POST',
        headers: { 'x-requested-with': 'XMLHttpRequest', 'content-type': 'application/octet-stream' },
        body: '4/fixture-alice',
      });
      expectJson(reply, 401, INVALID);
    }),

    check('without the state cookie (GET /login never visited): 401, not a crash', async (kit) => {
      const { state } = await openLoginPage(kit.agent());
      expectJson(await postGconnect(kit.agent(), { state, code: '4/fixture-alice' }), 401, INVALID);
    }),

    check("another browser's state does not pass in this one: 401", async (kit) => {
      const mine = kit.agent();
      await openLoginPage(mine);
      const theirs = await openLoginPage(kit.agent());
      expectJson(await postGconnect(mine, { state: theirs.state, code: '4/fixture-alice' }), 401, INVALID);
    }),

    check('a state works once: the first use passes the check; used again, even with its cookie, 401', async (kit) => {
      const agent = kit.agent();
      const { state } = await openLoginPage(agent);
      const cookies = new Map(agent.cookies);
      const first = await postGconnect(agent, { state, code: '4/fixture-alice' });
      expectNotRejected(first, REJECTED, "the page's own state, with the header, passes the state check");
      // The browser was told to forget the state; a replay brings the cookie back.
      for (const [name, value] of cookies) agent.cookies.set(name, value);
      expectJson(await postGconnect(agent, { state, code: '4/fixture-alice' }), 401, INVALID);
    }),

    check('ten requests at once with one state: exactly one gets past the state check', async (kit) => {
      const agent = kit.agent();
      const { state } = await openLoginPage(agent);
      const replies = await Promise.all(Array.from({ length: 10 }, () => postGconnect(agent, { state, code: '4/fixture-alice' })));
      const through = replies.filter((reply) => !(reply.status === 401 && reply.body === JSON.stringify(INVALID)));
      expectThat(through.length === 1, {
        sent: replies[0]!,
        expected: `one of the ten past the state check, nine 401 ${JSON.stringify(INVALID)}: a state is spent as it is checked`,
        got: `${through.length} of 10 past it: ${through.map((reply) => `${reply.status} ${reply.body.slice(0, 40)}`).join(' | ') || 'none'}`,
      });
    }),

    check(
      `a sign-in begun before a flood of anonymous visits (${SESSIONS_KEPT + 50}, more than the sessions kept) still goes through`,
      async (kit) => {
        const agent = kit.agent();
        const { state } = await openLoginPage(agent);
        await anonymousVisits(kit.agent(), SESSIONS_KEPT + 50);
        expectNotRejected(
          await postGconnect(agent, { state, code: '4/fixture-alice' }),
          REJECTED,
          'the state given before the flood still passes',
        );
      },
    ),
  ],
  placeholder: placeholder(200, 'State verified.', {
    name: 'with the page\'s state and the header: 200 "State verified."',
    send: async (kit) => {
      const agent = kit.agent();
      const { state } = await openLoginPage(agent);
      return postGconnect(agent, { state, code: '4/fixture-alice' });
    },
  }),
};
