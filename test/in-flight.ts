// A sign-in held in flight, for the tests of a graceful stop (cli.test, production.test).
import { once } from 'node:events';
import http from 'node:http';
import { type Agent, openLoginPage } from '#checker';

export interface Answer {
  status: number;
  connection: string | undefined;
  body: string;
}

/**
 * Opens the login page with `agent`, then starts POST /gconnect with `code` and returns once
 * the server has the request and waits for its body. Expect: 100-continue: the server's
 * "continue" says it has the request (Node emits it as it answers 100), so a SIGTERM sent now
 * surely comes while the request is in flight. `send()` sends the body; `outcome` is the
 * answer, or the error's code when the connection was cut.
 */
export async function signInInFlight(
  base: string,
  agent: Agent,
  code: string,
): Promise<{ send(): void; outcome: Promise<Answer | string> }> {
  const { state } = await openLoginPage(agent);
  const cookie = [...agent.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const request = http.request(`${base}/gconnect?state=${encodeURIComponent(state)}`, {
    method: 'POST',
    headers: {
      cookie,
      expect: '100-continue',
      'x-requested-with': 'XMLHttpRequest',
      'content-type': 'application/octet-stream; charset=utf-8',
      'content-length': String(code.length),
    },
  });
  const outcome = new Promise<Answer | string>((done) => {
    request.on('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
    request.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => done({ status: response.statusCode ?? 0, connection: response.headers.connection, body }));
    });
  });
  request.flushHeaders();
  await once(request, 'continue');
  return { send: () => request.end(code), outcome };
}
