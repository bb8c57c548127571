import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: 'no X-Requested-With check: step 1 fails on the request without the header',
  from: 1,
  edits: [
    { file: 'gconnect.ts', from: "import { requireXhr } from './require-xhr.ts';\n", to: '' },
    { file: 'gconnect.ts', from: '    requireXhr,\n', to: '' },
  ],
  check: 1,
  blame: 1,
  shows: [
    /^✘ Step 1, state check: 1 of \d+ checks fail\. The first:\n {2}without X-Requested-With: 403 "Missing X-Requested-With header\."\n {4}sent: {5}POST \/gconnect\?state=<state>\n {14}content-type: application\/octet-stream; charset=utf-8\n {14}cookies: gconnect\.state, gconnect\.state\.sig\n {14}body: 4\/fixture-alice\n {4}expected: 403 application\/json "Missing X-Requested-With header\."\n {4}got: {6}200 application\/json "State verified\."$/m,
  ],
  lessons: ['sent, expected, got'],
};
