// The moves of the notes' pages (step 9), as a browser makes them: pages asked for as pages,
// forms posted urlencoded with their CSRF token. The step 9 suite and the attack lab use them.
import assert from 'node:assert/strict';
import type { Agent, Reply } from './agent.ts';
import { expectHtml, expectSuccess } from './expect.ts';
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
  assert.ok(
    token,
    `a hidden input named _csrf in the form: ${reply.request.method} ${reply.request.path} answered ${reply.body.slice(0, 300)}`,
  );
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
  assert.equal(reply.status, 303, `POST /notes with a good form: 303 to /notes; got ${reply.status} ${reply.body.slice(0, 200)}`);
  const list = (await page(agent, '/notes')).body;
  const at = list.indexOf(escapeHtml(text));
  assert.ok(at >= 0, `the note ${JSON.stringify(text)} is listed on GET /notes`);
  const id = /href="\/notes\/(\d+)\/edit"/.exec(list.slice(at))?.[1];
  assert.ok(id, `the signed-in author sees an Edit link (/notes/ID/edit) under her note: ${list.slice(at, at + 400)}`);
  return Number(id);
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
