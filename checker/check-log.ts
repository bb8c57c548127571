// Which check a line of the app's log belongs to. A check's browsers tag each request with a
// header; the app under test runs each tagged request inside that tag (an outermost stage
// the harness adds), and the runner's console hook files what the app logs meanwhile under
// that check: the report shows a failing check's own lines, not those of checks beside it.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Middleware } from 'koa';

export const CHECK_HEADER = 'x-gconnect-check';

const current = new AsyncLocalStorage<string>();

/** The tag of the check whose request is being answered, if any. */
export function checkTag(): string | undefined {
  return current.getStore();
}

export const tagRequests: Middleware = (ctx, next) => {
  const tag = ctx.get(CHECK_HEADER);
  return tag ? current.run(tag, next) : next();
};
