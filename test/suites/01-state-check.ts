import assert from 'node:assert/strict';
import { cookieAttributes } from '../harness/agent.ts';
import { expectHtml, expectJson, expectNotRejected } from '../harness/expect.ts';
import { openLoginPage, postGconnect } from '../harness/gconnect.ts';
import { check, type Suite } from '../harness/suite.ts';

const INVALID = 'Invalid state parameter.';

export const suite: Suite = {
  step: 1,
  title: 'state check',
  checks: [
    check('GET /login embeds a fresh URL-safe state of at least 32 characters', async (kit) => {
      const first = await openLoginPage(kit.agent());
      const second = await openLoginPage(kit.agent());
      expectHtml(first.reply);
      assert.match(first.state, /^[A-Za-z0-9_-]{32,}$/);
      assert.notEqual(first.state, second.state);
    }),

    check('the session cookie is signed, httpOnly, SameSite=Lax, and does not carry the state, even decoded', async (kit) => {
      const { reply, state } = await openLoginPage(kit.agent());
      const cookie = reply.setCookies.find((line) => line.startsWith('gconnect.sid='));
      const signature = reply.setCookies.find((line) => line.startsWith('gconnect.sid.sig='));
      assert.ok(cookie && signature, `expected gconnect.sid and its .sig, got ${reply.setCookies.join(' | ')}`);
      assert.equal(cookieAttributes(cookie).samesite, 'lax');
      assert.ok('httponly' in cookieAttributes(cookie));
      // koa-session's cookie store keeps the session in the cookie, base64: decode to look.
      const values = reply.setCookies.map((line) => line.slice(line.indexOf('=') + 1).split(';')[0]!);
      const decoded = values.map((value) => Buffer.from(value, 'base64').toString('latin1'));
      assert.ok(![...values, ...decoded].some((text) => text.includes(state)), 'the state is in the cookie: keep it in the server-side session');
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

    check('without a session (GET /login never visited): 401, not a crash', async (kit) => {
      const { state } = await openLoginPage(kit.agent());
      expectJson(await postGconnect(kit.agent(), { state, code: '4/fixture-alice' }), 401, INVALID);
    }),

    check('another browser\'s state does not open this session: 401', async (kit) => {
      const mine = kit.agent();
      await openLoginPage(mine);
      const theirs = await openLoginPage(kit.agent());
      expectJson(await postGconnect(mine, { state: theirs.state, code: '4/fixture-alice' }), 401, INVALID);
    }),

    check('a state works once: the first use passes the check, used again, 401', async (kit) => {
      const agent = kit.agent();
      const { state } = await openLoginPage(agent);
      const first = await postGconnect(agent, { state, code: '4/fixture-alice' });
      expectNotRejected(first, [{ status: 401, message: INVALID }, { status: 403, message: 'Missing X-Requested-With header.' }], 'the page\'s own state, with the header, passes the state check');
      expectJson(await postGconnect(agent, { state, code: '4/fixture-alice' }), 401, INVALID);
    }),
  ],
  placeholder: check('with the page\'s state and the header: 200 "State verified."', async (kit) => {
    const agent = kit.agent();
    const { state } = await openLoginPage(agent);
    expectJson(await postGconnect(agent, { state, code: '4/fixture-alice' }), 200, 'State verified.');
  }),
};
