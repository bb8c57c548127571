// The moves of the notes' pages (step 9), as a browser makes them: pages asked for as pages,
// forms posted urlencoded with their CSRF token. The step 9 suite and the attack lab use them.
import type { Agent, Reply } from './agent.ts';
import { answered, around, expectHtml, expectSuccess, expectThat } from './expect.ts';
import { signIn } from './gconnect.ts';
import type { Kit } from './serve-app.ts';

const PAGE = { accept: 'text/html,application/xhtml+xml' };

/** A new browser signed in with `code`. */
export async function signedIn(kit: Kit, code: string): Promise<Agent> {
  const agent = kit.agent();
  expectSuccess(await signIn(agent, code));
  return agent;
}

/** A page, as a browser asks for it. */
export function page(agent: Agent, path: string): Promise<Reply> {
  return agent.request(path, { headers: PAGE });
}

/** A form posted as a browser posts it (urlencoded, asking for a page). */
export function postForm(agent: Agent, path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Reply> {
  return agent.request(path, {
    method: 'POST',
    headers: { ...PAGE, 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** The value of the form's hidden _csrf input. */
export function tokenIn(reply: Reply): string {
  const token = /<input[^>]*name="_csrf"[^>]*value="([^"]*)"|<input[^>]*value="([^"]*)"[^>]*name="_csrf"/.exec(reply.body);
  expectThat(token !== null, {
    sent: reply,
    expected: 'a form with its CSRF token: <input type="hidden" name="_csrf" value="...">',
    got: () => `no input named _csrf: ${around(reply.body, /<form[^>]*>/, answered(reply), 200)}`,
  });
  return token[1] ?? token[2] ?? '';
}

/** The token of the "write a note" form. */
export async function formToken(agent: Agent): Promise<string> {
  const form = await page(agent, '/notes/new');
  expectHtml(form);
  return tokenIn(form);
}

/** Posts a note with a fresh form's token; its id, read from the list's Edit link. */
export async function postNote(agent: Agent, text: string): Promise<number> {
  const reply = await postForm(agent, '/notes', { _csrf: await formToken(agent), text });
  expectThat(reply.status === 303, {
    sent: reply,
    expected: '303 to /notes: a signed-in author posts a note with a good form (its _csrf token, a text)',
    got: () => answered(reply),
  });
  const list = await page(agent, '/notes');
  const at = list.body.indexOf(escapeHtml(text));
  expectThat(at >= 0, {
    sent: list,
    expected: `the note just posted on the list: ${escapeHtml(text)}`,
    got: () => `no such note on the list: ${answered(list)}`,
  });
  const id = /href="\/notes\/(\d+)\/edit"/.exec(list.body.slice(at))?.[1];
  expectThat(id !== undefined, {
    sent: list,
    expected: 'an Edit link (<a href="/notes/ID/edit">) under the note, for its signed-in author',
    got: () => `no Edit link after the note: ${around(list.body, escapeHtml(text), '', 200)}`,
  });
  return Number(id);
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
