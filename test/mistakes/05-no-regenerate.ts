import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: 'no regenerate(): step 5 fails, saying the session must get a new id',
  from: 5,
  edits: [{ file: 'store-session.ts', from: '    await freshSession(session);\n', to: '' }],
  check: 5,
  blame: 5,
  shows: [
    /^✘ Step 5, session storage: 1 of \d+ checks fail\. The first:\n {2}signing in gives the session a new id and drops the old one: an id planted in the browser \(session fixation\) dies there\n {4}sent: {5}POST \/gconnect\?state=<state>\n(.*\n){4} {4}expected: signing in gives the session a new id \(session\.regenerate\(\)\)\n {4}got: {6}the cookie still holds the id it had before: the same id both times, [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/m,
  ],
};
