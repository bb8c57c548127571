// The floors for npm run bench: a bare Koa app that does what any server of this sign-in must,
// and nothing else. GET / answers "hello" (a request's floor). GET /login answers a page holding
// a fresh random state; POST /gconnect makes the three calls the kit's sign-in makes, to the
// same fake Google (the code exchange, tokeninfo, userinfo: Node's http, one keep-alive pool)
// and answers "Welcome" (a sign-in's floor). No check of anything, no cookie, no header of its
// own, no trace: the kit's CPU per sign-in over this one's is what its defences and its
// teaching cost. Prints its URL, then serves until stopped (on PORT, or a free port).
//
//   FAKE_GOOGLE_ORIGIN=http://127.0.0.1:N [PORT=M] node --import ./kit/typescript.mjs tools/bench/floor.ts
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { FIXTURE_CLIENT, googleAt } from '#shared/config.ts';

const google = googleAt(process.env.FAKE_GOOGLE_ORIGIN ?? 'http://127.0.0.1:9');
const agent = new http.Agent({ keepAlive: true });

/** One call; its answer's body parsed as JSON. */
function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const headers = { ...init.headers, ...(init.body === undefined ? {} : { 'content-length': Buffer.byteLength(init.body) }) };
    const request = http.request(url, { method: init.method ?? 'GET', headers, agent }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, string>));
    });
    request.on('error', reject);
    request.end(init.body);
  });
}

const app = new Koa();
app.use(async (ctx) => {
  if (ctx.path === '/login') {
    ctx.type = 'html';
    ctx.body = `<!doctype html><title>Sign in</title><main data-state="${randomBytes(32).toString('base64url')}">Sign in</main>`;
  } else if (ctx.path === '/gconnect' && ctx.method === 'POST') {
    let code = '';
    for await (const chunk of ctx.req) code += String(chunk);
    const form = new URLSearchParams({
      code,
      client_id: FIXTURE_CLIENT.clientId,
      client_secret: FIXTURE_CLIENT.clientSecret,
      redirect_uri: 'postmessage',
      grant_type: 'authorization_code',
    });
    const tokens = await call(String(google.endpoints.oauth2TokenUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    const token = tokens.access_token ?? '';
    const info = await call(`${google.endpoints.tokenInfoUrl}?access_token=${encodeURIComponent(token)}`);
    const user = await call(google.userinfoUrl, { headers: { authorization: `Bearer ${token}` } });
    ctx.body = `Welcome, ${user.name} (${info.email})!`;
  } else {
    ctx.body = 'hello';
  }
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
await once(server, 'listening');
console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
process.once('SIGTERM', () => {
  agent.destroy();
  server.close(() => process.exit(0));
});
