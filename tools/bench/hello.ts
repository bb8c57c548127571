// The floor for npm run bench: a bare Koa app that answers "hello", nothing else. Prints its
// URL, then serves until stopped.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';

const app = new Koa();
app.use((ctx) => {
  ctx.body = 'hello';
});
const server = app.listen(0, '127.0.0.1');
await once(server, 'listening');
console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
process.once('SIGTERM', () => server.close(() => process.exit(0)));
