import type { Mistake } from '../mistake.ts';

// Base64, not base64url: the state carries +, / and =, which a query string mangles (a + reads
// as a space). The failure shows the state as it is and names the characters that are not
// URL-safe, where a bare assertion showed a pattern and the value.
export const mistake: Mistake = {
  name: "a state made with toString('base64'): step 1 fails, showing the state and its characters that are not URL-safe",
  from: 1,
  edits: [
    {
      file: 'state-token.ts',
      from: "  return randomBytes(32).toString('base64url');",
      to: "  return randomBytes(32).toString('base64');",
    },
  ],
  check: 1,
  blame: 1,
  shows: [
    /^ {2}GET \/login embeds a fresh URL-safe state of at least 32 characters\n {4}sent: {5}GET \/login\n {14}cookies: none\n {4}expected: a state of 32 or more URL-safe characters \(A-Z a-z 0-9 _ -\) in the button's data-state, as randomBytes\(32\)\.toString\('base64url'\) makes\n {4}got: {6}data-state="[\w+/]{43}=": 44 characters, with "[+/]{0,2}=" among them$/m,
  ],
  never: [/text matching/, /<state>=/],
  lessons: ['sent, expected, got'],
};
