import type { Mistake } from '../mistake.ts';

// One CSRF token made at start-up for every form of every user: a page of another site cannot
// read it, but any user of ours can, and their token passes in anyone's browser. The failure
// says what was sent and that both forms held the same token, shown as it is.
export const mistake: Mistake = {
  name: "one CSRF token for every session: step 9 fails on Bob's token in Alice's browser, showing both forms hold the same token",
  from: 9,
  edits: [
    {
      file: 'csrf.ts',
      from: "  const session = ctx.session;\n  if (!session) throw new Error('no session middleware');\n  session.csrfSecret ??= tokens.secretSync();\n  return tokens.create(session.csrfSecret);",
      to: '  return TOKEN;',
    },
    { file: 'csrf.ts', from: 'const tokens = new Tokens();\n', to: 'const TOKEN = new Tokens().secretSync();\n' },
    {
      file: 'csrf.ts',
      from: "  const secret = ctx.session?.csrfSecret;\n  // tokens.verify compares in constant time.\n  if (typeof token !== 'string' || !secret || !tokens.verify(secret, token)) {",
      to: '  if (token !== TOKEN) {',
    },
  ],
  check: 9,
  blame: 9,
  shows: [
    /^✘ Step 9, guard pages: 1 of \d+ checks fail\. The first:\n {2}CSRF: POST \/notes without _csrf, or with another session's token: 403, and nothing is posted\n {4}sent: {5}POST \/notes\n {14}content-type: application\/x-www-form-urlencoded\n {14}cookies: gconnect\.sid, gconnect\.sid\.sig\n {14}body: _csrf=[\w%-]+&text=forged\+\w+\n {4}expected: 403: Bob's CSRF token does not pass in Alice's browser: a token is bound to its session\n {4}got: {6}303 text\/html to \/notes; Bob's form and Alice's hold the same token, "[\w-]+"$/m,
  ],
  lessons: ['sent, expected, got'],
};
