// Step 9, guard pages: notes users own. Signed out, the pages that write send a browser to sign
// in and back (303) and answer a script 401; only a note's author may change or delete it (403);
// every form carries a CSRF token bound to the session. Each check writes notes with texts of its
// own (a random tag), so that the checks share one server and still see only their own notes.
import { randomUUID } from 'node:crypto';
import type { Agent, Reply } from '../agent.ts';
import { answered, around, expectHtml, expectThat, verbatim } from '../expect.ts';
import { escapeHtml, formToken, page, postForm, postNote, signedIn, tokenIn } from '../notes.ts';
import type { Kit } from '../serve-app.ts';
import { check, type Suite } from '../suite.ts';

/** A 303 to the login page, whose `next` brings the browser back to `next` once signed in. */
function expectSentToSignIn(reply: Reply, next: string, why = 'signed out, the browser is sent to sign in, and back'): void {
  const raw = reply.headers.get('location') ?? '';
  const location = URL.canParse(raw, 'http://kit.invalid') ? new URL(raw, 'http://kit.invalid') : null;
  expectThat(reply.status === 303 && location?.pathname === '/login' && location.searchParams.get('next') === next, {
    sent: reply,
    expected: `303 to /login?next=${next} (the path URL-encoded): ${why}`,
    got: () => answered(reply),
  });
}

/** A script's request refused in JSON: 401, application/json. */
function expectToldInJson(reply: Reply, why: string): void {
  expectThat(reply.status === 401 && reply.type === 'application/json', {
    sent: reply,
    expected: `401 as JSON: ${why}`,
    got: () => answered(reply),
  });
}

/** Where the login page sends the browser once signed in (its sign-in block's data-next). */
async function nextOnLoginPage(agent: Agent, query: string): Promise<{ reply: Reply; next: string | undefined }> {
  const reply = await agent.get(`/login${query}`);
  return { reply, next: /<div id="signin-block"[^>]*data-next="([^"]*)"/.exec(reply.body)?.[1] };
}

/** The login page must send the browser back to `next` once signed in. */
function expectSentBack({ reply, next }: { reply: Reply; next: string | undefined }, expected: string): void {
  expectThat(next === expected, {
    sent: reply,
    expected: `the sign-in block sending the browser back there once signed in: <div id="signin-block" ... data-next="${expected}">`,
    got: () =>
      next === undefined
        ? (/<div id="signin-block"[^>]*>/.exec(reply.body)?.[0] ?? `no <div id="signin-block"> in ${answered(reply)}`)
        : `data-next="${next}"`,
  });
}

/** The public list must not show `text`: whatever was refused posted nothing. */
async function expectNotListed(kit: Kit, text: string, why: string): Promise<void> {
  const list = await kit.agent().get('/notes');
  expectThat(!list.body.includes(text), {
    sent: list,
    expected: `no note ${JSON.stringify(text)} on the list: ${why}`,
    got: () => `it is listed: ${around(list.body, text, '')}`,
  });
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
        expectSentToSignIn(await page(agent, '/notes/new'), '/notes/new');
        expectSentToSignIn(await page(agent, '/notes/1/edit'), '/notes/1/edit');
        expectSentBack(await nextOnLoginPage(agent, '?next=%2Fnotes%2Fnew'), '/notes/new');
      },
    ),

    check(
      '/login?next=/notes is followed; //evil.example, https://evil.example/ and /\\evil.example are not (the browser goes home)',
      async (kit) => {
        const agent = kit.agent();
        expectSentBack(await nextOnLoginPage(agent, '?next=%2Fnotes'), '/notes');
        for (const next of ['//evil.example', 'https://evil.example/', '/\\evil.example']) {
          const followed = await nextOnLoginPage(agent, `?next=${encodeURIComponent(next)}`);
          expectThat(followed.next === undefined || followed.next === '/', {
            sent: followed.reply,
            expected: `data-next="/" or none: ${next} leads to another site, and the login page must not send a browser there (an open redirect)`,
            got: `data-next="${followed.next}"`,
          });
        }
      },
    ),

    check(
      'signed out, a form POST is sent to sign in (303 to /login?next=/notes) before any CSRF check; a script gets 401 JSON; nothing is posted',
      async (kit) => {
        const agent = kit.agent();
        const text = `signed out ${tag()}`;
        for (const path of ['/notes', '/notes/1', '/notes/1/delete']) {
          expectSentToSignIn(
            await postForm(agent, path, { text }),
            '/notes',
            'signed out (and so without a CSRF token), a form is sent to sign in before any CSRF check, and back to the notes',
          );
          expectToldInJson(
            await postForm(agent, path, { text }, { 'x-requested-with': 'XMLHttpRequest' }),
            'a script (X-Requested-With) cannot follow a redirect to a login page: it is told',
          );
          expectToldInJson(
            await postForm(agent, path, { text }, { accept: 'application/json' }),
            'a client that asks for JSON (Accept: application/json) is told, not sent to a login page',
          );
        }
        expectToldInJson(
          await agent.request('/notes/new', { headers: { accept: 'application/json' } }),
          'a client that asks for JSON (Accept: application/json) is told, not sent to a login page',
        );
        await expectNotListed(kit, text, 'signed out, nothing is posted');
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
        expectThat(list.body.includes(escapeHtml(first)), {
          sent: list,
          expected: `the note on the public list, escaped: ${escapeHtml(first)} (its <b> shown as text)`,
          got: () =>
            list.body.includes(first)
              ? `it is there unescaped, its <b> read as markup: ${around(list.body, first, '')}`
              : `no such note on the list: ${answered(list)}`,
        });
        const [older, newer] = [list.body.indexOf(escapeHtml(first)), list.body.indexOf(second)];
        expectThat(newer >= 0 && newer < older, {
          sent: list,
          expected: `the newest note first: ${JSON.stringify(second)} above ${JSON.stringify(escapeHtml(first))}`,
          got: newer < 0 ? `no ${JSON.stringify(second)} on the list` : `${JSON.stringify(second)} below the older note: the oldest first`,
        });
        expectThat(/^[\s\S]{0,400}Alice Liddell/.test(list.body.slice(newer)), {
          sent: list,
          expected: "the note followed by its author's name, Alice Liddell (within 400 characters)",
          got: () => `no Alice Liddell there: ${JSON.stringify(list.body.slice(newer, newer + 400))}`,
        });
        expectThat(!/href="\/notes\/\d+\/edit"/.test(list.body), {
          sent: list,
          expected: 'no Edit link (/notes/ID/edit) for a browser that is not signed in',
          got: () => `an Edit link: ${around(list.body, /<a[^>]*href="\/notes\/\d+\/edit"[^>]*>/, '')}`,
        });
      },
    ),

    check("CSRF: POST /notes without _csrf, or with another session's token: 403, and nothing is posted", async (kit) => {
      const alice = await signedIn(kit, '4/fixture-alice');
      const bob = await signedIn(kit, '4/fixture-bob');
      const text = `forged ${tag()}`;
      const none = await postForm(alice, '/notes', { text });
      expectThat(none.status === 403, {
        sent: none,
        expected: '403: a form without its _csrf token is refused, as a forged one (cross-site request forgery)',
        got: () => answered(none),
      });
      const [hers, his] = [await formToken(alice), await formToken(bob)];
      const others = await postForm(alice, '/notes', { _csrf: his, text });
      expectThat(others.status === 403, {
        sent: others,
        expected: "403: Bob's CSRF token does not pass in Alice's browser: a token is bound to its session",
        // The tokens themselves matter when they are the same: shown as they are.
        got: () => `${answered(others)}${his === hers ? `; Bob's form and Alice's hold the same token, "${verbatim(his)}"` : ''}`,
      });
      const wrong = await postForm(alice, '/notes', { _csrf: 'not-a-token', text });
      expectThat(wrong.status === 403, {
        sent: wrong,
        expected: '403: a made-up CSRF token is refused',
        got: () => answered(wrong),
      });
      await expectNotListed(kit, text, 'every one of these forms was refused');
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
          expectThat(reply.status === 403 && reply.body.includes('Only its author can change this note.'), {
            sent: reply,
            expected: '403, a page that says "Only its author can change this note.": Bob is signed in, but the note is Alice\'s',
            got: () => answered(reply),
          });
          const inline = /<script(?![^>]*\bsrc=)[^>]*>/i.exec(reply.body);
          expectThat(inline === null, {
            sent: reply,
            expected: 'a refusal page without inline <script>',
            got: () => `${around(reply.body, inline![0], '')} in the page`,
          });
        }
        const list = await kit.agent().get('/notes');
        expectThat(list.body.includes(escapeHtml(text)) && !list.body.includes('changed by Bob'), {
          sent: list,
          expected: `Alice's note on the list, unchanged: ${escapeHtml(text)}`,
          got: () =>
            list.body.includes('changed by Bob')
              ? `Bob's text on the list: ${around(list.body, 'changed by Bob', '')}`
              : 'her note is gone from the list: Bob deleted it',
        });
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
        expectThat(reply.status === 404, { sent: reply, expected: '404: there is no such note', got: () => answered(reply) });
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
          const length = [...text].length;
          expectThat(reply.body.includes('A note needs 1 to 500 characters.'), {
            sent: reply,
            expected: `the form again, saying "A note needs 1 to 500 characters." (a text of ${length} characters${text.trim() ? '' : ', all blank'})`,
            got: () => answered(reply),
          });
          expectThat(reply.body.includes('name="_csrf"') && reply.body.includes(escapeHtml(text)), {
            sent: reply,
            expected: 'the form again, with its _csrf token and the text kept, so that the author can fix it',
            got: () => (reply.body.includes('name="_csrf"') ? 'the form without the text that was sent' : 'a form without its _csrf input'),
          });
        }
        // 500 emoji (491, the 8 characters of a tag and "!"): 500 characters, 1000 UTF-16 units (JavaScript's .length).
        await postNote(alice, `${'🦉'.repeat(491)}${tag()}!`);
      },
    ),

    check('the author changes her note, then deletes it: each 303 to /notes', async (kit) => {
      const alice = await signedIn(kit, '4/fixture-alice');
      const text = `to change ${tag()}`;
      const id = await postNote(alice, text);
      const form = await page(alice, `/notes/${id}/edit`);
      expectHtml(form);
      expectThat(form.body.includes(escapeHtml(text)), {
        sent: form,
        expected: `the edit form holding the note's text, ${escapeHtml(text)}`,
        got: () => /<textarea[^>]*>[\s\S]*?<\/textarea>/.exec(form.body)?.[0] ?? `no <textarea> in ${answered(form)}`,
      });
      const changed = `changed ${tag()}`;
      const update = await postForm(alice, `/notes/${id}`, { _csrf: tokenIn(form), text: changed });
      expectThat(update.status === 303, {
        sent: update,
        expected: '303 to /notes: the author may change her note',
        got: () => answered(update),
      });
      let list = await kit.agent().get('/notes');
      expectThat(list.body.includes(changed) && !list.body.includes(text), {
        sent: list,
        expected: `the list showing the new text, ${JSON.stringify(changed)}, and not the old one`,
        got: list.body.includes(text) ? `the old text still: ${around(list.body, text, '')}` : 'neither the new text nor the old',
      });
      const gone = await postForm(alice, `/notes/${id}/delete`, { _csrf: tokenIn(form) });
      expectThat(gone.status === 303, {
        sent: gone,
        expected: '303 to /notes: the author may delete her note',
        got: () => answered(gone),
      });
      list = await kit.agent().get('/notes');
      expectThat(!list.body.includes(changed), {
        sent: list,
        expected: 'the note gone from the list',
        got: () => `it is still listed: ${around(list.body, changed, '')}`,
      });
      const edit = await page(alice, `/notes/${id}/edit`);
      expectThat(edit.status === 404, {
        sent: edit,
        expected: '404 for its edit page: the note is deleted',
        got: () => answered(edit),
      });
    }),
  ],
};
