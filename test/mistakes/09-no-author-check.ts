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
    /^ {4}sent: {5}GET \/notes\/\d+\/edit\n {14}cookies: gconnect\.sid, gconnect\.sid\.sig\n {4}expected: 403, a page that says "Only its author can change this note\.": Bob is signed in, but the note is Alice's\n {4}got: {6}200 text\/html a page headed "Change your note"$/m,
  ],
};
