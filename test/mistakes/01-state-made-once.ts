import type { Mistake } from '../mistake.ts';

export const mistake: Mistake = {
  name: 'one state made at start-up and handed to everyone: step 1 fails, showing the same state came twice',
  from: 1,
  edits: [
    {
      file: 'state-token.ts',
      from: "export function newStateToken(): string {\n  return randomBytes(32).toString('base64url');",
      to: "const ONCE = randomBytes(32).toString('base64url');\nexport function newStateToken(): string {\n  return ONCE;",
    },
  ],
  check: 1,
  blame: 1,
  shows: [
    /^ {2}GET \/login embeds a fresh URL-safe state of at least 32 characters\n {4}expected: anything but "(.+)"\n {4}got: {6}the same, "\1"$/m,
  ],
  lessons: ['sent, expected, got'],
};
