// The moves of the sign-in flow, as the login page's script makes them.
import type { Agent, Reply } from './agent.ts';

/** GET /login and read the state token the page embeds (data-state). */
export async function openLoginPage(agent: Agent): Promise<{ reply: Reply; state: string }> {
  const reply = await agent.get('/login');
  const state = /data-state="([^"]*)"/.exec(reply.body)?.[1] ?? '';
  return { reply, state };
}

export interface PostOptions {
  /** The query's state; null sends none. */
  state: string | null;
  code?: string;
  /** Send X-Requested-With: XMLHttpRequest (default true). */
  xhr?: boolean;
  contentType?: string;
}

export function postGconnect(
  agent: Agent,
  { state, code = '', xhr = true, contentType = 'application/octet-stream; charset=utf-8' }: PostOptions,
): Promise<Reply> {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (xhr) headers['x-requested-with'] = 'XMLHttpRequest';
  const query = state === null ? '' : `?state=${encodeURIComponent(state)}`;
  return agent.request(`/gconnect${query}`, { method: 'POST', headers, body: code });
}

/** The whole flow in one browser: open /login, then post the code with the page's state. */
export async function signIn(agent: Agent, code: string): Promise<Reply> {
  const { state } = await openLoginPage(agent);
  return postGconnect(agent, { state, code });
}

/** `count` visits to /login from browsers with no cookie, as a flood of anonymous visitors. */
export async function anonymousVisits(agent: Agent, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    agent.cookies.clear();
    await agent.get('/login');
  }
}
