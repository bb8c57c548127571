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
    // The state as it is, not normalised to "<state>": that the two were equal is the point.
    /^ {2}GET \/login embeds a fresh URL-safe state of at least 32 characters\n {4}sent: {5}GET \/login\n {14}cookies: none\n {4}expected: a fresh state for each visit to \/login: two visits, two different states\n {4}got: {6}the same state both times: "[\w-]{43}"$/m,
  ],
  never: [/<state>"/],
  lessons: ['sent, expected, got'],
};
