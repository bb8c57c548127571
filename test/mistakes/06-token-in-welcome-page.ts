import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: 'the access token put in the welcome page: step 6 fails, saying the token must not reach the browser',
  from: 6,
  edits: [
    {
      file: 'welcome.ts',
      from: '  render(ctx, VIEW, { name, picture: ctx.session?.picture });',
      to: "  render(ctx, VIEW, { name, picture: ctx.session?.picture });\n  ctx.body += '<script>window.token = ' + JSON.stringify(ctx.session?.accessToken) + ';</script>';",
    },
  ],
  check: 6,
  blame: 6,
  shows: [
    /^✘ Step 6, welcome output: \d+ of \d+ checks fail\. The first:\n {2}4\/fixture-alice: .*\n {4}sent: {5}POST \/gconnect\?state=<state>\n(.*\n){4} {4}expected: a page without the access token or the ID token: a token must not reach the browser\n {4}got: {6}the access token in the page, at character \d+: .*ya29\.<access token>/m,
  ],
  never: [/your chain stopped/],
  lessons: ['sent, expected, got'],
};
