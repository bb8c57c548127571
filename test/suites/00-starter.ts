import assert from 'node:assert/strict';
import { it } from 'node:test';
import { expectHtml, expectJson } from '../support/expect.ts';
import { postGconnect } from '../support/gconnect.ts';
import type { Suite } from '../support/suite.ts';

export const suite: Suite = {
  step: 0,
  title: 'starter',
  tests(kit, { final }) {
    it('GET / answers the home page, with nobody signed in', async () => {
      const reply = await kit().agent().get('/');
      expectHtml(reply);
      assert.match(reply.body, /<p id="signed-out">Nobody is signed in\.<\/p>/);
    });

    it('GET /login answers the login page with its sign-in button', async () => {
      const reply = await kit().agent().get('/login');
      expectHtml(reply);
      assert.match(reply.body, /<button id="signin" type="button" data-client-id="[^"]+" data-state="[^"]*">Sign in with Google<\/button>/);
      assert.ok(reply.body.includes(`<script src="${kit().config.google.gsiClientUrl}"`), 'loads the sign-in script');
    });

    it('an unknown path answers 404', async () => {
      const reply = await kit().agent().get('/no-such-page');
      assert.equal(reply.status, 404);
    });

    if (final) {
      it('POST /gconnect answers 501 "Not implemented yet."', async () => {
        expectJson(await postGconnect(kit().agent(), { state: null }), 501, 'Not implemented yet.');
      });
    }
  },
};
