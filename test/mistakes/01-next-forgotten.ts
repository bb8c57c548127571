import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: 'next() forgotten: step 1 fails, saying the chain stopped before the route answered',
  from: 1,
  edits: [{ file: 'check-state.ts', from: '  await next();\n', to: '' }],
  check: 1,
  blame: 1,
  shows: [
    /^✘ Step 1, state check: /m,
    /note: {5}a 404 is what Koa answers when no stage of POST \/gconnect answered\. The chain stopped\n {14}before the route answered/,
    /^⚠ \.check-\w+\/check-state\.ts:\d+: this stage takes next but never calls it/m,
  ],
  lessons: ['true notes', 'seen in the source'],
};
