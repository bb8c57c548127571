import assert from 'node:assert/strict';
import { expectHtml, expectJson } from '../harness/expect.ts';
import { postGconnect } from '../harness/gconnect.ts';
import { check, type Suite } from '../harness/suite.ts';

export const suite: Suite = {
  step: 0,
  title: 'starter',
  checks: [
    check('GET / answers the home page, with nobody signed in', async (kit) => {
      const reply = await kit.agent().get('/');
      expectHtml(reply);
      assert.match(reply.body, /<p id="signed-out">Nobody is signed in\.<\/p>/);
    }),

    check('GET /login answers the login page with its sign-in button', async (kit) => {
      const reply = await kit.agent().get('/login');
      expectHtml(reply);
      assert.match(reply.body, /<button id="signin" type="button" data-client-id="[^"]+" data-state="[^"]*">Sign in with Google<\/button>/);
      assert.ok(reply.body.includes(`<script src="${kit.config.google.gsiClientUrl}"`), 'loads the sign-in script');
    }),

    check('an unknown path answers 404', async (kit) => {
      const reply = await kit.agent().get('/no-such-page');
      assert.equal(reply.status, 404);
    }),
  ],
  placeholder: check('POST /gconnect answers 501 "Not implemented yet."', async (kit) => {
    expectJson(await postGconnect(kit.agent(), { state: null }), 501, 'Not implemented yet.');
  }),
};
