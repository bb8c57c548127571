import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: 'next() not awaited in the code exchange: step 2 fails, saying the chain stopped, and the file says where',
  from: 3,
  edits: [{ file: 'exchange-code.ts', from: '    await next();', to: '    next();' }],
  check: 'every step',
  blame: 2,
  shows: [
    /^✘ Step 2, code exchange: /m,
    /got: {6}404 application\/json "Not found\."\n {4}stages: {3}require-xhr ✔ {2}check-state ✔ {2}exchange-code ✔\n {4}note: {5}a 404 is what Koa answers when no stage of POST \/gconnect answered\. The chain stopped/,
    /^⚠ \.check-\w+\/exchange-code\.ts:\d+: next\(\) is called without await/m,
  ],
  lessons: ['true notes', 'seen in the source'],
};
