import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: "no author check: step 9 fails on Bob's edit of Alice's note, which is answered 200",
  from: 9,
  edits: [
    {
      file: 'require-author.ts',
      from: "  if (ctx.state.note.userId !== ctx.state.userId) ctx.throw(403, 'Only its author can change this note.');\n",
      to: '',
    },
  ],
  check: 9,
  blame: 9,
  shows: [
    /^✘ Step 9, guard pages: 1 of \d+ checks fail\. The first:\n {2}another user's note \(IDOR\): edit form, change and delete are 403 "Only its author can change this note\."/m,
    /Bob: GET \/notes\/\d+\/edit: 403; got 200/,
  ],
};
