// Step 9, guard pages: notes users own. Signed out, the pages that write send a browser to sign
// in and back (303) and answer a script 401; only a note's author may change or delete it (403);
// every form carries a CSRF token bound to the session. Each check writes notes with texts of its
// own (a random tag), so that the checks share one server and still see only their own notes.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Agent, Reply } from '../agent.ts';
import { expectHtml } from '../expect.ts';
import { escapeHtml, formToken, page, postForm, postNote, signedIn, tokenIn } from '../notes.ts';
import { check, type Suite } from '../suite.ts';

/** A 303 to the login page; the `next` its Location names. */
function nextOf(reply: Reply): string | null {
  assert.equal(reply.status, 303, `${reply.request.method} ${reply.request.path} signed out: 303 to /login; got ${reply.status}`);
  const location = new URL(reply.headers.get('location') ?? '', 'http://kit.invalid');
  assert.equal(location.pathname, '/login', `the Location is the login page: ${reply.headers.get('location')}`);
  return location.searchParams.get('next');
}

/** Where the login page sends the browser once signed in (its sign-in block's data-next). */
async function nextOnLoginPage(agent: Agent, query: string): Promise<string | undefined> {
  const reply = await agent.get(`/login${query}`);
  return /<div id="signin-block"[^>]*data-next="([^"]*)"/.exec(reply.body)?.[1];
}

const tag = () => randomUUID().slice(0, 8);

export const suite: Suite = {
  step: 9,
  title: 'guard pages',
  answer: '200 "Welcome, Alice Liddell!", then "Welcome back, Alice Liddell!"; GET /notes lists the notes',
  checks: [
    check(
      'signed out, GET /notes/new: 303 to /login?next=/notes/new; the login page sends the browser back there once signed in',
      async (kit) => {
        const agent = kit.agent();
        assert.equal(nextOf(await page(agent, '/notes/new')), '/notes/new');
        assert.equal(nextOf(await page(agent, '/notes/1/edit')), '/notes/1/edit');
        assert.equal(
          await nextOnLoginPage(agent, '?next=%2Fnotes%2Fnew'),
          '/notes/new',
          'GET /login?next=/notes/new: the sign-in block\'s data-next="/notes/new"',
        );
      },
    ),

    check(
      '/login?next=/notes is followed; //evil.example, https://evil.example/ and /\\evil.example are not (the browser goes home)',
      async (kit) => {
        const agent = kit.agent();
        assert.equal(
          await nextOnLoginPage(agent, '?next=%2Fnotes'),
          '/notes',
          'GET /login?next=/notes: the sign-in block\'s data-next="/notes"',
        );
        for (const next of ['//evil.example', 'https://evil.example/', '/\\evil.example']) {
          const followed = await nextOnLoginPage(agent, `?next=${encodeURIComponent(next)}`);
          assert.ok(
            followed === undefined || followed === '/',
            `GET /login?next=${next}: data-next is "/" or absent, not ${JSON.stringify(followed)}`,
          );
        }
      },
    ),

    check(
      'signed out, a form POST is sent to sign in (303 to /login?next=/notes) before any CSRF check; a script gets 401 JSON; nothing is posted',
      async (kit) => {
        const agent = kit.agent();
        const text = `signed out ${tag()}`;
        for (const path of ['/notes', '/notes/1', '/notes/1/delete']) {
          assert.equal(nextOf(await postForm(agent, path, { text })), '/notes', `POST ${path} without a session, and so without a token`);
          const xhr = await postForm(agent, path, { text }, { 'x-requested-with': 'XMLHttpRequest' });
          assert.equal(xhr.status, 401, `POST ${path} with X-Requested-With: 401; got ${xhr.status}`);
          assert.equal(xhr.type, 'application/json', `POST ${path} with X-Requested-With: a JSON answer`);
          const json = await postForm(agent, path, { text }, { accept: 'application/json' });
          assert.equal(json.status, 401, `POST ${path} with Accept: application/json: 401; got ${json.status}`);
        }
        const api = await agent.request('/notes/new', { headers: { accept: 'application/json' } });
        assert.equal(api.status, 401, `GET /notes/new with Accept: application/json: 401; got ${api.status}`);
        assert.equal(api.type, 'application/json');
        assert.ok(!(await kit.agent().get('/notes')).body.includes(text), 'nothing was posted');
      },
    ),

    check(
      "signed in: a note posted with the form's token is listed (303 to /notes), newest first, with its author, escaped",
      async (kit) => {
        const alice = await signedIn(kit, '4/fixture-alice');
        const first = `first <b>${tag()}</b>`;
        const second = `second ${tag()}`;
        await postNote(alice, first);
        await postNote(alice, second);
        const list = await kit.agent().get('/notes');
        expectHtml(list);
        assert.ok(list.body.includes(escapeHtml(first)), 'GET /notes is public, and the note is escaped (<b> shown as text)');
        assert.ok(list.body.indexOf(second) < list.body.indexOf(escapeHtml(first)), 'the newest note comes first');
        assert.match(list.body.slice(list.body.indexOf(second)), /^[\s\S]{0,400}Alice Liddell/, "the note shows its author's name");
        assert.ok(!/href="\/notes\/\d+\/edit"/.test(list.body), 'signed out, no Edit link');
      },
    ),

    check("CSRF: POST /notes without _csrf, or with another session's token: 403, and nothing is posted", async (kit) => {
      const alice = await signedIn(kit, '4/fixture-alice');
      const bob = await signedIn(kit, '4/fixture-bob');
      const text = `forged ${tag()}`;
      const none = await postForm(alice, '/notes', { text });
      assert.equal(none.status, 403, `POST /notes without _csrf: 403; got ${none.status}`);
      const others = await postForm(alice, '/notes', { _csrf: await formToken(bob), text });
      assert.equal(others.status, 403, `POST /notes with Bob's token in Alice's browser: 403; got ${others.status}`);
      const wrong = await postForm(alice, '/notes', { _csrf: 'not-a-token', text });
      assert.equal(wrong.status, 403, `POST /notes with a made-up token: 403; got ${wrong.status}`);
      assert.ok(!(await kit.agent().get('/notes')).body.includes(text), 'nothing was posted');
    }),

    check(
      'another user\'s note (IDOR): edit form, change and delete are 403 "Only its author can change this note."; the note is unchanged',
      async (kit) => {
        const alice = await signedIn(kit, '4/fixture-alice');
        const bob = await signedIn(kit, '4/fixture-bob');
        const text = `alice's ${tag()}`;
        const id = await postNote(alice, text);
        const token = await formToken(bob);
        for (const reply of [
          await page(bob, `/notes/${id}/edit`),
          await postForm(bob, `/notes/${id}`, { _csrf: token, text: 'changed by Bob' }),
          await postForm(bob, `/notes/${id}/delete`, { _csrf: token }),
        ]) {
          assert.equal(reply.status, 403, `Bob: ${reply.request.method} ${reply.request.path}: 403; got ${reply.status}`);
          assert.ok(
            reply.body.includes('Only its author can change this note.'),
            `the page says "Only its author can change this note.": ${reply.body.slice(0, 300)}`,
          );
          assert.ok(!/<script(?![^>]*\bsrc=)[^>]*>/i.test(reply.body), 'no inline <script> in the refusal');
        }
        const list = (await kit.agent().get('/notes')).body;
        assert.ok(list.includes(escapeHtml(text)) && !list.includes('changed by Bob'), "Alice's note is there, unchanged");
      },
    ),

    check('an unknown note: 404 (GET /notes/ID/edit, POST /notes/ID, POST /notes/ID/delete, /notes/abc/edit)', async (kit) => {
      const alice = await signedIn(kit, '4/fixture-alice');
      const token = await formToken(alice);
      for (const reply of [
        await page(alice, '/notes/999999/edit'),
        await page(alice, '/notes/abc/edit'),
        await postForm(alice, '/notes/999999', { _csrf: token, text: 'x' }),
        await postForm(alice, '/notes/999999/delete', { _csrf: token }),
      ]) {
        assert.equal(reply.status, 404, `${reply.request.method} ${reply.request.path}: 404; got ${reply.status}`);
      }
    }),

    check(
      'empty, blank or over 500 characters (code points): 400 "A note needs 1 to 500 characters.", the form again with the text kept',
      async (kit) => {
        const alice = await signedIn(kit, '4/fixture-alice');
        const long = `${'é'.repeat(493)}${tag()}`; // 501 characters
        for (const text of ['', '   \n\t ', long]) {
          const reply = await postForm(alice, '/notes', { _csrf: await formToken(alice), text });
          expectHtml(reply, 400);
          assert.ok(
            reply.body.includes('A note needs 1 to 500 characters.'),
            `the form says "A note needs 1 to 500 characters." (text of ${[...text].length})`,
          );
          assert.ok(reply.body.includes('name="_csrf"') && reply.body.includes(escapeHtml(text)), 'the form again, with the text kept');
        }
        // 500 emoji: 500 characters, 1000 UTF-16 units (JavaScript's .length).
        const emoji = `${'🦉'.repeat(499 - 8)}${tag()}!`;
        assert.equal([...emoji].length, 500);
        await postNote(alice, emoji);
      },
    ),

    check('the author changes her note, then deletes it: each 303 to /notes', async (kit) => {
      const alice = await signedIn(kit, '4/fixture-alice');
      const text = `to change ${tag()}`;
      const id = await postNote(alice, text);
      const form = await page(alice, `/notes/${id}/edit`);
      expectHtml(form);
      assert.ok(form.body.includes(escapeHtml(text)), 'the edit form holds the note');
      const changed = `changed ${tag()}`;
      const update = await postForm(alice, `/notes/${id}`, { _csrf: tokenIn(form), text: changed });
      assert.equal(update.status, 303, `POST /notes/${id}: 303; got ${update.status}`);
      let list = (await kit.agent().get('/notes')).body;
      assert.ok(list.includes(changed) && !list.includes(text), 'the list shows the new text');
      const gone = await postForm(alice, `/notes/${id}/delete`, { _csrf: tokenIn(form) });
      assert.equal(gone.status, 303, `POST /notes/${id}/delete: 303; got ${gone.status}`);
      list = (await kit.agent().get('/notes')).body;
      assert.ok(!list.includes(changed), 'the note is gone');
      assert.equal((await page(alice, `/notes/${id}/edit`)).status, 404, 'its edit page is 404 now');
    }),
  ],
};
