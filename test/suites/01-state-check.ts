import assert from 'node:assert/strict';
import { it } from 'node:test';
import { cookieAttributes } from '../support/agent.ts';
import { expectHtml, expectJson } from '../support/expect.ts';
import { openLoginPage, postGconnect } from '../support/gconnect.ts';
import type { Suite } from '../support/suite.ts';

const INVALID = 'Invalid state parameter.';

export const suite: Suite = {
  step: 1,
  title: 'state check',
  tests(kit, { final }) {
    it('GET /login embeds a fresh URL-safe state of at least 32 characters', async () => {
      const first = await openLoginPage(kit().agent());
      const second = await openLoginPage(kit().agent());
      expectHtml(first.reply);
      assert.match(first.state, /^[A-Za-z0-9_-]{32,}$/);
      assert.notEqual(first.state, second.state);
    });

    it('the session cookie is signed, httpOnly, SameSite=Lax, and does not carry the state', async () => {
      const { reply, state } = await openLoginPage(kit().agent());
      const cookie = reply.setCookies.find((line) => line.startsWith('gconnect.sid='));
      const signature = reply.setCookies.find((line) => line.startsWith('gconnect.sid.sig='));
      assert.ok(cookie && signature, `expected gconnect.sid and its .sig, got ${reply.setCookies.join(' | ')}`);
      assert.equal(cookieAttributes(cookie).samesite, 'lax');
      assert.ok('httponly' in cookieAttributes(cookie));
      assert.ok(!reply.setCookies.join(';').includes(state));
    });

    it('without X-Requested-With: 403 "Missing X-Requested-With header."', async () => {
      const agent = kit().agent();
      const { state } = await openLoginPage(agent);
      expectJson(await postGconnect(agent, { state, code: '4/fixture-alice', xhr: false }), 403, 'Missing X-Requested-With header.');
    });

    it('without a state in the query: 401', async () => {
      const agent = kit().agent();
      await openLoginPage(agent);
      expectJson(await postGconnect(agent, { state: null, code: '4/fixture-alice' }), 401, INVALID);
    });

    it('with a wrong state: 401', async () => {
      const agent = kit().agent();
      const { state } = await openLoginPage(agent);
      expectJson(await postGconnect(agent, { state: `${state.slice(0, -1)}x`, code: '4/fixture-alice' }), 401, INVALID);
      expectJson(await postGconnect(agent, { state: '', code: '4/fixture-alice' }), 401, INVALID);
    });

    it('with the state repeated in the query: 401', async () => {
      const agent = kit().agent();
      const { state } = await openLoginPage(agent);
      const reply = await agent.request(`/gconnect?state=${state}&state=${state}`, {
        method: 'POST',
        headers: { 'x-requested-with': 'XMLHttpRequest', 'content-type': 'application/octet-stream' },
        body: '4/fixture-alice',
      });
      expectJson(reply, 401, INVALID);
    });

    it('without a session (GET /login never visited): 401, not a crash', async () => {
      const { state } = await openLoginPage(kit().agent());
      expectJson(await postGconnect(kit().agent(), { state, code: '4/fixture-alice' }), 401, INVALID);
    });

    it('another browser\'s state does not open this session: 401', async () => {
      const mine = kit().agent();
      await openLoginPage(mine);
      const theirs = await openLoginPage(kit().agent());
      expectJson(await postGconnect(mine, { state: theirs.state, code: '4/fixture-alice' }), 401, INVALID);
    });

    it('a state works once: used again, 401', async () => {
      const agent = kit().agent();
      const { state } = await openLoginPage(agent);
      const first = await postGconnect(agent, { state, code: '4/fixture-alice' });
      assert.ok(![401, 403].includes(first.status), `the first use should pass the check, got ${first.status} ${first.body}`);
      expectJson(await postGconnect(agent, { state, code: '4/fixture-alice' }), 401, INVALID);
    });

    if (final) {
      it('with the page\'s state and the header: 200 "State verified."', async () => {
        const agent = kit().agent();
        const { state } = await openLoginPage(agent);
        expectJson(await postGconnect(agent, { state, code: '4/fixture-alice' }), 200, 'State verified.');
      });
    }
  },
};
