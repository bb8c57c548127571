import assert from 'node:assert/strict';
import { cspOf, expectHtml, expectJson, expectProtected } from '../expect.ts';
import { postGconnect } from '../gconnect.ts';
import { check, placeholder, type Suite } from '../suite.ts';

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

    check("every answer carries the protective headers: nosniff, a referrer policy, no framing, the popup's opener policy", async (kit) => {
      const agent = kit.agent();
      const replies = [
        await agent.get('/'),
        await agent.get('/login'),
        await agent.get('/login.js'),
        await agent.get('/no-such-page'),
        await postGconnect(agent, { state: null }),
      ];
      for (const reply of replies) expectProtected(reply);
    }),

    check(
      "the pages run only their own files and the sign-in script's: a CSP with no inline script or style, and none in the page",
      async (kit) => {
        const reply = await kit.agent().get('/login');
        const csp = cspOf(reply);
        const gsi = new URL('.', kit.config.google.gsiClientUrl).href;
        assert.deepEqual(csp['script-src'], ["'self'", gsi]);
        assert.deepEqual(csp['default-src'], ["'self'"]);
        assert.ok(
          !Object.values(csp)
            .flat()
            .some((source) => /unsafe-inline|unsafe-eval|\*$/.test(source)),
          `nothing inline or open-ended: ${reply.headers.get('content-security-policy')}`,
        );
        assert.doesNotMatch(reply.body, /<script(?![^>]*\ssrc=)[^>]*>/, 'every script of the page is a file');
        assert.doesNotMatch(reply.body, /<style|\sstyle="/, "the page's styles are a file");
      },
    ),

    check('pages that carry a state or a user are never cached: Cache-Control: no-store', async (kit) => {
      const agent = kit.agent();
      for (const reply of [await agent.get('/login'), await agent.get('/')])
        assert.equal(reply.headers.get('cache-control'), 'no-store', reply.request.path);
    }),

    check('what matches no route answers as JSON too: 404 for a path, 405 with Allow for a method, 501 for an unknown one', async (kit) => {
      const agent = kit.agent();
      expectJson(await agent.get('/no-such-page'), 404, 'Not found.');
      const get = await agent.get('/gconnect');
      expectJson(get, 405, 'Method not allowed.');
      assert.equal(get.headers.get('allow'), 'POST');
      expectJson(await agent.request('/login', { method: 'PROPFIND' }), 501, 'Not implemented.');
    }),
  ],
  placeholder: placeholder(501, 'Not implemented yet.', {
    name: 'POST /gconnect answers 501 "Not implemented yet."',
    send: (kit) => postGconnect(kit.agent(), { state: null }),
  }),
};
