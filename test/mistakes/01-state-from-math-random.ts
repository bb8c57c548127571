import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: 'a state made with Math.random(): every check passes, and a warning names randomBytes, with the file and line',
  from: 1,
  edits: [
    {
      file: 'state-token.ts',
      from: "  return randomBytes(32).toString('base64url');",
      to: "  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';\n  return Array.from({ length: 43 }, () => alphabet[Math.floor(Math.random() * 64)]).join('');",
    },
  ],
  check: 1,
  blame: 'none',
  shows: [
    /^✔ Step 1, state check: all \d+ checks pass\.$/m,
    /^⚠ \.check-\w+\/state-token\.ts:\d+: Math\.random\(\) is not a source of secrets: .*randomBytes or randomUUID/m,
  ],
  lessons: ['seen in the source'],
};
