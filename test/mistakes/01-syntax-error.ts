import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: "a syntax error: the file, the line, the code, and no stack of the kit's",
  from: 1,
  edits: [
    {
      file: 'check-state.ts',
      from: '  ctx.cookies.set(STATE_COOKIE, null, stateCookie(ctx));',
      to: '  ctx.cookies.set(STATE_COOKIE, null, stateCookie(ctx));;)',
    },
  ],
  check: 1,
  typecheck: true,
  blame: 'load',
  shows: [
    /^✘ Your app in \.check-\w+\/ did not load:\n {2}\.check-\w+\/check-state\.ts:(\d+):\d+: syntax error: .+\n\n {2}\1 \| {3}ctx\.cookies\.set\(STATE_COOKIE, null, stateCookie\(ctx\)\);;\)\n {2}\s+\^$/m,
  ],
  never: [/\n\s+at /],
};
