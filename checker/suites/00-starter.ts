import { answered, cspOf, expectHtml, expectJson, expectProtected, expectThat } from '../expect.ts';
import { postGconnect } from '../gconnect.ts';
import { check, placeholder, type Suite } from '../suite.ts';

export const suite: Suite = {
  step: 0,
  title: 'starter',
  checks: [
    check('GET / answers the home page, with nobody signed in', async (kit) => {
      const reply = await kit.agent().get('/');
      expectHtml(reply);
      expectThat(/<p id="signed-out">Nobody is signed in\.<\/p>/.test(reply.body), {
        sent: reply,
        expected: 'the home page saying that nobody is signed in: <p id="signed-out">Nobody is signed in.</p>',
        got: () =>
          /<p id="signed-(?:in|out)"[^>]*>.*?<\/p>/s.exec(reply.body)?.[0] ?? `no <p id="signed-out"> in the page: ${answered(reply)}`,
      });
    }),

    check('GET /login answers the login page with its sign-in button', async (kit) => {
      const reply = await kit.agent().get('/login');
      expectHtml(reply);
      expectThat(
        /<button id="signin" type="button" data-client-id="[^"]+" data-state="[^"]*">Sign in with Google<\/button>/.test(reply.body),
        {
          sent: reply,
          expected:
            'the sign-in button: <button id="signin" type="button" data-client-id="..." data-state="...">Sign in with Google</button>',
          got: () => /<button[^>]*>.*?<\/button>/s.exec(reply.body)?.[0] ?? 'no <button> in the page',
        },
      );
      expectThat(reply.body.includes(`<script src="${kit.config.google.gsiClientUrl}"`), {
        sent: reply,
        expected: `the page loads Google's sign-in script: <script src="${kit.config.google.gsiClientUrl}" ...>`,
        got: () => [...reply.body.matchAll(/<script[^>]*>/g)].map((found) => found[0]).join(' ') || 'no <script> in the page',
      });
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
        const policy = `Content-Security-Policy: ${reply.headers.get('content-security-policy') ?? '(none)'}`;
        expectThat(csp['script-src']?.join(' ') === `'self' ${gsi}`, {
          sent: reply,
          expected: `a Content-Security-Policy with script-src 'self' ${gsi}: the page's own scripts and Google's sign-in script, no other`,
          got: policy,
        });
        expectThat(csp['default-src']?.join(' ') === "'self'", {
          sent: reply,
          expected: "a Content-Security-Policy with default-src 'self': whatever else the page loads comes from the app",
          got: policy,
        });
        expectThat(
          !Object.values(csp)
            .flat()
            .some((source) => /unsafe-inline|unsafe-eval|\*$/.test(source)),
          {
            sent: reply,
            expected: "a Content-Security-Policy with nothing inline or open-ended ('unsafe-inline', 'unsafe-eval', *)",
            got: `Content-Security-Policy: ${reply.headers.get('content-security-policy')}`,
          },
        );
        const inline = /<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle="/.exec(reply.body);
        expectThat(!inline, {
          sent: reply,
          expected: 'every script and style of the page in a file of its own (<script src=...>, <link rel="stylesheet">)',
          got: () => `${inline![0].trim()} in the page, at character ${inline!.index + 1}`,
        });
      },
    ),

    check('the pages name their icon, and it loads: no request for /favicon.ico, a 404, from every page', async (kit) => {
      const agent = kit.agent();
      const page = await agent.get('/login');
      const href = /<link rel="icon" href="([^"]+)"/.exec(page.body)?.[1];
      expectThat(href !== undefined, {
        sent: page,
        expected: 'a <link rel="icon" href="..."> in the page\'s head (the layout)',
        got: () => /<head>.*?<\/head>/s.exec(page.body)?.[0] ?? 'no <head>',
      });
      const icon = await agent.get(href!);
      expectThat(icon.status === 200 && icon.type.startsWith('image/'), {
        sent: icon,
        expected: `200 and an image for ${href}`,
        got: `${icon.status} ${icon.type || '(no content type)'}`,
      });
    }),

    check('pages that carry a state or a user are never cached: Cache-Control: no-store', async (kit) => {
      const agent = kit.agent();
      for (const reply of [await agent.get('/login'), await agent.get('/')]) {
        expectThat(reply.headers.get('cache-control') === 'no-store', {
          sent: reply,
          expected: 'Cache-Control: no-store',
          got: `Cache-Control: ${reply.headers.get('cache-control') ?? '(none)'}`,
        });
      }
    }),

    check('what matches no route answers as JSON too: 404 for a path, 405 with Allow for a method, 501 for an unknown one', async (kit) => {
      const agent = kit.agent();
      expectJson(await agent.get('/no-such-page'), 404, 'Not found.');
      const get = await agent.get('/gconnect');
      expectJson(get, 405, 'Method not allowed.');
      expectThat(get.headers.get('allow') === 'POST', {
        sent: get,
        expected: 'Allow: POST (the method that works here)',
        got: `Allow: ${get.headers.get('allow') ?? '(no Allow header)'}`,
      });
      expectJson(await agent.request('/login', { method: 'PROPFIND' }), 501, 'Not implemented.');
    }),
  ],
  placeholder: placeholder(501, 'Not implemented yet.', {
    name: 'POST /gconnect answers 501 "Not implemented yet."',
    send: (kit) => postGconnect(kit.agent(), { state: null }),
  }),
};
