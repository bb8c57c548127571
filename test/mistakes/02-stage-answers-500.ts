import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: 'a stage that answers 500 itself is not said to have thrown',
  from: 2,
  edits: [
    {
      file: 'exchange-code.ts',
      from: "if (!code) return answerJson(ctx, 401, 'Failed to upgrade the authorization code.');",
      to: "if (!code) return answerJson(ctx, 500, 'Failed to upgrade the authorization code.');",
    },
  ],
  check: 2,
  blame: 2,
  shows: [/^ {4}note: {5}exchange-code answered 500 itself: nothing threw\.$/m],
  never: [/a 500 means your server threw/],
  lessons: ['true notes'],
};
