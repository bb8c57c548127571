import assert from 'node:assert/strict';
import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: 'the welcome HTML built by adding strings: step 6 fails on Mallory, marking where the markup first differs',
  from: 6,
  edits: [
    {
      file: 'welcome.ts',
      from: '  render(ctx, VIEW, { name, picture: ctx.session?.picture });',
      to: '  ctx.type = \'text/html\';\n  ctx.body = \'<h1>Welcome, \' + name + \'!</h1><img class="avatar" src="\' + ctx.session?.picture + \'" alt="" width="150" height="150">\';',
    },
    { file: 'welcome.ts', from: "import { render } from '#shared/render.ts';\n", to: '' },
  ],
  check: 6,
  blame: 6,
  shows: [
    /^✘ Step 6, welcome output: 1 of \d+ checks fail\. The first:\n {2}4\/fixture-mallory: a name and picture full of HTML are shown as text, everywhere$/m,
    /^ {4}expected: "<h1>Welcome, &lt;script&gt;alert\(1\)&lt;\/script&gt;!<\/h1>.*\n {4}got: {6}"<h1>Welcome, <script>alert\(1\)<\/script>!<\/h1>.*\n {4}( +)\^ the first difference, at character 14$/m,
  ],
  // The caret stands under the first character that differs, in both lines.
  also: (report) => {
    const [, expected = '', , caret = ''] = /^( {4}expected: )(.*)\n.*\n( *)\^/m.exec(report)!;
    assert.equal(expected.length + '"<h1>Welcome, '.length, caret.length);
  },
  lessons: ['sent, expected, got'],
};
