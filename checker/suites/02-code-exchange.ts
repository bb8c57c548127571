import { expectJson, expectNotRejected, expectSuccess, expectThat } from '../expect.ts';
import { openLoginPage, postGconnect, signIn } from '../gconnect.ts';
import { check, placeholder, type Suite } from '../suite.ts';

const FAILED = 'Failed to upgrade the authorization code.';
const NO_ANSWER = 'Google did not answer the code exchange.';

export const suite: Suite = {
  step: 2,
  title: 'code exchange',
  checks: [
    check('4/fixture-alice: Google accepts the exchange (the code as sent, our client secret, redirect_uri "postmessage")', async (kit) => {
      expectNotRejected(
        await signIn(kit.agent(), '4/fixture-alice'),
        [
          { status: 401, message: FAILED },
          { status: 502, message: NO_ANSWER },
        ],
        'the code exchange succeeds',
      );
    }),

    check('an empty body: 401 "Failed to upgrade the authorization code."', async (kit) => {
      expectJson(await signIn(kit.agent(), ''), 401, FAILED);
    }),

    check('a code that is not in the body (sent as JSON): 401', async (kit) => {
      const agent = kit.agent();
      const { state } = await openLoginPage(agent);
      expectJson(await postGconnect(agent, { state, code: '{"code":"4/fixture-alice"}', contentType: 'application/json' }), 401, FAILED);
    }),

    check('4/fixture-bad-code (invalid_grant): 401', async (kit) => {
      expectJson(await signIn(kit.agent(), '4/fixture-bad-code'), 401, FAILED);
    }),

    check('a code Google never issued: 401', async (kit) => {
      expectJson(await signIn(kit.agent(), '4/not-a-fixture'), 401, FAILED);
    }),

    check('4/fixture-google-down (503): 502 "Google did not answer the code exchange."', async (kit) => {
      expectJson(await signIn(kit.agent(), '4/fixture-google-down'), 502, NO_ANSWER);
    }),

    check('4/fixture-google-timeout (Google silent for 10 s): 502, the server gives up first', async (kit) => {
      // A server of its own that waits for Google only briefly: this Google stays silent for
      // 10 s, so the short wait decides nothing but how soon the 502 comes.
      const impatient = await kit.impatient();
      expectJson(await signIn(impatient.agent(), '4/fixture-google-timeout'), 502, NO_ANSWER);
    }),

    check('a body over 8 KB: 413 as JSON, not a stack trace', async (kit) => {
      const reply = await signIn(kit.agent(), 'x'.repeat(20_000));
      expectThat(reply.status === 413 && reply.type === 'application/json' && !/at .*\.(ts|js):\d+/.test(reply.body), {
        sent: reply,
        expected: '413 application/json, and no stack trace',
        got: () => `${reply.status} ${reply.type || '(no content type)'} ${reply.body.slice(0, 200)}`,
      });
    }),

    check(
      "a body the server cannot read is the client's error: 415 for an unknown Content-Encoding, 400 for a corrupt gzip body, as JSON",
      async (kit) => {
        const agent = kit.agent();
        const send = async (encoding: string) => {
          const { state } = await openLoginPage(agent);
          return agent.request(`/gconnect?state=${state}`, {
            method: 'POST',
            headers: { 'x-requested-with': 'XMLHttpRequest', 'content-type': 'application/octet-stream', 'content-encoding': encoding },
            body: '4/fixture-alice',
          });
        };
        expectJson(await send('x-probe'), 415, 'Unsupported content encoding.');
        expectJson(await send('gzip'), 400, 'Bad request.');
      },
    ),

    check('whatever the session holds is plain strings and numbers: no credentials object, no ID token', async (kit) => {
      const agent = kit.agent();
      const reply = await signIn(agent, '4/fixture-alice');
      expectSuccess(reply);
      // Until step 5 stores the user there is no session; from then on, and if one comes sooner:
      const id = agent.cookies.get('gconnect.sid');
      const data = id ? await kit.sessions.get(id) : {};
      const expected = 'a session of plain strings and numbers: no credentials object, no ID token';
      for (const [key, value] of Object.entries(data ?? {})) {
        if (key === '_expire' || key === '_maxAge') continue;
        expectThat(
          typeof value === 'string' ||
            typeof value === 'number' ||
            (Array.isArray(value) && value.every((item) => typeof item === 'string')),
          { sent: reply, expected, got: `session.${key} = ${JSON.stringify(value)}` },
        );
      }
      const found = /eyJ|id_token|refresh_token|credentials/.exec(JSON.stringify(data));
      expectThat(!found, { sent: reply, expected, got: () => `the session holds ${found![0]}: ${JSON.stringify(data)}` });
    }),
  ],
  placeholder: placeholder(200, 'Code exchanged.'),
};
